// Creating and deleting posts, keeping rows and stored files in step: a refused or failed upload
// leaves neither a row nor a file, and a deleted post takes its file with it.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { type Db, isForeignKeyViolation, type Post, type Prisma, type User } from '../../db/index.ts';
import { AppError, accountGone, ErrorCode, isFilesystemError, notFound, storageUnavailable } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { UploadLimits } from '../../infra/rate-limits/upload-limits.ts';
import type { MediaStorage, StoredMedia } from '../../infra/storage/types.ts';
import type { Logger } from '../../logger.ts';
import { type DetectedMedia, type MediaDimensions, receiveUpload, validateMedia } from './media.ts';

export interface PostsDeps {
  db: Db;
  storage: MediaStorage;
  fileRemovals: FileRemovals;
  uploadLimits: UploadLimits;
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
// Control characters (C0 and C1) other than tab and newline; \r\n and \r are stored as \n first.
const CAPTION_CONTROL = /[^\P{Cc}\t\n]/u;

/** The caption as stored: trimmed, null when empty, at most 2,200 characters (code points, as people count them). */
export function cleanCaption(caption: string | null | undefined): string | null {
  const trimmed = caption?.replace(/\r\n?/g, '\n').trim() || null;
  if (!trimmed) return null;
  if (CAPTION_CONTROL.test(trimmed)) {
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      'Caption must not contain control characters other than tab and newline.',
      { field: 'caption' },
    );
  }
  // Counting stops past the limit, so a 10 MB caption is not walked to its end.
  let length = 0;
  for (const _ of trimmed) if (++length > MAX_CAPTION_LENGTH) break;
  if (length > MAX_CAPTION_LENGTH) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `Caption must be at most ${MAX_CAPTION_LENGTH} characters.`, {
      field: 'caption',
    });
  }
  return trimmed;
}

/** The row of a new post, however its file arrived (through this server or straight to ImageKit). */
export function postData(
  author: Pick<User, 'id'>,
  post: {
    caption: string | null;
    fileName: string;
    media: DetectedMedia & { size: number };
    dimensions: MediaDimensions;
    stored: StoredMedia;
  },
): Prisma.PostUncheckedCreateInput {
  return {
    authorId: author.id,
    caption: post.caption,
    fileType: post.media.kind,
    fileName: post.fileName,
    mimeType: post.media.mimeType,
    size: post.media.size,
    ...post.dimensions,
    ...post.stored,
  };
}

export function createPostsService({ db, storage, fileRemovals, uploadLimits, logger, changes }: PostsDeps) {
  /** Stores the file, turning a failing disk into STORAGE_UNAVAILABLE; ImageKit's failures already are. */
  async function store(...args: Parameters<MediaStorage['put']>): Promise<StoredMedia> {
    try {
      return await storage.put(...args);
    } catch (error) {
      if (!isFilesystemError(error)) throw error;
      logger.error({ error }, 'could not store an upload on local disk');
      throw storageUnavailable();
    }
  }

  /** Receives, checks and stores the file, then writes its post; returns the post and the bytes stored. */
  async function storeUpload<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
    author: Pick<User, 'id'>,
    upload: IncomingUpload,
    caption: string | null,
    query: Q,
  ) {
    const media = await receiveUpload(upload.stream);
    const path = upload.path();
    const dimensions = await validateMedia(path, media);
    const name = { name: `${randomUUID()}.${media.ext}`, ownerId: author.id };
    const record = await fileRemovals.recordUpload({
      storage: storage.name,
      storageKey: storage.keyFor(name),
      fileId: null,
    });
    let stored: StoredMedia;
    try {
      stored = await store({ ...name, path, mimeType: media.mimeType });
    } catch (error) {
      await fileRemovals.uploadFailed(record, error);
      throw error;
    }
    const data = postData(author, {
      caption,
      fileName: cleanFileName(upload.filename, media.ext),
      media,
      dimensions,
      stored,
    });
    try {
      const [post] = await db.$transaction([db.post.create({ ...query, data }), fileRemovals.uploadDone(record)]);
      await changes.publish({ type: 'posts' });
      return { post, bytes: media.size };
    } catch (error) {
      // The file is stored but the row is not: take the file back (or leave it queued) so nothing is orphaned.
      await fileRemovals.abandonUpload({ ...record, media: stored });
      // A post refers to nothing but its author: the account was deleted while the file arrived.
      if (isForeignKeyViolation(error)) throw accountGone();
      throw error;
    }
  }

  return {
    /**
     * Checks the upload as it arrives (size, type) and once complete (it parses as that type), then
     * stores it and writes its post. The file is recorded for cleanup before it is stored, and the record
     * is cleared in the transaction that writes the post. Its declared size is reserved against the
     * day's quota before it is read; what it did not store, or all of it when it fails, goes back.
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
        const { post, bytes } = await storeUpload(author, upload, cleanedCaption, query);
        await allowance.stored(bytes);
        return post;
      } catch (error) {
        await allowance.failed();
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
      return fileRemovals.deleteWithFiles(
        async (tx) => {
          const { count } = await tx.post.deleteMany({ where: { id: post.id } });
          if (count === 0) throw notFound('Post not found.');
          return { result: post, files: [post] };
        },
        { committed: () => changes.publish({ type: 'posts' }) },
      );
    },
  };
}

export type PostsService = ReturnType<typeof createPostsService>;

/** A display name for the file: the client's base name, without path parts or control characters. */
export function cleanFileName(filename: string | null | undefined, ext: string): string {
  const base = (filename ?? '')
    .replace(/^.*[\\/]/, '')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .slice(0, 200);
  return base || `upload.${ext}`;
}
