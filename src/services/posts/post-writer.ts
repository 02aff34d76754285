// The one place a post row is written, however its file arrived (uploaded through this server, or
// straight to ImageKit): the row, with the upload's record cleared in the same transaction, and the
// caches told. (The callers hold the upload's share of the author's quota around it.)
// A file already stored whose row cannot be written is given back to the caller's `release`, so nothing
// is orphaned; an author deleted meanwhile reads as a revoked session.
import { type Db, isForeignKeyViolation, isUniqueViolation, type Prisma, type User } from '../../db/index.ts';
import { AppError, accountGone, ErrorCode } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals, UploadRecord } from '../../infra/jobs/file-removals.ts';
import type { StoredRef } from '../../infra/storage/types.ts';
import type { DetectedMedia, MediaDimensions } from './media.ts';

/** What a new post is made of. */
export interface NewPost {
  caption: string | null;
  fileName: string;
  media: DetectedMedia & { size: number };
  /** As displayed, measured by processing (or by ImageKit for a direct upload). */
  dimensions: MediaDimensions;
  blurhash: string | null;
  stored: StoredRef;
  /** A local video's stored poster frame. */
  posterKey?: string | null;
}

export interface PostWriterDeps {
  db: Db;
  fileRemovals: FileRemovals;
  changes: Changes;
}

export interface WriteOptions<Q> {
  /** The selection the answer needs (plugin-prisma's query). */
  query: Q;
  /** The records of the files stored for it, cleared in the transaction that writes the row (src/infra/jobs/file-removals.ts). */
  uploads?: UploadRecord[];
  /** Takes the stored file back when its row cannot be written. */
  release: () => Promise<unknown>;
}

export function createPostWriter({ db, fileRemovals, changes }: PostWriterDeps) {
  return {
    async write<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      post: NewPost,
      { query, uploads = [], release }: WriteOptions<Q>,
    ) {
      const data: Prisma.PostUncheckedCreateInput = {
        authorId: author.id,
        caption: post.caption,
        fileType: post.media.kind,
        fileName: post.fileName,
        mimeType: post.media.mimeType,
        size: post.media.size,
        ...post.dimensions,
        blurhash: post.blurhash,
        posterKey: post.posterKey ?? null,
        // Where it is stored.
        storage: post.stored.storage,
        storageKey: post.stored.storageKey,
        fileId: post.stored.fileId,
      };
      const insert = db.post.create({ ...query, data });
      let created: Awaited<typeof insert>;
      try {
        created =
          uploads.length > 0
            ? (await db.$transaction([insert, ...uploads.map((upload) => fileRemovals.uploadDone(upload))]))[0]
            : await insert;
      } catch (error) {
        // ImageKit's fileId is unique: the same file posted twice (the first post keeps it).
        if (isUniqueViolation(error)) {
          throw new AppError(ErrorCode.BAD_USER_INPUT, 'This file is already posted.', { field: 'fileId' });
        }
        await release();
        // A post refers to nothing but its author: the account was deleted while the file arrived.
        if (isForeignKeyViolation(error)) throw accountGone();
        throw error;
      }
      await changes.publish({ type: 'post-added', postId: created.id, authorId: author.id });
      return created;
    },
  };
}

export type PostWriter = ReturnType<typeof createPostWriter>;
