// What this server learns of a file on ImageKit without its bytes: the BlurHash of a 32-pixel rendition
// ImageKit serves (a video's thumbnail frame), and from that rendition's shape, whether the sides
// ImageKit reports are the ones displayed.
import { placeholderOfBytes } from '../../infra/media/image.ts';
import type { ImageKitStorage } from '../../infra/storage/imagekit.ts';
import type { Logger } from '../../logger.ts';
import type { FileKind } from './media.ts';

export interface Placeholder {
  blurhash: string;
  /** The rendition's size as displayed: its shape, not the file's size. */
  width: number;
  height: number;
}

/** The placeholder of a file on ImageKit; null (a post goes without one) when ImageKit serves none. */
export async function placeholderOf(
  storage: ImageKitStorage,
  media: { storageKey: string; fileType: FileKind },
  logger: Logger,
): Promise<Placeholder | null> {
  const bytes = await storage.placeholder(media);
  if (!bytes) return null;
  try {
    return await placeholderOfBytes(bytes);
  } catch (error) {
    logger.warn({ storageKey: media.storageKey, error }, 'ImageKit served a placeholder that does not decode');
    return null;
  }
}

/**
 * The file's size as displayed. ImageKit's details give a photo's size as stored, before its EXIF
 * orientation, while its renditions are turned upright: a portrait rendition of a landscape-stored
 * file means a sideways orientation, so the sides swap.
 */
export function displayedSize(
  file: { width: number | null; height: number | null },
  rendition: { width: number; height: number } | null,
): { width: number | null; height: number | null } {
  const { width, height } = file;
  if (!width || !height || !rendition) return { width, height };
  // Whichever of the two shapes the rendition's is closer to (a 32-pixel rendition rounds its sides).
  const shape = rendition.width / rendition.height;
  const sideways = Math.abs(shape - height / width) < Math.abs(shape - width / height);
  return sideways ? { width: height, height: width } : { width, height };
}
