// Housekeeping that runs on a timer in each instance (src/server.ts starts it; tests call its steps):
// retrying file removals (media-cleanup), dropping expired sessions, sweeping upload temp files a
// crashed process left behind, and deleting direct uploads to ImageKit that nobody posted.
import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import { PROCESSING_FOLDER } from '../storage/local-keys.ts';
import type { FileRemovals } from './file-removals.ts';

export interface MaintenanceDeps {
  fileRemovals: FileRemovals;
  pruneExpiredSessions: () => Promise<number>;
  /** Deletes direct uploads no post took within a day (src/services/posts/abandoned-uploads.ts). */
  sweepAbandonedUploads?: () => Promise<number>;
  uploadDir: string;
  logger: Logger;
  /** Where graphql-upload-ts keeps uploads while they arrive. */
  tmpDir?: string;
  /**
   * Whether tmpDir is this server's own (SWEEP_TMPDIR). graphql-upload-ts names its files the same
   * for every process, so in a shared /tmp a stale one may be another program's: left alone.
   */
  sweepTmpDir?: boolean;
  /** How often sessions are pruned and temp files swept. */
  intervalMs?: number;
}

// A temp file untouched this long belongs to no live request: uploads are written as they arrive
// and stored within minutes (IMAGEKIT_TIMEOUT_MS times its retries at most).
export const STALE_TEMP_FILE_MS = 60 * 60_000;

export function createMaintenance({
  fileRemovals,
  pruneExpiredSessions,
  sweepAbandonedUploads = async () => 0,
  uploadDir,
  logger,
  tmpDir = os.tmpdir(),
  sweepTmpDir = false,
  intervalMs = 60 * 60_000,
}: MaintenanceDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  /** Removes the files in `dir` whose name matches and that nothing has written for STALE_TEMP_FILE_MS. */
  async function sweep(dir: string, matches: (name: string) => boolean, now: number): Promise<number> {
    const names = await readdir(dir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names.filter(matches)) {
      const file = path.join(dir, name);
      const info = await stat(file).catch(() => null);
      if (!info?.isFile() || now - info.mtimeMs < STALE_TEMP_FILE_MS) continue;
      await rm(file, { force: true });
      removed += 1;
    }
    return removed;
  }

  const maintenance = {
    /** Temp files of uploads a crashed process never finished: graphql-upload-ts's, processing's and our own. */
    async sweepTempFiles(now = Date.now()): Promise<number> {
      // graphql-upload-ts's temp files, and the spool folder of earlier versions of this server.
      let removed =
        (sweepTmpDir ? await sweep(tmpDir, (name) => /^capacitor-[0-9a-f]+\.tmp$/.test(name), now) : 0) +
        (await sweep(path.join(uploadDir, '.incoming'), () => true, now)) +
        // What processing (src/services/posts/media-processing.ts) was writing when a process died.
        (await sweep(path.join(uploadDir, PROCESSING_FOLDER), () => true, now));
      // Half-made copies (src/infra/storage/local.ts) in the owners' folders.
      const owners = await readdir(uploadDir, { withFileTypes: true }).catch(() => []);
      for (const owner of owners.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))) {
        removed += await sweep(
          path.join(uploadDir, owner.name),
          (name) => name.startsWith('.') && name.endsWith('.part'),
          now,
        );
      }
      if (removed > 0) logger.info({ removed }, 'removed temp files of uploads that never finished');
      return removed;
    },

    /** Direct uploads nobody posted; ImageKit failing is logged and left for the next run. */
    sweepAbandonedUploads: () =>
      sweepAbandonedUploads().catch((error: unknown) => {
        logger.warn({ error }, 'could not sweep abandoned direct uploads; will try again at the next run');
        return 0;
      }),

    async runOnce(): Promise<void> {
      const [sessions] = await Promise.all([
        pruneExpiredSessions(),
        maintenance.sweepTempFiles(),
        maintenance.sweepAbandonedUploads(),
      ]);
      if (sessions > 0) logger.info({ sessions }, 'pruned expired sessions');
    },

    /** Runs now and then every intervalMs, and starts the file removal worker. */
    start(): void {
      if (timer) return;
      fileRemovals.start();
      const tick = async () => {
        running = maintenance.runOnce().catch((error) => logger.error({ error }, 'maintenance failed'));
        await running;
        if (timer) timer = setTimeout(tick, intervalMs).unref();
      };
      timer = setTimeout(tick, 0).unref();
    },

    /** Stops the timers and waits for a run in progress. */
    async stop(): Promise<void> {
      clearTimeout(timer);
      timer = undefined;
      await Promise.all([running, fileRemovals.stop()]);
    },
  };
  return maintenance;
}

export type Maintenance = ReturnType<typeof createMaintenance>;
