// The names of files on local disk. An original is <ownerId>/<uuid>.<ext>; beside it may be its
// video poster (<uuid>.poster.jpg, a stored file of its own) and its renditions (<uuid>.w<width>.<ext>,
// made on first request at a width of the ladder only). Only names of these shapes are served or
// deleted: no "..", no hidden file, no width a client picked.
import { WIDTH_LADDER } from '../media/ladder.ts';

/**
 * The folder under UPLOAD_DIR where uploads are processed before they are stored (on the same
 * filesystem, so storing is a link). Nothing there outlives its request but a crash's leftovers,
 * which the maintenance sweep removes after an hour.
 */
export const PROCESSING_FOLDER = '.processing';

const UUID = '[0-9a-f-]{36}';
const ORIGINAL = new RegExp(`^(${UUID}/${UUID})\\.([a-z0-9]{2,5})$`);
const POSTER = new RegExp(`^${UUID}/${UUID}\\.poster\\.jpg$`);
const RENDITION = new RegExp(`^(${UUID}/${UUID})\\.w(\\d{1,4})\\.([a-z0-9]{2,5})$`);

/** The formats renditions are made of (the stored image formats; HEIC is stored as JPEG since). */
const RENDITION_EXTS = new Set(['jpg', 'png', 'gif', 'webp', 'avif']);

/** A stored file's key: an original or a poster. */
export const isStoredKey = (key: string) => ORIGINAL.test(key) || POSTER.test(key);

/** Whether an original's format has renditions. */
export const hasRenditions = (originalKey: string) => RENDITION_EXTS.has(ORIGINAL.exec(originalKey)?.[2] ?? '');

/** The key of an original's rendition `width` pixels wide. */
export function renditionKey(originalKey: string, width: number): string {
  const [, base, ext] = ORIGINAL.exec(originalKey) ?? [];
  if (!base || !ext) throw new Error(`Not an original's key: ${originalKey}`);
  return `${base}.w${width}.${ext}`;
}

/** Every rendition an original may have, one per rung: what goes with it when it is removed. */
export const renditionKeysOf = (originalKey: string) =>
  ORIGINAL.test(originalKey) ? WIDTH_LADDER.map((width) => renditionKey(originalKey, width)) : [];

/** The original and width a rendition key names; null unless the width is a rung and the format has renditions. */
export function parseRenditionKey(key: string): { originalKey: string; width: number } | null {
  const [, base, width, ext] = RENDITION.exec(key) ?? [];
  if (!base || !ext || !RENDITION_EXTS.has(ext)) return null;
  const rung = WIDTH_LADDER.find((candidate) => String(candidate) === width);
  return rung ? { originalKey: `${base}.${ext}`, width: rung } : null;
}
