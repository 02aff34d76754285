// Media on ImageKit: uploads go through its API, URLs are built here with the SDK's helper (resizing
// and video thumbnails are URL transformations, so nothing is generated up front), and deleting
// needs ImageKit's fileId, not the URL.
import { openAsBlob } from 'node:fs';
import ImageKit, { APIConnectionError, APIError, NotFoundError } from '@imagekit/nodejs';
import type { ImageKitConfig } from '../../config.ts';
import { storageUnavailable } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { srcSet, WIDTH_LADDER } from '../media/ladder.ts';
import { type DirectUploadRules, signDirectUpload, type UploadAuth } from './imagekit-upload-tokens.ts';
import type { IncomingMedia, MediaName, MediaRef, MediaStorage, StoredMedia, StoredRef, Transform } from './types.ts';

export const UPLOAD_TAGS = ['backend-upload'];
// Fits the preview inside this box, keeping the aspect ratio.
const THUMBNAIL = { width: 480, height: 480, crop: 'at_max' } as const;
// ImageKit serves a video's first frame as an image under this suffix.
const VIDEO_THUMBNAIL_SUFFIX = '/ik-thumbnail.jpg';

// Post.width and height are integers; ImageKit documents them as numbers.
export const whole = (value: number | undefined) => (value == null ? null : Math.round(value));

export function createImageKitClient(config: ImageKitConfig, logger: Logger): ImageKit {
  const log =
    (level: 'warn' | 'error') =>
    (message: string, ...details: unknown[]) =>
      logger[level](details.length > 0 ? { details } : {}, `imagekit: ${message}`);
  return new ImageKit({
    privateKey: config.privateKey,
    // null rather than undefined: undefined would make the SDK read IMAGE_KIT_BASE_URL itself, and
    // src/config.ts, which already folded that variable in, is the only reader of the environment.
    baseURL: config.baseUrl,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    logLevel: 'warn',
    logger: { error: log('error'), warn: log('warn'), info: () => {}, debug: () => {} },
  });
}

/**
 * Any failed call to ImageKit: unreachable, timed out, 5xx after the SDK's retries, or refusing our
 * keys. The client cannot fix it by changing the request, only by trying again later.
 */
export function imageKitFailure(error: unknown, logger: Logger, action: string): unknown {
  if (!(error instanceof APIError)) return error;
  const transient =
    error instanceof APIConnectionError ||
    error.status === undefined ||
    error.status >= 500 ||
    [408, 409, 429].includes(error.status);
  // A 4xx that is not about load means our keys or settings are wrong: an operator has to act.
  logger[transient ? 'warn' : 'error']({ status: error.status, error }, `ImageKit ${action} failed`);
  return storageUnavailable();
}

/** What ImageKit says of a file, for posting one a browser uploaded straight to it. */
export interface RemoteFile {
  fileId: string;
  filePath: string;
  name: string | null;
  mimeType: string | null;
  size: number;
  width: number | null;
  height: number | null;
  duration: number | null;
  /** When it was first uploaded, as ImageKit says; null if it does not. */
  createdAt: Date | null;
}

export type { UploadAuth } from './imagekit-upload-tokens.ts';

// Files and folders per list request: ImageKit returns at most 1,000; smaller pages keep each answer short.
const LIST_PAGE_SIZE = 100;

export interface ImageKitStorage extends MediaStorage {
  /** The folder a user's browser uploads go to; only files there can become their posts. */
  folderOf(userId: string): string;
  /** A token for one browser upload into the user's folder, valid for 30 minutes, and the fields it signs. */
  uploadAuth(userId: string, rules: Omit<DirectUploadRules, 'folder'>): UploadAuth;
  /** ImageKit's record of a file, or null when it has none by that id. STORAGE_UNAVAILABLE when it cannot be asked. */
  describe(fileId: string): Promise<RemoteFile | null>;
  /**
   * The files in every user's upload folder that ImageKit says were created before `cutoff`, a folder's
   * worth at a time in pieces of at most 100. Each folder is listed to its end before any of it is
   * handed over, so deleting what was handed over does not shift the pages still to come.
   */
  uploadsCreatedBefore(cutoff: Date): AsyncGenerator<RemoteFile[]>;
  /**
   * The file rendered 32 pixels wide by ImageKit (a video's thumbnail frame), for a BlurHash; null when
   * ImageKit does not serve it within IMAGEKIT_PLACEHOLDER_TIMEOUT_MS.
   */
  placeholder(media: Pick<MediaRef, 'storageKey' | 'fileType'>): Promise<Uint8Array | null>;
}

// A 32-pixel JPEG is a few kilobytes; anything much larger is not what was asked for.
const PLACEHOLDER_MAX_BYTES = 512 * 1024;

type ImageKitFile = Awaited<ReturnType<ImageKit['files']['get']>>;

function remoteFile(file: ImageKitFile): RemoteFile | null {
  if (!file.fileId || !file.filePath) return null;
  return {
    fileId: file.fileId,
    filePath: file.filePath,
    name: file.name ?? null,
    mimeType: file.mime ?? null,
    size: file.size ?? 0,
    width: whole(file.width),
    height: whole(file.height),
    duration: file.duration ?? null,
    createdAt: file.createdAt ? new Date(file.createdAt) : null,
  };
}

export interface ImageKitStorageDeps {
  config: ImageKitConfig;
  logger: Logger;
  client?: ImageKit;
}

export function createImageKitStorage({
  config,
  logger,
  client = createImageKitClient(config, logger),
}: ImageKitStorageDeps): ImageKitStorage {
  const src = (path: string, transformation?: object[]) =>
    client.helper.buildSrc({ urlEndpoint: config.urlEndpoint, src: path, transformation });

  const keyFor = ({ name }: MediaName) => `${config.folder}${name}`;

  /** ImageKit deletes by fileId; a file whose upload answer never arrived is found by its path. */
  async function fileIdOf({ fileId, storageKey }: StoredRef): Promise<string | null> {
    if (fileId) return fileId;
    const slash = storageKey.lastIndexOf('/');
    const found = await client.assets.list({
      path: storageKey.slice(0, slash + 1),
      searchQuery: `name = "${storageKey.slice(slash + 1).replaceAll('"', '')}"`,
    });
    const file = found.find((entry) => entry.type !== 'folder' && 'filePath' in entry && entry.filePath === storageKey);
    return file && 'fileId' in file ? (file.fileId ?? null) : null;
  }

  const usersFolder = `${config.folder}users/`;
  const folderOf = (userId: string) => `${usersFolder}${userId}/`;

  /** Every entry of a listing, asking page after page until one comes back short. */
  async function everyPage<T>(listPage: (page: { limit: number; skip: number }) => Promise<T[]>): Promise<T[]> {
    const entries: T[] = [];
    for (let skip = 0; ; skip += LIST_PAGE_SIZE) {
      const page = await listPage({ limit: LIST_PAGE_SIZE, skip });
      entries.push(...page);
      if (page.length < LIST_PAGE_SIZE) return entries;
    }
  }

  return {
    name: 'imagekit',
    keyFor,
    folderOf,

    uploadAuth: (userId, rules) => signDirectUpload(config, { ...rules, folder: folderOf(userId) }),

    async describe(fileId) {
      let file: Awaited<ReturnType<typeof client.files.get>>;
      try {
        file = await client.files.get(fileId);
      } catch (error) {
        if (error instanceof NotFoundError) return null;
        throw imageKitFailure(error, logger, 'file lookup');
      }
      return remoteFile(file);
    },

    async *uploadsCreatedBefore(cutoff) {
      const folders = await everyPage((page) => client.assets.list({ path: usersFolder, type: 'folder', ...page }));
      // The search query's time is UTC to the second, in the form ImageKit's list API documents.
      const before = cutoff.toISOString().slice(0, 19);
      for (const { folderPath } of folders) {
        if (!folderPath) continue;
        const entries = await everyPage((page) =>
          client.assets.list({
            path: `${folderPath.replace(/\/+$/, '')}/`,
            // With a searchQuery the type parameter has no effect, so the query names it.
            searchQuery: `type = "file" AND createdAt < "${before}"`,
            sort: 'ASC_CREATED',
            ...page,
          }),
        );
        const files = entries.flatMap((entry) => ('fileId' in entry ? (remoteFile(entry) ?? []) : []));
        for (let at = 0; at < files.length; at += LIST_PAGE_SIZE) yield files.slice(at, at + LIST_PAGE_SIZE);
      }
    },

    async put({ path, name, mimeType }: IncomingMedia): Promise<StoredMedia> {
      // A file-backed Blob: the multipart body reads it from disk while sending, so memory stays
      // flat whatever the size, and a retry can read it again.
      const file = new File([await openAsBlob(path)], name, { type: mimeType });
      let uploaded: Awaited<ReturnType<typeof client.files.upload>>;
      try {
        uploaded = await client.files.upload(
          // Our own unique name (a UUID), not ImageKit's suffix: the path is known before the upload,
          // so the cleanup record written before it can find the file whatever happens after.
          { file, fileName: name, folder: config.folder, useUniqueFileName: false, tags: UPLOAD_TAGS },
          // ImageKit does not redirect uploads; following one would send the file and our key elsewhere.
          { fetchOptions: { redirect: 'error' } },
        );
      } catch (error) {
        throw imageKitFailure(error, logger, 'upload');
      }
      if (!uploaded.fileId || !uploaded.filePath) {
        throw new Error(`ImageKit accepted ${name} but answered without a fileId or filePath.`);
      }
      return {
        storage: 'imagekit',
        storageKey: uploaded.filePath,
        fileId: uploaded.fileId,
        width: whole(uploaded.width),
        height: whole(uploaded.height),
        duration: uploaded.duration ?? null,
      };
    },

    async remove(media: StoredRef) {
      const fileId = await fileIdOf(media);
      // Never uploaded, or already gone.
      if (!fileId) return;
      try {
        // No SDK retries: a failed delete goes to the pending-deletion queue, which retries with backoff.
        await client.files.delete(fileId, { maxRetries: 0 });
      } catch (error) {
        if (error instanceof NotFoundError) return;
        throw error;
      }
    },

    url(media: MediaRef, transform?: Transform) {
      const { width, height } = transform ?? {};
      return src(
        media.storageKey,
        width || height ? [{ width: width ?? undefined, height: height ?? undefined }] : undefined,
      );
    },

    async placeholder({ storageKey, fileType }) {
      const file = fileType === 'VIDEO' ? `${storageKey}${VIDEO_THUMBNAIL_SUFFIX}` : storageKey;
      const url = src(file, [{ width: 32 }]);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(config.placeholderTimeoutMs) });
        const length = Number(response.headers.get('content-length') ?? 0);
        if (
          !response.ok ||
          !response.headers.get('content-type')?.startsWith('image/') ||
          length > PLACEHOLDER_MAX_BYTES
        ) {
          logger.warn({ url, status: response.status }, 'ImageKit served no placeholder rendition');
          await response.body?.cancel();
          return null;
        }
        const bytes = new Uint8Array(await response.arrayBuffer());
        return bytes.length <= PLACEHOLDER_MAX_BYTES ? bytes : null;
      } catch (error) {
        logger.warn({ url, error }, 'could not fetch a placeholder rendition from ImageKit');
        return null;
      }
    },

    srcSet(media: MediaRef) {
      if (media.fileType !== 'IMAGE') return null;
      // Without a known width (a post not yet backfilled), every rung, none enlarged (c-at_max).
      const originalWidth = media.width ?? Math.max(...WIDTH_LADDER);
      return srcSet(originalWidth, (width) =>
        media.width && width >= media.width
          ? src(media.storageKey)
          : src(media.storageKey, [{ width, crop: 'at_max' }]),
      );
    },

    thumbnailUrl(media: MediaRef) {
      return src(media.fileType === 'VIDEO' ? `${media.storageKey}${VIDEO_THUMBNAIL_SUFFIX}` : media.storageKey, [
        THUMBNAIL,
      ]);
    },
  };
}
