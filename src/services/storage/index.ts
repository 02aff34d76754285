// The storage the app uses: new uploads go to the active backend, and everything else goes to the
// backend a post names (Post.storage), so posts stored before a switch keep working.
import type ImageKit from '@imagekit/nodejs';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { createImageKitStorage } from './imagekit.ts';
import { createLocalStorage } from './local.ts';
import type { MediaStorage, StoredRef } from './types.ts';

export interface StorageOptions {
  config: Pick<Config, 'storage' | 'imagekit' | 'uploadDir' | 'publicUrl'>;
  /** Present when ImageKit is configured, whichever backend is active. */
  imagekitClient: ImageKit | null;
  logger: Logger;
}

export function createStorage({ config, imagekitClient, logger }: StorageOptions): MediaStorage {
  const backends = new Map<string, MediaStorage>([['local', createLocalStorage(config)]]);
  if (imagekitClient && config.imagekit) {
    backends.set('imagekit', createImageKitStorage({ client: imagekitClient, config: config.imagekit, logger }));
  }
  const backendOf = (media: Pick<StoredRef, 'storage'>) => {
    const backend = backends.get(media.storage);
    if (!backend) throw new Error(`Media stored in "${media.storage}", which is not configured.`);
    return backend;
  };
  const active = backendOf({ storage: config.storage });

  return {
    name: active.name,
    keyFor: (media) => active.keyFor(media),
    put: (media) => active.put(media),
    remove: (media) => backendOf(media).remove(media),
    url: (media, transform) => backendOf(media).url(media, transform),
    thumbnailUrl: (media) => backendOf(media).thumbnailUrl(media),
  };
}
