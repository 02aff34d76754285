// Uploads straight from the browser to ImageKit, for files too large to relay through this server:
// the API hands out a token that signs every upload parameter (the viewer's own folder, a unique
// name, no overwriting, size and type checks), and creates a post only for a file it has looked up
// through ImageKit's API itself.
//
// Upload limits: a token is one upload (ImageKit refuses a token twice), so handing one out is what
// counts against UPLOAD_MAX_PER_HOUR, and the daily byte quota is checked then too. Posting the file
// counts its bytes but not another upload: one file is counted once.
import type { Prisma, User } from '../../db/index.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { UploadLimits } from '../../infra/rate-limits/upload-limits.ts';
import type { ImageKitStorage } from '../../infra/storage/imagekit.ts';
import type { Logger } from '../../logger.ts';
import { POSTABLE_FOR_MS } from './abandoned-uploads.ts';
import { displayedSize, placeholderOf } from './imagekit-placeholder.ts';
import { ACCEPTED_MIME_TYPES, acceptedMedia, unsupported } from './media.ts';
import type { PostWriter } from './post-writer.ts';
import { cleanCaption, cleanFileName } from './posts.ts';

export interface ImageKitDirectDeps {
  /** Null unless new uploads go to ImageKit. */
  imagekit: ImageKitStorage | null;
  fileRemovals: FileRemovals;
  uploadLimits: UploadLimits;
  postWriter: PostWriter;
  logger: Logger;
}

// ImageKit's fileIds are short alphanumeric strings; anything else cannot be one.
const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const notConfigured = () =>
  new AppError(ErrorCode.BAD_USER_INPUT, 'ImageKit is not configured on this server; upload with uploadPost instead.', {
    reason: 'IMAGEKIT_NOT_CONFIGURED',
  });

// One answer for "does not exist" and "not yours", so fileIds of other people's files cannot be probed.
const notYours = () => new AppError(ErrorCode.FORBIDDEN, 'There is no such file in your ImageKit upload folder.');

const expired = () =>
  new AppError(
    ErrorCode.BAD_USER_INPUT,
    `This upload is over ${POSTABLE_FOR_MS / 3_600_000} hours old and can no longer be posted; upload the file again.`,
    { field: 'fileId', reason: 'UPLOAD_EXPIRED' },
  );

export function createImageKitDirectService({
  imagekit,
  fileRemovals,
  uploadLimits,
  postWriter,
  logger,
}: ImageKitDirectDeps) {
  const enabled = () => {
    if (!imagekit) throw notConfigured();
    return imagekit;
  };

  /**
   * The viewer's file as ImageKit describes it, if it can become a post: in their folder (FORBIDDEN
   * otherwise, also for unknown ids), young enough (UPLOAD_EXPIRED) and an accepted image or video
   * (UNSUPPORTED_MEDIA_TYPE). A file of theirs that can never be posted is deleted.
   */
  async function postableFile(storage: ImageKitStorage, author: Pick<User, 'id'>, fileId: string) {
    const file = await storage.describe(fileId);
    // The token signs the folder, but files also get there in other ways (the dashboard, tokens of
    // earlier versions): only where ImageKit says the file is proves whose it is.
    if (!file?.filePath.startsWith(storage.folderOf(author.id))) throw notYours();
    const remove = () => fileRemovals.remove({ storage: 'imagekit', storageKey: file.filePath, fileId });
    // Past this age the sweep (abandoned-uploads.ts) may be deleting it: never post such a file.
    if (file.createdAt && Date.now() - file.createdAt.getTime() >= POSTABLE_FOR_MS) {
      await remove();
      throw expired();
    }
    const accepted = file.mimeType ? acceptedMedia(file.mimeType) : null;
    if (!file.mimeType || !accepted) {
      await remove();
      throw unsupported();
    }
    return { file, mimeType: file.mimeType, accepted };
  }

  return {
    /**
     * A token for one browser upload into the viewer's folder, valid for 30 minutes. Counts one upload
     * against the user's limits first (RATE_LIMITED past them).
     */
    async authFor(user: Pick<User, 'id'>, requestedName?: string | null) {
      const storage = enabled();
      await uploadLimits.begin(user.id);
      return storage.uploadAuth(user.id, { requestedName, mimeTypes: ACCEPTED_MIME_TYPES });
    },

    async createPost<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      fileId: string,
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const storage = enabled();
      const trimmedCaption = cleanCaption(caption);
      if (!FILE_ID.test(fileId)) throw notYours();
      await uploadLimits.beforeLookup(author.id);
      const { file, mimeType, accepted } = await postableFile(storage, author, fileId).catch(async (error) => {
        // An answer about the file counts; ImageKit failing to answer (STORAGE_UNAVAILABLE) does not.
        if (error instanceof AppError && error.code !== ErrorCode.STORAGE_UNAVAILABLE) {
          await uploadLimits.lookupFailed(author.id);
        }
        throw error;
      });
      // The upload was counted when its token was handed out; the file's size, as ImageKit reports it, is
      // what the day's quota reserves (refused here, the file stays in the folder and can be posted later),
      // so parallel posts of several files cannot pass the quota together.
      const allowance = await uploadLimits.begin(author.id, { countsUpload: false });
      await allowance.reserve(file.size);
      const stored = { storage: 'imagekit' as const, storageKey: file.filePath, fileId };
      const placeholder = await placeholderOf(storage, { storageKey: file.filePath, fileType: accepted.kind }, logger);
      try {
        const post = await postWriter.write(
          author,
          {
            caption: trimmedCaption,
            fileName: cleanFileName(file.name, accepted.ext),
            media: { mimeType, ...accepted, size: file.size },
            dimensions: { ...displayedSize(file, placeholder), duration: file.duration },
            blurhash: placeholder?.blurhash ?? null,
            stored,
          },
          // The account was deleted meanwhile: its folder's file can never become a post now.
          { query, release: () => fileRemovals.remove(stored) },
        );
        await allowance.stored(file.size);
        return post;
      } catch (error) {
        await allowance.failed();
        throw error;
      }
    },
  };
}

export type ImageKitDirectService = ReturnType<typeof createImageKitDirectService>;
