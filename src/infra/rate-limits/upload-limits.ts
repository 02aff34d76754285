// Keeps one account from filling the disk (or the ImageKit plan): uploads started per hour, and bytes
// stored per day.
// - Uploads per hour are counted before the file is read, so parallel uploads cannot slip past. An
//   upload is an uploadPost, or an imageKitUploadAuth token (one file each, counted when it is handed
//   out): posting a directly uploaded file counts its bytes but no second upload.
// - createPostFromImageKit asks ImageKit about a file before anything else: lookups that post nothing
//   (an unknown, foreign, expired or unsupported file) have an hourly count of their own, checked
//   before ImageKit is asked, so made-up fileIds cannot make the server call ImageKit without limit.
// - Bytes: each upload reserves its declared size (the request's length, or the size ImageKit reports)
//   before it is read, and gives back what it did not store. An upload goes ahead only while the
//   day's bytes, reservations included, were below the quota before its own: parallel uploads end at
//   most one file past the quota (before reservations, 2,725 B were stored against 1,000 B).
import type { Logger } from '../../logger.ts';
import type { RateLimits } from './limiters.ts';

export interface UploadLimitSettings {
  /** Posts a user may start per hour; 0 turns the limit off. */
  maxPerHour: number;
  /** Bytes a user may store per day; 0 turns the quota off. */
  maxBytesPerDay: number;
}

/** One upload's share of its user's limits, from begin() until it is stored or fails. */
export interface UploadAllowance {
  /**
   * Reserves `bytes` of the day's quota before the file is read, or throws RATE_LIMITED (the upload is
   * then not counted against the hour either). At most once per upload.
   */
  reserve(bytes: number): Promise<void>;
  /** The upload is stored with `bytes`: the rest of its reservation goes back. Never throws. */
  stored(bytes: number): Promise<void>;
  /** The upload failed: its whole reservation goes back. Never throws. */
  failed(): Promise<void>;
}

export function createUploadLimits(rateLimits: RateLimits, settings: UploadLimitSettings, logger: Logger) {
  const uploads =
    settings.maxPerHour > 0
      ? rateLimits.limiter('upload-user', {
          points: settings.maxPerHour,
          durationSeconds: 3600,
          message: `At most ${settings.maxPerHour} uploads an hour.`,
        })
      : null;
  const lookups =
    settings.maxPerHour > 0
      ? rateLimits.limiter('upload-lookup', {
          points: settings.maxPerHour,
          durationSeconds: 3600,
          message: `At most ${settings.maxPerHour} attempts an hour to post files that cannot be posted.`,
        })
      : null;
  const bytes =
    settings.maxBytesPerDay > 0
      ? rateLimits.limiter('upload-bytes', {
          points: settings.maxBytesPerDay,
          durationSeconds: 86_400,
          message: `Today's upload quota of ${settings.maxBytesPerDay} bytes is used up.`,
        })
      : null;

  /** Once the post is written (or the upload has failed), a store that fails must not change the answer. */
  const giveBackQuietly = async (userId: string, amount: number) => {
    if (!bytes || amount <= 0) return;
    await bytes.giveBack(userId, amount).catch((error: unknown) => {
      logger.error({ error, bytes: amount }, 'could not give unused bytes back to an upload quota');
    });
  };

  return {
    /**
     * Counts an upload started by the user, or throws RATE_LIMITED (also when the day's quota is used
     * up). With `countsUpload: false` (a file already counted when its upload was signed) only the day's
     * bytes apply.
     */
    async begin(userId: string, { countsUpload = true } = {}): Promise<UploadAllowance> {
      // Read first: a user past the quota is refused without counting anything.
      const today = bytes ? await bytes.peek(userId) : null;
      if (bytes && today && today.used >= bytes.points) throw bytes.refusal(today.retryAfterSeconds);
      const counted = countsUpload ? uploads : null;
      await counted?.consume(userId);
      let reserved = 0;
      return {
        async reserve(amount) {
          if (!bytes || amount <= 0) return;
          const after = await bytes.add(userId, amount).catch(async (error: unknown) => {
            await counted?.giveBack(userId);
            throw error;
          });
          if (after.used - amount >= bytes.points) {
            // Others' uploads reserved the rest of the day meanwhile.
            await Promise.all([bytes.giveBack(userId, amount), counted?.giveBack(userId)]);
            throw bytes.refusal(after.retryAfterSeconds);
          }
          reserved = amount;
        },
        async stored(amount) {
          if (bytes && amount > reserved) {
            // Larger than declared (never for uploadPost, whose file is part of the declared body): count it all.
            await bytes.add(userId, amount - reserved).catch((error: unknown) => {
              logger.error({ error, bytes: amount - reserved }, 'could not count an upload against its quota');
            });
          } else await giveBackQuietly(userId, reserved - amount);
          reserved = 0;
        },
        async failed() {
          await giveBackQuietly(userId, reserved);
          reserved = 0;
        },
      };
    },

    /**
     * What the user has left: uploads this hour and bytes today, null where the limit is off. Reads the
     * windows without counting anything, so asking costs nothing against the limits.
     */
    async remaining(userId: string): Promise<{ uploadsThisHour: number | null; bytesToday: number | null }> {
      const [hour, day] = await Promise.all([uploads?.peek(userId), bytes?.peek(userId)]);
      return {
        uploadsThisHour: uploads ? Math.max(0, uploads.points - (hour?.used ?? 0)) : null,
        bytesToday: bytes ? Math.max(0, bytes.points - (day?.used ?? 0)) : null,
      };
    },

    /** Throws RATE_LIMITED once the user's lookups that posted nothing reach the hourly limit. */
    async beforeLookup(userId: string): Promise<void> {
      const usage = lookups ? await lookups.peek(userId) : null;
      if (lookups && usage && usage.used >= lookups.points) throw lookups.refusal(usage.retryAfterSeconds);
    },

    /** Counts a lookup that posted nothing; a failing store is logged, not thrown (the answer is already an error). */
    async lookupFailed(userId: string): Promise<void> {
      await lookups?.add(userId, 1).catch((error: unknown) => {
        logger.error({ error }, 'could not count a failed lookup against the upload limits');
      });
    },
  };
}

export type UploadLimits = ReturnType<typeof createUploadLimits>;
