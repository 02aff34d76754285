// Uploads straight from the browser to ImageKit, for files too large to relay through this server:
// the API hands out upload parameters for the viewer's own folder, and creates a post only for a
// file it has looked up through ImageKit's API itself.
import type ImageKit from '@imagekit/nodejs';
import { NotFoundError } from '@imagekit/nodejs';
import type { ImageKitConfig } from '../config.ts';
import { type Db, isUniqueViolation, type Prisma, type User } from '../db/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { acceptedMedia, unsupported } from './media.ts';
import type { MediaCleanup } from './media-cleanup.ts';
import { cleanCaption, cleanFileName, postData } from './posts.ts';
import { imageKitFailure, whole } from './storage/imagekit.ts';

export interface ImageKitUploadsDeps {
  db: Db;
  /** Null unless new uploads go to ImageKit. */
  imagekit: { client: ImageKit; config: ImageKitConfig } | null;
  cleanup: MediaCleanup;
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

export function createImageKitUploadsService({ db, imagekit, cleanup, logger }: ImageKitUploadsDeps) {
  const enabled = () => {
    if (!imagekit) throw notConfigured();
    return imagekit;
  };
  const folderOf = (config: ImageKitConfig, user: Pick<User, 'id'>) => `${config.folder}users/${user.id}/`;

  return {
    /** Parameters for browser uploads into the viewer's folder, valid for 30 minutes (the SDK's default). */
    authFor(user: Pick<User, 'id'>) {
      const { client, config } = enabled();
      const { token, expire, signature } = client.helper.getAuthenticationParameters();
      return {
        token,
        expire,
        signature,
        publicKey: config.publicKey,
        urlEndpoint: config.urlEndpoint,
        folder: folderOf(config, user),
      };
    },

    async createPost<Q extends Omit<Prisma.PostCreateArgs, 'data'>>(
      author: Pick<User, 'id'>,
      fileId: string,
      caption: string | null | undefined,
      query: Q = {} as Q,
    ) {
      const { client, config } = enabled();
      const trimmedCaption = cleanCaption(caption);
      if (!FILE_ID.test(fileId)) throw notYours();
      let file;
      try {
        file = await client.files.get(fileId);
      } catch (error) {
        if (error instanceof NotFoundError) throw notYours();
        throw imageKitFailure(error, logger, 'file lookup');
      }
      // The upload signature does not cover the folder, so a browser can put a file anywhere:
      // only where ImageKit says the file is proves whose it is.
      if (!file.filePath?.startsWith(folderOf(config, author))) throw notYours();
      const accepted = file.mime ? acceptedMedia(file.mime) : null;
      if (!accepted) {
        // It sits in the viewer's upload folder and can never become a post: do not keep it.
        await cleanup.remove({ storage: 'imagekit', storageKey: file.filePath, fileId });
        throw unsupported();
      }
      const data = postData(author, {
        caption: trimmedCaption,
        fileName: cleanFileName(file.name, accepted.ext),
        media: { mimeType: file.mime!, ...accepted, size: file.size ?? 0 },
        dimensions: { width: whole(file.width), height: whole(file.height), duration: file.duration ?? null },
        stored: { storage: 'imagekit', storageKey: file.filePath, fileId },
      });
      try {
        return await db.post.create({ ...query, data });
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError(ErrorCode.BAD_USER_INPUT, 'This file is already posted.', { field: 'fileId' });
        throw error;
      }
    },
  };
}

export type ImageKitUploadsService = ReturnType<typeof createImageKitUploadsService>;
