import type { Config } from '../../config.ts';
import { createLocalStorage } from './local.ts';
import type { MediaStorage } from './types.ts';

export function createStorage(config: Config): MediaStorage {
  return createLocalStorage({ uploadDir: config.uploadDir, publicUrl: config.publicUrl });
}
