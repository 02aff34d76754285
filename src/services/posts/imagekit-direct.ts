// Uploads straight from the browser to ImageKit, for files too large to relay through this server:
// the API hands out upload parameters for the viewer's own folder, and creates a post only for a
// file it has looked up through ImageKit's API itself.
import { type Db, isForeignKeyViolation, isUniqueViolation, type Prisma, type User } from '../../db/index.ts';
import { AppError, accountGone, ErrorCode } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { UploadLimits } from '../../infra/rate-limits/upload-limits.ts';
import type { ImageKitStorage } from '../../infra/storage/imagekit.ts';
import { acceptedMedia, unsupported } from './media.ts';
import { cleanCaption, cleanFileName, postData } from './posts.ts';

export interface ImageKitDirectDeps {
  db: Db;
  /** Null unless new uploads go to ImageKit. */
  imagekit: ImageKitStorage | null;
  fileRemovals: FileRemovals;
  uploadLimits: UploadLimits;
  /** Tells every instance's caches that posts changed (src/infra/changes.ts). */
  changes: Changes;
}

// ImageKit's fileIds are short alphanumeric strings; anything else cannot be one.
const FILE_ID = /^[A-Za-z0-9_-]{1,64}$/;

const notConfigured = () =>
  new AppError(ErrorCode.BAD_USER_INPUT, 'ImageKit is not configured on this server; upload with uploadPost instead.', {
    reason: 'IMAGEKIT_NOT_CONFIGURED',
  });

// One answer for "does not exist" and "not yours", so fileIds of other people's files cannot be probed.
const notYours = () => new AppError(ErrorCode.FORBIDDEN, 'There is no such file in your ImageKit upload folder.');

export function createImageKitDirectService({ db, imagekit, fileRemovals, uploadLimits, changes }: ImageKitDirectDeps) {
  const enabled = () => {
    if (!imagekit) throw notConfigured();
    return imagekit;
  };

  return {
    /** Parameters for browser uploads into the viewer's folder, valid for 30 minutes (the SDK's default). */
    authFor: (user: Pick<User, 'id'>) => enabled().uploadAuth(user.id),

    async createPost<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      fileId: string,
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const storage = enabled();
      const trimmedCaption = cleanCaption(caption);
      if (!FILE_ID.test(fileId)) throw notYours();
      // Refused here, the file stays in the viewer's folder: the same fileId can be posted later.
      const allowance = await uploadLimits.begin(author.id);
      const file = await storage.describe(fileId);
      // The upload signature does not cover the folder, so a browser can put a file anywhere:
      // only where ImageKit says the file is proves whose it is.
      if (!file?.filePath.startsWith(storage.folderOf(author.id))) throw notYours();
      const accepted = file.mimeType ? acceptedMedia(file.mimeType) : null;
      if (!file.mimeType || !accepted) {
        // It sits in the viewer's upload folder and can never become a post: do not keep it.
        await fileRemovals.remove({ storage: 'imagekit', storageKey: file.filePath, fileId });
        throw unsupported();
      }
      const data = postData(author, {
        caption: trimmedCaption,
        fileName: cleanFileName(file.name, accepted.ext),
        media: { mimeType: file.mimeType, ...accepted, size: file.size },
        dimensions: { width: file.width, height: file.height, duration: file.duration },
        stored: { storage: 'imagekit', storageKey: file.filePath, fileId },
      });
      // The file is at ImageKit already; its size, as ImageKit reports it, is what the quota reserves
      // (refused here, the file stays too), so parallel posts of several files cannot pass the quota together.
      await allowance.reserve(file.size);
      const post = await db.post.create({ ...query, data }).catch(async (error: unknown) => {
        await allowance.failed();
        if (isUniqueViolation(error)) {
          throw new AppError(ErrorCode.BAD_USER_INPUT, 'This file is already posted.', { field: 'fileId' });
        }
        if (isForeignKeyViolation(error)) {
          // The account was deleted meanwhile; its folder's file can never become a post now.
          await fileRemovals.remove({ storage: 'imagekit', storageKey: file.filePath, fileId });
          throw accountGone();
        }
        throw error;
      });
      await allowance.stored(file.size);
      await changes.publish({ type: 'posts' });
      return post;
    },
  };
}

export type ImageKitDirectService = ReturnType<typeof createImageKitDirectService>;
