// HEIC/HEIF photos (what iPhones take): the sharp build from npm cannot decode HEVC, so the pixels come
// from heic-decode (libheif as WebAssembly) in a worker thread, and sharp encodes them as JPEG.
import { Piscina } from 'piscina';

export interface RgbaImage {
  /** width x height x 4 bytes, row by row. */
  data: Uint8Array;
  width: number;
  height: number;
}

let pool: Piscina | undefined;

/**
 * One thread, started on first use and ended after 10 idle seconds: WebAssembly memory only grows
 * while its thread lives (to about 10 bytes a pixel of the largest photo decoded), so an idle thread
 * gives it back by exiting. HEIC uploads wait for each other, which also caps that memory at one photo.
 */
function workers(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./heic-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: 1,
    idleTimeout: 10_000,
    // Plain JavaScript needs no loader: the main thread's flags (tsx, a profiler's preload) stay out.
    execArgv: [],
  });
  return pool;
}

/** Stops the decoding thread (it would also exit on its own once idle). */
export async function closeHeicWorkers(): Promise<void> {
  const running = pool;
  pool = undefined;
  await running?.destroy();
}

/**
 * Decodes the HEIF file's image of `width` x `height` (its header's primary image) to RGBA, off the
 * event loop. Rejects (with libheif's reason) when the file does not decode, holds no such image, or
 * that image is over `maxPixels`: the size is checked before decoding.
 */
export function decodeHeic(
  path: string,
  { width, height, maxPixels }: { width: number; height: number; maxPixels: number },
): Promise<RgbaImage> {
  return workers().run({ path, width, height, maxPixels });
}

// A JPEG APP2 segment holds at most 65,533 bytes after its length field; 14 go to the ICC header.
const ICC_CHUNK_BYTES = 65_519;
const ICC_SIGNATURE = Buffer.from('ICC_PROFILE\0', 'latin1');

/**
 * The JPEG with `icc` embedded as APP2 ICC_PROFILE segments (ICC.1 Annex B), placed after the
 * JFIF/Exif APPn segments at its start. For pixels that sharp encoded from raw data: they are in the
 * HEIF's colour space (often Display P3), and without the profile they would show as sRGB.
 */
export function embedIccProfile(jpeg: Uint8Array, icc: Uint8Array): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('Not a JPEG: no SOI marker.');
  const count = Math.ceil(icc.length / ICC_CHUNK_BYTES);
  if (count === 0 || count > 255) throw new RangeError(`An ICC profile of ${icc.length} bytes does not fit a JPEG.`);
  // After SOI, skip the APP0/APP1 segments a JPEG starts with: JFIF must stay first.
  let at = 2;
  while (jpeg[at] === 0xff && (jpeg[at + 1] === 0xe0 || jpeg[at + 1] === 0xe1)) {
    at += 2 + (((jpeg[at + 2] ?? 0) << 8) | (jpeg[at + 3] ?? 0));
  }
  const segments = Array.from({ length: count }, (_, index) => {
    const chunk = icc.subarray(index * ICC_CHUNK_BYTES, (index + 1) * ICC_CHUNK_BYTES);
    const header = Buffer.alloc(4);
    header.writeUInt16BE(0xffe2, 0);
    header.writeUInt16BE(2 + ICC_SIGNATURE.length + 2 + chunk.length, 2);
    return Buffer.concat([header, ICC_SIGNATURE, Buffer.from([index + 1, count]), chunk]);
  });
  return Buffer.concat([jpeg.subarray(0, at), ...segments, jpeg.subarray(at)]);
}
