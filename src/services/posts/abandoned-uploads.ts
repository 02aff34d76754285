// Direct uploads nobody posted. A browser can upload with its token and never call
// createPostFromImageKit (a closed tab, a failed request, or on purpose), and ImageKit would keep the
// file, and bill for it, for good. The maintenance loop deletes the files in the users' upload folders
// that no post refers to once they are a day old.
//
// Never a file a post refers to, even with a post being written while the sweep runs: the sweep takes
// only files over ABANDONED_AFTER_MS old, and createPostFromImageKit takes only files under
// POSTABLE_FOR_MS old (src/services/posts/imagekit-direct.ts), an hour less. A post written during a
// sweep is for a file the sweep does not touch, unless that request spent over an hour between reading
// the file's age and writing its row. Several instances sweeping at once is safe: a deletion is
// idempotent (ImageKit's 404 counts as deleted).
import type { Db } from '../../db/index.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { ImageKitStorage, RemoteFile } from '../../infra/storage/imagekit.ts';
import type { Logger } from '../../logger.ts';

const HOUR_MS = 60 * 60_000;
/** A direct upload no post refers to after this long is deleted. */
export const ABANDONED_AFTER_MS = 24 * HOUR_MS;
/** createPostFromImageKit refuses files older than this: an hour short of the sweep. */
export const POSTABLE_FOR_MS = 23 * HOUR_MS;

export interface AbandonedUploadsDeps {
  db: Db;
  /** ImageKit whenever it is configured; null: nothing to sweep. */
  imagekit: ImageKitStorage | null;
  fileRemovals: FileRemovals;
  logger: Logger;
}

/** Deletes the direct uploads no post took within a day; returns how many ImageKit confirmed deleted. */
export function createAbandonedUploadsSweep({ db, imagekit, fileRemovals, logger }: AbandonedUploadsDeps) {
  async function unposted(files: RemoteFile[]): Promise<RemoteFile[]> {
    const posted = await db.post.findMany({
      where: {
        storage: 'imagekit',
        OR: [{ fileId: { in: files.map((f) => f.fileId) } }, { storageKey: { in: files.map((f) => f.filePath) } }],
      },
      select: { fileId: true, storageKey: true },
    });
    const taken = new Set(posted.flatMap((post) => [post.fileId, post.storageKey]));
    return files.filter((file) => !taken.has(file.fileId) && !taken.has(file.filePath));
  }

  return async function sweepAbandonedUploads(now = new Date()): Promise<number> {
    if (!imagekit) return 0;
    const cutoff = new Date(now.getTime() - ABANDONED_AFTER_MS);
    let removed = 0;
    let queued = 0;
    for await (const listed of imagekit.uploadsCreatedBefore(cutoff)) {
      // ImageKit filtered by age already; this keeps a query it read otherwise from costing a young file.
      const old = listed.filter((file) => file.createdAt !== null && file.createdAt < cutoff);
      for (const file of await unposted(old)) {
        // The removal path retries what ImageKit fails to delete now (src/infra/jobs/file-removals.ts).
        if (await fileRemovals.remove({ storage: 'imagekit', storageKey: file.filePath, fileId: file.fileId })) {
          removed += 1;
        } else {
          queued += 1;
        }
      }
    }
    if (removed + queued > 0) logger.info({ removed, queued }, 'removed direct uploads no post took within a day');
    return removed;
  };
}
