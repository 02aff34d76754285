// Decodes HEIC/HEIF images with heic-decode (libheif compiled to WebAssembly) in a worker thread of
// src/infra/media/heic.ts: decoding a 12-megapixel photo takes about a second of CPU, which on the
// event loop would stall every request. Plain JavaScript: worker threads load it with Node's own
// loader, whatever runs the main thread.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import { move, transferableSymbol, valueSymbol } from 'piscina';

const require = createRequire(import.meta.url);

// Below the main thread's priority (Linux niceness applies per thread), as every media job runs
// (src/infra/media/priority.ts): requests keep their share of the CPU while a photo decodes.
try {
  os.setPriority(10);
} catch {
  // Not allowed here: the default priority is fine.
}
const heicDecode = require('heic-decode');

// libheif-js reports files it cannot parse with console.log before heic-decode throws; the thrown
// error is what the caller gets, so the log lines would only be noise in the server's output.
console.log = () => {};

/**
 * The image the file's header describes (its primary image: the one with those dimensions), as RGBA
 * pixels, with libheif's rotation and mirroring applied. Its size is checked against maxPixels
 * before anything is decoded.
 */
export default async function decode({ path, width, height, maxPixels }) {
  const images = await heicDecode.all({ buffer: await readFile(path) });
  try {
    const image =
      images.find((candidate) => candidate.width === width && candidate.height === height) ??
      images.find((candidate) => candidate.width === height && candidate.height === width) ??
      (images.length === 1 ? images[0] : undefined);
    if (!image) throw new Error(`No image of ${width} x ${height} in this HEIF file.`);
    if (image.width * image.height > maxPixels) {
      throw new Error(`The HEIF image is ${image.width} x ${image.height} pixels, over the limit.`);
    }
    const decoded = await image.decode();
    const data = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
    // Moved, not copied: the pixels are 4 bytes each, 48 MB for a 12-megapixel photo. (piscina moves a
    // value that names its transferable parts this way.)
    return move({
      [transferableSymbol]: [data.buffer],
      [valueSymbol]: { data, width: decoded.width, height: decoded.height },
    });
  } finally {
    images.dispose();
  }
}
