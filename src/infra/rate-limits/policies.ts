// The rate limits of the account flows (password guessing, registrations, account mails) and of
// uploads, counted in a CounterStore (memory, or Redis shared by every instance).
//
// Password guessing: every password check (login, and the password confirmations of updateMe and
// deleteMe) is counted before it runs, so requests arriving together cannot slip past the limit.
//
// The policy (README "Security"), per window:
// - LOGIN_MAX_FAILURES failures for one email from one IP: stops a brute force from one place, and
//   locks nobody else out: the account's owner, elsewhere, is not affected.
// - LOGIN_MAX_FAILURES_PER_EMAIL failures for one email from anywhere: a much higher ceiling for a
//   brute force spread over many IPs. Locking an owner out takes that many addresses.
// - LOGIN_MAX_FAILURES_PER_IP failures from one IP, whatever the email: stops one place trying one
//   password against many accounts.
// Checks refused by a limit do not count against the others, and a correct password counts nowhere
// and clears its email+IP count.
import { AppError, ErrorCode } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { CounterKey, CounterStore } from './counters.ts';

export interface LoginThrottleSettings {
  windowSeconds: number;
  maxFailures: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
}

interface LimitedKey extends CounterKey {
  limit: number;
}

export function rateLimited(message: string, retryAfterSeconds: number) {
  return new AppError(ErrorCode.RATE_LIMITED, `${message} Try again in ${retryAfterSeconds} seconds.`, {
    retryAfterSeconds,
  });
}

export function createLoginThrottle(store: CounterStore, settings: LoginThrottleSettings) {
  const { windowSeconds } = settings;
  const keysOf = (email: string, ip: string | null): [LimitedKey, ...LimitedKey[]] => [
    { kind: 'login-pair', subject: `${email}\n${ip ?? ''}`, windowSeconds, limit: settings.maxFailures },
    { kind: 'login-email', subject: email, windowSeconds, limit: settings.maxFailuresPerEmail },
    ...(ip ? [{ kind: 'login-ip', subject: ip, windowSeconds, limit: settings.maxFailuresPerIp }] : []),
  ];

  return {
    /**
     * Counts one password check for the email from the IP, or throws RATE_LIMITED. The check then
     * counts as a failure unless `succeeded()` is called.
     */
    async begin(email: string, ip: string | null): Promise<{ succeeded(): Promise<void> }> {
      const [pair, ...shared] = keysOf(email, ip);
      const keys = [pair, ...shared];
      const counts = await store.hit(keys);
      const over = keys.flatMap((key, i) =>
        counts[i] && counts[i].count > key.limit ? [{ key, count: counts[i] }] : [],
      );
      if (over.length > 0) {
        await store.undo(keys.filter((key) => !over.some((o) => o.key === key)));
        const retryAfter = Math.max(1, ...over.map((o) => o.count.resetInSeconds));
        throw rateLimited('Too many failed sign-in attempts.', retryAfter);
      }
      return {
        async succeeded() {
          await store.reset([pair]);
          await store.undo(shared);
        },
      };
    },

    /** Forgets the email's failures, and the IP's with it; the owner proved themself by a password reset. */
    forgive: (email: string, ip: string | null) => store.reset(keysOf(email, ip).slice(0, 2)),
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

export interface AccountLimitSettings {
  /** Registrations per client IP per hour; 0 turns the limit off. */
  registerMaxPerIp: number;
  /** Account mails (reset, verify, email changed) per address per 15 minutes. */
  mailMaxPerAddress: number;
}

export function createAccountLimits(store: CounterStore, settings: AccountLimitSettings) {
  return {
    /** Counts a registration from the IP, or throws RATE_LIMITED. */
    async registration(ip: string | null): Promise<void> {
      if (settings.registerMaxPerIp === 0 || !ip) return;
      const [count] = await store.hit([{ kind: 'register-ip', subject: ip, windowSeconds: 3600 }]);
      if (count && count.count > settings.registerMaxPerIp) {
        throw rateLimited('Too many registrations from this address.', count.resetInSeconds);
      }
    },

    /** Counts a mail to the address and says whether it may go. Refused mails are dropped, not queued. */
    async mayMail(email: string): Promise<boolean> {
      const [count] = await store.hit([{ kind: 'mail', subject: email, windowSeconds: 900 }]);
      return (count?.count ?? 0) <= settings.mailMaxPerAddress;
    },
  };
}

export type AccountLimits = ReturnType<typeof createAccountLimits>;

export interface UploadLimitSettings {
  /** Posts a user may start per hour; 0 turns the limit off. */
  maxPerHour: number;
  /** Bytes a user may store per day; 0 turns the quota off. */
  maxBytesPerDay: number;
}

/**
 * Keeps one account from filling the disk (or the ImageKit plan): uploads per hour, counted before
 * the upload is read so parallel ones cannot slip past, and bytes per day, checked before each upload
 * and counted once it is stored. An upload may end past the quota by at most one file.
 *
 * Posting a file uploaded straight to ImageKit asks ImageKit about it. Its upload was counted when its
 * token was handed out, so a post counts nothing more; but a lookup that posts nothing (an unknown or
 * foreign fileId) counts, in a count of its own with the same hourly limit, so that nobody can make
 * this server query ImageKit without end.
 */
export function createUploadLimits(store: CounterStore, settings: UploadLimitSettings, logger: Logger) {
  const uploadsOf = (userId: string): CounterKey => ({ kind: 'upload-user', subject: userId, windowSeconds: 3600 });
  const bytesOf = (userId: string): CounterKey => ({ kind: 'upload-bytes', subject: userId, windowSeconds: 86_400 });
  const lookupsOf = (userId: string): CounterKey => ({
    kind: 'upload-lookup',
    subject: userId,
    windowSeconds: 3600,
  });
  return {
    /** Counts an upload by the user, or throws RATE_LIMITED. */
    async begin(userId: string): Promise<void> {
      if (settings.maxBytesPerDay > 0) {
        const [bytes] = await store.hit([bytesOf(userId)], 0);
        if (bytes && bytes.count >= settings.maxBytesPerDay) {
          throw rateLimited(
            `Today's upload quota of ${settings.maxBytesPerDay} bytes is used up.`,
            bytes.resetInSeconds,
          );
        }
      }
      if (settings.maxPerHour === 0) return;
      const [uploads] = await store.hit([uploadsOf(userId)]);
      if (uploads && uploads.count > settings.maxPerHour) {
        await store.undo([uploadsOf(userId)]);
        throw rateLimited(`At most ${settings.maxPerHour} uploads an hour.`, uploads.resetInSeconds);
      }
    },

    /** Throws RATE_LIMITED once the user's lookups that posted nothing reach the hourly limit. */
    async beforeLookup(userId: string): Promise<void> {
      if (settings.maxPerHour === 0) return;
      const [lookups] = await store.hit([lookupsOf(userId)], 0);
      if (lookups && lookups.count >= settings.maxPerHour) {
        throw rateLimited(
          `At most ${settings.maxPerHour} attempts an hour to post files that cannot be posted.`,
          lookups.resetInSeconds,
        );
      }
    },

    /** Counts a lookup that posted nothing. */
    async lookupFailed(userId: string): Promise<void> {
      if (settings.maxPerHour === 0) return;
      await store.hit([lookupsOf(userId)]).catch((error: unknown) => {
        logger.error({ error }, 'could not count a failed lookup against the upload limits');
      });
    },

    /**
     * What the user has left: uploads this hour and bytes today, null where the limit is off. Reads the
     * counters without adding to them (a hit of 0), so asking costs nothing against the limits.
     */
    async remaining(userId: string): Promise<{ uploadsThisHour: number | null; bytesToday: number | null }> {
      const [uploads, bytes] = await store.hit([uploadsOf(userId), bytesOf(userId)], 0);
      return {
        uploadsThisHour: settings.maxPerHour === 0 ? null : Math.max(0, settings.maxPerHour - (uploads?.count ?? 0)),
        bytesToday: settings.maxBytesPerDay === 0 ? null : Math.max(0, settings.maxBytesPerDay - (bytes?.count ?? 0)),
      };
    },

    /** Counts the bytes of a stored upload against the user's daily quota. */
    async stored(userId: string, bytes: number): Promise<void> {
      if (settings.maxBytesPerDay === 0) return;
      // The post is written by now: a counter store that fails must not turn it into an error.
      await store.hit([bytesOf(userId)], bytes).catch((error: unknown) => {
        logger.error({ error }, 'could not count an upload against its quota');
      });
    },
  };
}

export type UploadLimits = ReturnType<typeof createUploadLimits>;
