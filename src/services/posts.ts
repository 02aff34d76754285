// Creating and deleting posts, keeping rows and stored files in step: a refused or failed upload
// leaves neither a row nor a file, and a deleted post takes its file with it.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import type { Prisma, Post, User } from '../generated/sqlite/client.ts';
import { AppError, ErrorCode, notFound } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { spoolMedia } from './media.ts';
import type { MediaStorage } from './storage/types.ts';

export interface PostsDeps {
  db: Db;
  storage: MediaStorage;
  logger: Logger;
  spoolDir: string;
  maxUploadBytes: number;
}

export const MAX_CAPTION_LENGTH = 2200;

export function createPostsService({ db, storage, logger, spoolDir, maxUploadBytes }: PostsDeps) {
  return {
    async createFromUpload<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      upload: { open: () => Readable; filename: string },
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const trimmedCaption = caption?.trim() || null;
      if (trimmedCaption && trimmedCaption.length > MAX_CAPTION_LENGTH) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `Caption must be at most ${MAX_CAPTION_LENGTH} characters.`, { field: 'caption' });
      }
      const media = await spoolMedia(upload.open, { spoolDir, maxBytes: maxUploadBytes });
      let stored;
      try {
        stored = await storage.put({
          path: media.path,
          name: `${randomUUID()}.${media.ext}`,
          mimeType: media.mimeType,
          ownerId: author.id,
        });
      } finally {
        await rm(media.path, { force: true });
      }
      try {
        return await db.post.create({
          ...query,
          data: {
            authorId: author.id,
            caption: trimmedCaption,
            fileType: media.kind,
            fileName: cleanFileName(upload.filename, media.ext),
            mimeType: media.mimeType,
            size: media.size,
            ...stored,
          },
        });
      } catch (error) {
        // The file is stored but the row is not: take the file back so nothing is orphaned.
        await storage.remove(stored).catch((removeError) =>
          logger.error('could not remove a stored file after a failed insert', { storageKey: stored.storageKey, error: removeError }),
        );
        throw error;
      }
    },

    /** Deletes the post and then its file. Only the author or a superuser may. */
    async delete(viewer: Pick<User, 'id' | 'isSuperuser'>, postId: string): Promise<Post> {
      const post = await db.post.findUnique({ where: { id: postId } });
      if (!post) throw notFound('Post not found.');
      if (post.authorId !== viewer.id && !viewer.isSuperuser) {
        throw new AppError(ErrorCode.FORBIDDEN, 'Only the author or a superuser can delete this post.');
      }
      const { count } = await db.post.deleteMany({ where: { id: post.id } });
      if (count === 0) throw notFound('Post not found.');
      await this.removeStoredFile(post);
      return post;
    },

    async removeStoredFile(post: Pick<Post, 'id' | 'storageKey' | 'fileId'>): Promise<void> {
      try {
        await storage.remove(post);
      } catch (error) {
        logger.error('could not remove the stored file of a deleted post', { postId: post.id, storageKey: post.storageKey, error });
      }
    },
  };
}

export type PostsService = ReturnType<typeof createPostsService>;

/** A display name for the file: the client's base name, without path parts or control characters. */
export function cleanFileName(filename: string | undefined, ext: string): string {
  const base = (filename ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return base || `upload.${ext}`;
}
