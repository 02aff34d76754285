// Files live under UPLOAD_DIR/<ownerId>/<uuid>.<ext> and are served by src/http/media.ts.
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMedia, MediaRef, MediaStorage, StoredMedia } from './types.ts';

export const MEDIA_ROUTE = '/media/';
// Only keys we minted are served or deleted: no "..", no hidden spool folder.
export const LOCAL_KEY_PATTERN = /^[0-9a-f-]{36}\/[0-9a-f-]{36}\.[a-z0-9]{2,5}$/;

export function createLocalStorage({ uploadDir, publicUrl }: { uploadDir: string; publicUrl: string }): MediaStorage {
  const fileOf = (key: string) => {
    if (!LOCAL_KEY_PATTERN.test(key)) throw new Error(`Not a local storage key: ${key}`);
    return path.join(uploadDir, key);
  };
  const urlOf = (media: Pick<MediaRef, 'storageKey'>) => `${publicUrl}${MEDIA_ROUTE}${media.storageKey}`;

  return {
    name: 'local',
    async put({ path: spoolPath, name, ownerId }: IncomingMedia): Promise<StoredMedia> {
      const storageKey = `${ownerId}/${name}`;
      const target = fileOf(storageKey);
      await mkdir(path.dirname(target), { recursive: true });
      // The spool folder is inside UPLOAD_DIR, so this is an atomic rename: no half-written file is ever visible.
      await rename(spoolPath, target);
      return { storage: 'local', storageKey, fileId: null };
    },
    async remove({ storageKey }) {
      await rm(fileOf(storageKey), { force: true });
    },
    url: urlOf,
    thumbnailUrl: urlOf,
  };
}
