// Files live under UPLOAD_DIR/<ownerId>/<uuid>.<ext> and are served by src/http/media.ts.
import { chmod, copyFile, link, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMedia, MediaName, MediaRef, MediaStorage, StoredMedia } from './types.ts';

export const MEDIA_ROUTE = '/media/';
// Only keys we minted are served or deleted: no "..", no hidden folder.
export const LOCAL_KEY_PATTERN = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\.[a-z0-9]{2,5}$/;

export function createLocalStorage({ uploadDir, publicUrl }: { uploadDir: string; publicUrl: string }): MediaStorage {
  const fileOf = (key: string) => {
    if (!LOCAL_KEY_PATTERN.test(key)) throw new Error(`Not a local storage key: ${key}`);
    return path.join(uploadDir, key);
  };
  const urlOf = (media: Pick<MediaRef, 'storageKey'>) => `${publicUrl}${MEDIA_ROUTE}${media.storageKey}`;
  const keyFor = ({ ownerId, name }: MediaName) => `${ownerId}/${name}`;

  return {
    name: 'local',
    keyFor,
    async put(media: IncomingMedia): Promise<StoredMedia> {
      const storageKey = keyFor(media);
      const target = fileOf(storageKey);
      await mkdir(path.dirname(target), { recursive: true });
      try {
        // The upload is already complete on disk: a second name for it costs no write, and the file
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
      await rm(fileOf(storageKey), { force: true });
    },
    url: urlOf,
    // The original image is its own preview; a video has no still image without a transcoder.
    thumbnailUrl: (media) => (media.fileType === 'IMAGE' ? urlOf(media) : null),
  };
}
