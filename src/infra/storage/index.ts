// The storage the app uses: new uploads go to the active backend, and everything else goes to the
// backend a post names (Post.storage), so posts stored before a switch keep working.
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { createImageKitStorage, type ImageKitStorage } from './imagekit.ts';
import { createLocalStorage } from './local.ts';
import type { MediaStorage, StoredRef } from './types.ts';

export interface StorageDeps {
  config: Pick<Config, 'storage' | 'imagekit' | 'uploadDir' | 'publicUrl'>;
  logger: Logger;
}

export interface Storage extends MediaStorage {
  /** ImageKit when new uploads go there, for uploads straight from the browser; null otherwise. */
  readonly directUploads: ImageKitStorage | null;
  /**
   * ImageKit whenever it is configured, new uploads there or not: its users' upload folders are swept
   * of files nobody posted even after a switch to local disk.
   */
  readonly imagekit: ImageKitStorage | null;
}

export function createStorage({ config, logger }: StorageDeps): Storage {
  const local = createLocalStorage(config);
  // Present when ImageKit is configured, whichever backend is active: its old posts stay reachable.
  const imagekit = config.imagekit ? createImageKitStorage({ config: config.imagekit, logger }) : null;
  const backendOf = (media: Pick<StoredRef, 'storage'>): MediaStorage => {
    if (media.storage === 'local') return local;
    if (media.storage === 'imagekit' && imagekit) return imagekit;
    throw new Error(`Media stored in "${media.storage}", which is not configured.`);
  };
  const active = backendOf({ storage: config.storage });

  return {
    name: active.name,
    directUploads: active === imagekit ? imagekit : null,
    imagekit,
    keyFor: (media) => active.keyFor(media),
    put: (media) => active.put(media),
    remove: (media) => backendOf(media).remove(media),
    url: (media, transform) => backendOf(media).url(media, transform),
    thumbnailUrl: (media) => backendOf(media).thumbnailUrl(media),
    srcSet: (media) => backendOf(media).srcSet(media),
  };
}
