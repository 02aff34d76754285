// Stored files nothing may keep. Every deletion is recorded in FileRemoval before the backend
// is asked, so a failure, a crash or an outage never leaves a file behind for good: the row stays until
// the backend confirms (a file already gone counts), retried with exponential backoff. An upload is
// recorded the same way before its file is stored, and the record goes in the transaction that writes
// its post: a crash in between leaves a record the worker acts on once the upload's time is up.
import type { Db, FileRemoval, Prisma } from '../../db/index.ts';
import type { Logger } from '../../logger.ts';
import type { MediaStorage, StoredRef } from '../storage/types.ts';

export interface FileRemovalsDeps {
  db: Db;
  storage: MediaStorage;
  logger: Logger;
  /** How often start() looks for due deletions. */
  intervalMs: number;
  /** The wait after the first failure; it doubles with each further one, up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  /** How long an upload may take from its record to its post; past it, its file is an orphan. */
  uploadGraceMs?: number;
}

/** A file being stored for a post not yet written. */
export interface UploadRecord {
  id: string;
  media: StoredRef;
}

/** The wait after `attempts` failures: `baseMs` after the first, doubling with each further one, at most `maxMs`. */
export function retryDelay(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
}

export function createFileRemovals({
  db,
  storage,
  logger,
  intervalMs,
  baseDelayMs = 30_000,
  maxDelayMs = 6 * 60 * 60_000,
  batchSize = 50,
  uploadGraceMs = 60 * 60_000,
}: FileRemovalsDeps) {
  const later = (now: Date, attempts: number) =>
    new Date(now.getTime() + retryDelay(attempts, baseDelayMs, maxDelayMs));

  /** One removal; `attempts` counts this one. Drops the row on success, records the failure otherwise. */
  async function attempt(entry: FileRemoval, attempts: number, now: Date): Promise<boolean> {
    try {
      await storage.remove(entry);
    } catch (error) {
      const lastError = messageOf(error);
      logger.warn(
        {
          storage: entry.storage,
          fileId: entry.fileId,
          storageKey: entry.storageKey,
          attempts,
          error,
        },
        'could not remove a stored file; will retry',
      );
      await db.fileRemoval
        .updateMany({ where: { id: entry.id }, data: { attempts, lastError, nextAttemptAt: later(now, attempts) } })
        .catch((updateError) =>
          logger.error({ id: entry.id, error: updateError }, 'could not record a failed file removal'),
        );
      return false;
    }
    await db.fileRemoval
      .deleteMany({ where: { id: entry.id } })
      .catch((deleteError) =>
        logger.error({ id: entry.id, error: deleteError }, 'removed a file but could not clear its pending deletion'),
      );
    return true;
  }

  const entryData = (media: StoredRef, now: Date, failure?: unknown): Prisma.FileRemovalCreateInput => ({
    storage: media.storage,
    fileId: media.fileId,
    storageKey: media.storageKey,
    ...(failure === undefined ? {} : { attempts: 1, lastError: messageOf(failure) }),
    nextAttemptAt: later(now, 1),
  });

  /** Turns an upload's record into a deletion due after the first retry delay. */
  const requeue = (record: UploadRecord, now: Date, error: unknown) =>
    db.fileRemoval
      .updateMany({
        where: { id: record.id },
        data: {
          kind: 'ORPHAN',
          fileId: record.media.fileId,
          attempts: 1,
          lastError: messageOf(error),
          nextAttemptAt: later(now, 1),
        },
      })
      .catch((updateError) =>
        logger.error({ id: record.id, error: updateError }, 'could not queue a stored file for removal'),
      );
  const forget = (record: UploadRecord) =>
    db.fileRemoval
      .deleteMany({ where: { id: record.id } })
      .catch((deleteError) =>
        logger.error({ id: record.id, error: deleteError }, 'could not clear the record of an abandoned upload'),
      );

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = false;

  const cleanup = {
    /**
     * Runs `deleteRows` in a transaction that also records the removal of each file it returns, so rows
     * and records go together or not at all and even a crash right after cannot orphan a file; then
     * tries each removal at once. Records of failed removals stay for the worker.
     */
    async deleteWithFiles<T>(
      deleteRows: (tx: Prisma.TransactionClient) => Promise<{ result: T; files: StoredRef[] }>,
      { committed, now = new Date() }: { committed?: () => Promise<void>; now?: Date } = {},
    ): Promise<T> {
      const { result, pending } = await db.$transaction(async (tx) => {
        const { result, files } = await deleteRows(tx);
        const pending = [];
        // Not due for the worker until the first retry delay, which leaves the first try to the loop below.
        for (const media of files) pending.push(await tx.fileRemoval.create({ data: entryData(media, now) }));
        return { result, pending };
      });
      // The rows are gone: say so (caches) before the files, which may take the backend a while.
      await committed?.();
      for (const entry of pending) await attempt(entry, entry.attempts + 1, now);
      return result;
    },

    /** Records, before it is stored, the file of a post about to be written. */
    async recordUpload(media: StoredRef, now = new Date()): Promise<UploadRecord> {
      const { id } = await db.fileRemoval.create({
        data: { ...entryData(media, now), kind: 'UPLOAD', nextAttemptAt: new Date(now.getTime() + uploadGraceMs) },
      });
      return { id, media };
    },

    /** The statement that clears an upload's record; run it in the transaction that writes its post. */
    uploadDone: (record: UploadRecord) => db.fileRemoval.delete({ where: { id: record.id } }),

    /** The file was stored but its post will not be written: removes it now, or leaves its record due. */
    async abandonUpload(record: UploadRecord, now = new Date()): Promise<void> {
      try {
        await storage.remove(record.media);
      } catch (error) {
        logger.warn({ ...record.media, error }, 'could not remove the file of an abandoned upload; queued for retry');
        await requeue(record, now, error);
        return;
      }
      await forget(record);
    },

    /**
     * Storing the file failed. On local disk nothing was kept; a remote backend may have kept it (a
     * timeout after it received the file), so its record stays, due for the worker after the usual delay.
     */
    async uploadFailed(record: UploadRecord, error: unknown, now = new Date()): Promise<void> {
      if (record.media.storage === 'local') await forget(record);
      else await requeue(record, now, error);
    },

    /** Removes a file nothing refers to any more, queueing it when the backend fails. Never throws. */
    async remove(media: StoredRef, now = new Date()): Promise<boolean> {
      try {
        await storage.remove(media);
        return true;
      } catch (error) {
        logger.warn(
          {
            storage: media.storage,
            fileId: media.fileId,
            storageKey: media.storageKey,
            error,
          },
          'could not remove a stored file; queued for retry',
        );
        await db.fileRemoval
          .create({ data: entryData(media, now, error) })
          .catch((recordError) =>
            logger.error({ ...media, error: recordError }, 'could not queue a stored file for removal; it is orphaned'),
          );
        return false;
      }
    },

    /**
     * Retries every deletion due at `now`. Another instance running at the same time skips what this one
     * claimed. `ignoreBackoff` (at start) retries failed deletions at once, but leaves uploads still
     * within their time alone: another instance may be storing them.
     */
    async runOnce(now = new Date(), { ignoreBackoff = false } = {}): Promise<{ removed: number; failed: number }> {
      const due = await db.fileRemoval.findMany({
        where: ignoreBackoff
          ? { OR: [{ kind: 'ORPHAN' }, { nextAttemptAt: { lte: now } }] }
          : { nextAttemptAt: { lte: now } },
        orderBy: { nextAttemptAt: 'asc' },
        take: batchSize,
      });
      let removed = 0;
      let failed = 0;
      for (const entry of due) {
        const attempts = entry.attempts + 1;
        // Claims the row: pushing nextAttemptAt on first means a crash mid-attempt still backs off.
        const { count } = await db.fileRemoval.updateMany({
          where: { id: entry.id, attempts: entry.attempts },
          data: { attempts, nextAttemptAt: later(now, attempts) },
        });
        if (count === 0) continue;
        if (await attempt(entry, attempts, now)) removed += 1;
        else failed += 1;
      }
      if (removed + failed > 0) logger.info({ removed, failed }, 'retried pending file removals');
      return { removed, failed };
    },

    /** Runs now, retrying what failed before the restart at once, then every intervalMs until stop(). */
    start(): void {
      if (timer || stopped) return;
      let first = true;
      const tick = async () => {
        running = cleanup
          .runOnce(new Date(), { ignoreBackoff: first })
          .catch((error) => logger.error({ error }, 'pending file removals failed'));
        first = false;
        await running;
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      };
      timer = setTimeout(tick, 0).unref();
    },

    /** Stops the timer and waits for a run in progress. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
  return cleanup;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 1000);

export type FileRemovals = ReturnType<typeof createFileRemovals>;
