// Creating and deleting posts, keeping rows and stored files in step: a refused or failed upload
// leaves neither a row nor a file, and a deleted post takes its file with it.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Db, Post, Prisma, User } from '../../db/index.ts';
import { AppError, ErrorCode, isFilesystemError, notFound, storageUnavailable } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals, UploadRecord } from '../../infra/jobs/file-removals.ts';
import type { UploadLimits } from '../../infra/rate-limits/upload-limits.ts';
import type { IncomingMedia, MediaStorage, StoredMedia, StoredRef } from '../../infra/storage/types.ts';
import type { Logger } from '../../logger.ts';
import { BIDI_CONTROL, cleanText } from '../text.ts';
import { receiveUpload } from './media.ts';
import type { MediaProcessor, ProcessedMedia } from './media-processing.ts';
import type { PostWriter } from './post-writer.ts';

export interface PostsDeps {
  db: Db;
  storage: MediaStorage;
  fileRemovals: FileRemovals;
  uploadLimits: UploadLimits;
  postWriter: PostWriter;
  processor: MediaProcessor;
  logger: Logger;
  /** Tells every instance's caches that posts changed (src/infra/changes.ts). */
  changes: Changes;
}

/** An upload as the multipart parser hands it over: its bytes as they arrive, and the file they land in. */
export interface IncomingUpload {
  stream: Readable;
  /** The complete file, once `stream` has ended. */
  path: () => string;
  filename: string | undefined;
  /** The most the file can be (the request's length, at most MAX_UPLOAD_BYTES), reserved against the quota. */
  declaredBytes: number;
}

export const MAX_CAPTION_LENGTH = 2200;

/** Stores the file, turning a failing disk into STORAGE_UNAVAILABLE; ImageKit's failures already are. */
export async function putFile(storage: MediaStorage, logger: Logger, media: IncomingMedia): Promise<StoredMedia> {
  try {
    return await storage.put(media);
  } catch (error) {
    if (!isFilesystemError(error)) throw error;
    logger.error({ error }, 'could not store an upload on local disk');
    throw storageUnavailable();
  }
}

/** Every stored file of a post: its file, and a local video's poster. */
export function filesOfPost(post: Pick<Post, 'storage' | 'storageKey' | 'fileId' | 'posterKey'>): StoredRef[] {
  const file = { storage: post.storage, storageKey: post.storageKey, fileId: post.fileId };
  return post.posterKey ? [file, { storage: post.storage, storageKey: post.posterKey, fileId: null }] : [file];
}

/** The caption as stored: trimmed, null when empty, at most 2,200 characters (src/services/text.ts). */
export const cleanCaption = (caption: string | null | undefined) =>
  cleanText(caption, { field: 'caption', label: 'Caption', maxLength: MAX_CAPTION_LENGTH });

export function createPostsService({
  db,
  storage,
  fileRemovals,
  uploadLimits,
  postWriter,
  processor,
  logger,
  changes,
}: PostsDeps) {
  const store = (media: IncomingMedia) => putFile(storage, logger, media);

  /**
   * Stores a processed file, and a local video's poster beside it. Each file is recorded for cleanup
   * before it is stored (the records are cleared in the transaction that writes the row); when a store
   * fails, what was already stored is taken back.
   */
  async function storeFiles(ownerId: string, media: ProcessedMedia) {
    const id = randomUUID();
    const wanted = [{ name: `${id}.${media.ext}`, path: media.path, mimeType: media.mimeType }];
    // ImageKit makes a video's poster itself (/ik-thumbnail.jpg); local disk keeps the one processing made.
    if (media.poster && storage.name === 'local') {
      wanted.push({ name: `${id}.poster.jpg`, path: media.poster, mimeType: 'image/jpeg' });
    }
    const records: UploadRecord[] = [];
    const stored: StoredRef[] = [];
    try {
      for (const file of wanted) {
        const name = { name: file.name, ownerId };
        const record = await fileRemovals.recordUpload({
          storage: storage.name,
          storageKey: storage.keyFor(name),
          fileId: null,
        });
        let media: StoredMedia;
        try {
          media = await store({ ...name, path: file.path, mimeType: file.mimeType });
        } catch (error) {
          await fileRemovals.uploadFailed(record, error);
          throw error;
        }
        const ref = { storage: media.storage, storageKey: media.storageKey, fileId: media.fileId };
        stored.push(ref);
        records.push({ ...record, media: ref });
      }
    } catch (error) {
      await Promise.all(records.map((record) => fileRemovals.abandonUpload(record)));
      throw error;
    }
    const [original, poster = null] = stored;
    if (!original) throw new Error('storeFiles stored nothing');
    return { files: { original, poster }, records };
  }

  /** Receives the upload, processes it, stores its files and has the post writer write its post. */
  async function receiveAndWrite<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
    author: Pick<User, 'id'>,
    upload: IncomingUpload,
    caption: string | null,
    query: Q,
  ) {
    const received = await receiveUpload(upload.stream);
    // Stripped, upright and measured before any backend sees a byte of it.
    const media = await processor.process(upload.path(), received);
    try {
      const { files, records } = await storeFiles(author.id, media);
      return await postWriter.write(
        author,
        {
          caption,
          fileName: cleanFileName(upload.filename, media.ext),
          media: { mimeType: media.mimeType, kind: media.kind, ext: media.ext, size: media.size },
          dimensions: { width: media.width, height: media.height, duration: media.duration },
          blurhash: media.blurhash,
          stored: files.original,
          posterKey: files.poster?.storageKey ?? null,
        },
        {
          query,
          uploads: records,
          // The files are stored but the row is not: take them back (or leave them queued).
          release: () => Promise.all(records.map((record) => fileRemovals.abandonUpload(record))),
        },
      );
    } finally {
      await media.discard();
    }
  }

  return {
    /**
     * Checks the upload as it arrives (size, type), processes it (src/services/posts/media-processing.ts:
     * metadata stripped, measured, a video's poster made), then stores it and writes its post. Each file
     * is recorded for cleanup before it is stored, and the records are cleared in the transaction that
     * writes the post. Its declared size is reserved against the day's quota before it is read; what it
     * did not store, or all of it when it fails, goes back.
     */
    async createFromUpload<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      upload: IncomingUpload,
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const cleanedCaption = cleanCaption(caption);
      const allowance = await uploadLimits.begin(author.id);
      await allowance.reserve(upload.declaredBytes);
      try {
        const post = await receiveAndWrite(author, upload, cleanedCaption, query);
        await allowance.stored(post.size);
        return post;
      } catch (error) {
        await allowance.failed();
        throw error;
      }
    },

    /** Changes the caption: the author only (FORBIDDEN for anyone else, superusers included). */
    async updateCaption(viewer: Pick<User, 'id'>, postId: string, caption: string | null | undefined): Promise<void> {
      const cleaned = cleanCaption(caption);
      const post = await db.post.findUnique({ where: { id: postId }, select: { authorId: true } });
      if (!post) throw notFound('Post not found.');
      if (post.authorId !== viewer.id) throw new AppError(ErrorCode.FORBIDDEN, 'Only the author can edit this post.');
      const { count } = await db.post.updateMany({
        where: { id: postId, authorId: viewer.id },
        data: { caption: cleaned },
      });
      if (count === 0) throw notFound('Post not found.');
      // Cached feed pages show the caption.
      await changes.publish({ type: 'posts' });
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
      return fileRemovals.deleteWithFiles(
        async (tx) => {
          const { count } = await tx.post.deleteMany({ where: { id: post.id } });
          if (count === 0) throw notFound('Post not found.');
          return { result: post, files: filesOfPost(post) };
        },
        { committed: () => changes.publish({ type: 'post-removed', postId: post.id, authorId: post.authorId }) },
      );
    },
  };
}

export type PostsService = ReturnType<typeof createPostsService>;

/**
 * A display name for the file: the client's base name, without path parts, control characters or bidi
 * embeddings, overrides and isolates (it is display data, so they are dropped rather than refused).
 */
export function cleanFileName(filename: string | null | undefined, ext: string): string {
  const base = (filename ?? '')
    .replace(/^.*[\\/]/, '')
    .replace(/\p{Cc}/gu, '')
    .replace(new RegExp(BIDI_CONTROL, 'gu'), '')
    .trim()
    .slice(0, 200);
  return base || `upload.${ext}`;
}
