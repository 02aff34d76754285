// Creating and deleting posts, keeping rows and stored files in step: a refused or failed upload
// leaves neither a row nor a file, and a deleted post takes its file with it.
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Db } from '../db/client.ts';
import type { Prisma, Post, User } from '../generated/sqlite/client.ts';
import { AppError, ErrorCode, notFound } from '../errors.ts';
import type { MediaCleanup } from './media-cleanup.ts';
import { spoolMedia } from './media.ts';
import type { MediaStorage } from './storage/types.ts';

export interface PostsDeps {
  db: Db;
  storage: MediaStorage;
  cleanup: MediaCleanup;
  spoolDir: string;
  maxUploadBytes: number;
}

export const MAX_CAPTION_LENGTH = 2200;

/** The caption as stored: trimmed, null when empty. */
export function cleanCaption(caption: string | null | undefined): string | null {
  const trimmed = caption?.trim() || null;
  if (trimmed && trimmed.length > MAX_CAPTION_LENGTH) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `Caption must be at most ${MAX_CAPTION_LENGTH} characters.`, { field: 'caption' });
  }
  return trimmed;
}

export function createPostsService({ db, storage, cleanup, spoolDir, maxUploadBytes }: PostsDeps) {
  return {
    async createFromUpload<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      upload: { open: () => Readable; filename: string },
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const trimmedCaption = cleanCaption(caption);
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
        // The file is stored but the row is not: take the file back (or queue that) so nothing is orphaned.
        await cleanup.remove(stored);
        throw error;
      }
    },

    /**
     * Deletes the post and then its file. Only the author or a superuser may. When the backend fails,
     * the post is deleted all the same and the file stays queued until the backend confirms.
     */
    async delete(viewer: Pick<User, 'id' | 'isSuperuser'>, postId: string): Promise<Post> {
      const post = await db.post.findUnique({ where: { id: postId } });
      if (!post) throw notFound('Post not found.');
      if (post.authorId !== viewer.id && !viewer.isSuperuser) {
        throw new AppError(ErrorCode.FORBIDDEN, 'Only the author or a superuser can delete this post.');
      }
      return cleanup.deleteWithFiles(async (tx) => {
        const { count } = await tx.post.deleteMany({ where: { id: post.id } });
        if (count === 0) throw notFound('Post not found.');
        return { result: post, files: [post] };
      });
    },
  };
}

export type PostsService = ReturnType<typeof createPostsService>;

/** A display name for the file: the client's base name, without path parts or control characters. */
export function cleanFileName(filename: string | undefined, ext: string): string {
  const base = (filename ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 200);
  return base || `upload.${ext}`;
}
