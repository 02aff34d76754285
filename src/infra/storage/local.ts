// Files live under UPLOAD_DIR/<ownerId>/<uuid>.<ext> and are served by src/http/media.ts, with their
// renditions and posters beside them (src/infra/storage/local-keys.ts).
import { chmod, copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { snapWidth, srcSet } from '../media/ladder.ts';
import { hasRenditions, isStoredKey, renditionKey, renditionKeysOf } from './local-keys.ts';
import type { IncomingMedia, MediaName, MediaRef, MediaStorage, StoredMedia, Transform } from './types.ts';

export const MEDIA_ROUTE = '/media/';

// The box thumbnailUrl fits an image in, as on ImageKit.
const THUMBNAIL_BOX = { width: 480, height: 480 };

/**
 * The rendition width that serves `transform` for the image, or null when the original serves it
 * best: no size asked, dimensions unknown (not yet backfilled), or a rung not narrower than the original.
 */
function renditionWidth(media: MediaRef, { width, height }: Transform = {}): number | null {
  if (media.fileType !== 'IMAGE' || !media.width || !media.height || !hasRenditions(media.storageKey)) return null;
  // The widest image that fits the box, keeping the aspect ratio.
  const wanted = Math.min(width ?? Infinity, height ? (height * media.width) / media.height : Infinity);
  if (!Number.isFinite(wanted)) return null;
  const snapped = snapWidth(Math.max(1, wanted), media.width);
  return snapped < media.width ? snapped : null;
}

export function createLocalStorage({ uploadDir, publicUrl }: { uploadDir: string; publicUrl: string }): MediaStorage {
  const fileOf = (key: string) => {
    if (!isStoredKey(key)) throw new Error(`Not a local storage key: ${key}`);
    return path.join(uploadDir, key);
  };
  const urlOfKey = (key: string) => `${publicUrl}${MEDIA_ROUTE}${key}`;
  const keyFor = ({ ownerId, name }: MediaName) => `${ownerId}/${name}`;
  const url = (media: MediaRef, transform?: Transform) => {
    const width = renditionWidth(media, transform);
    return urlOfKey(width === null ? media.storageKey : renditionKey(media.storageKey, width));
  };

  return {
    name: 'local',
    keyFor,
    async put(media: IncomingMedia): Promise<StoredMedia> {
      const storageKey = keyFor(media);
      const target = fileOf(storageKey);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        // The file is already complete on disk: a second name for it costs no write, and the file
        // appears whole, at once.
        await link(media.path, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
        // TMPDIR is on another filesystem: copy beside the target, then rename it into place.
        const part = path.join(path.dirname(target), `.${media.name}.part`);
        try {
          await copyFile(media.path, part);
          await rename(part, target);
        } finally {
          await rm(part, { force: true });
        }
      }
      // The temp file was private (0600); media is public by its URL, and a web server in front
      // (nginx serving UPLOAD_DIR) runs as another user.
      await chmod(target, 0o644);
      return { storage: 'local', storageKey, fileId: null };
    },
    async remove({ storageKey }) {
      // The original first: a rendition rendered from now on finds it gone and removes itself.
      await rm(fileOf(storageKey), { force: true });
      await Promise.all(renditionKeysOf(storageKey).map((key) => rm(path.join(uploadDir, key), { force: true })));
    },
    url,
    thumbnailUrl: (media) => {
      if (media.fileType === 'IMAGE') return url(media, THUMBNAIL_BOX);
      return media.posterKey ? urlOfKey(media.posterKey) : null;
    },
    srcSet: (media) => {
      if (media.fileType !== 'IMAGE' || !media.width) return null;
      if (!hasRenditions(media.storageKey)) return `${urlOfKey(media.storageKey)} ${media.width}w`;
      const originalWidth = media.width;
      return srcSet(originalWidth, (width) =>
        urlOfKey(width < originalWidth ? renditionKey(media.storageKey, width) : media.storageKey),
      );
    },
  };
}
