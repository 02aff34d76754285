// Images as they are stored: re-encoded from their pixels, so nothing of the camera's metadata (EXIF
// with GPS and serial numbers, XMP, IPTC, embedded thumbnails) survives; turned upright (EXIF
// orientation applied to the pixels); their colour profile kept. Their header is read first, and an
// image too large to decode is refused before any pixel is.
import { open, stat, writeFile } from 'node:fs/promises';
import { encode as encodeBlurhash } from 'blurhash';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { AppError } from '../../errors.ts';
import { writeAtomically } from './atomic.ts';
import { decodeHeic, embedIccProfile } from './heic.ts';
import { mediaJobs } from './jobs.ts';
import { diskFailure, refuse } from './refusals.ts';

// libvips' operation cache keeps recent results and open files for reuse: a server sees each image
// once, so the cache would only hold memory (up to 50 MB) and the handles of deleted temp files.
sharp.cache(false);
// One libvips thread per pipeline: mediaJobs already runs one pipeline per core, and every extra
// thread holds its own tile buffers (and spreads memory over more malloc arenas).
sharp.concurrency(1);

/** The largest image decoded, in pixels (all frames of an animation together): IMAGE_MAX_PIXELS. */
export const DEFAULT_IMAGE_MAX_PIXELS = 100_000_000;

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'gif' | 'heic';
/** What an image is stored as: its own format, except HEIC, which browsers cannot show, as JPEG. */
export type StoredImageFormat = Exclude<ImageFormat, 'heic'>;

const STORED: Record<StoredImageFormat, { mimeType: string; ext: string }> = {
  jpeg: { mimeType: 'image/jpeg', ext: 'jpg' },
  png: { mimeType: 'image/png', ext: 'png' },
  webp: { mimeType: 'image/webp', ext: 'webp' },
  avif: { mimeType: 'image/avif', ext: 'avif' },
  gif: { mimeType: 'image/gif', ext: 'gif' },
};

export interface ImageOptions {
  /** Refuse images over this many pixels (all frames together); DEFAULT_IMAGE_MAX_PIXELS by default. */
  maxPixels?: number;
  /**
   * A lower limit for HEIC, which decodes whole in WebAssembly (about 21 bytes a pixel at peak);
   * maxPixels when unset.
   */
  heicMaxPixels?: number;
}

/** An image as its header describes it; nothing decoded. */
export interface ImageProbe {
  format: ImageFormat;
  /** As displayed: after EXIF orientation (a portrait phone photo is taller than wide). One frame's. */
  width: number;
  height: number;
  /** Frames of an animated GIF or WebP; 1 for everything else. */
  frames: number;
  hasIccProfile: boolean;
}

export interface StoredImage {
  format: StoredImageFormat;
  mimeType: string;
  ext: string;
  width: number;
  height: number;
  frames: number;
  /** Bytes written. */
  size: number;
}

export interface ProcessedImage extends StoredImage {
  /** BlurHash of 4 x 3 components: a placeholder clients draw until the image loads. */
  blurhash: string;
}

const unreadable = (cause?: unknown) =>
  refuse('The file is not a readable JPEG, PNG, GIF, WebP, AVIF or HEIC image.', 'UNREADABLE_IMAGE', cause);

/** A sharp failure as the error the caller should see: the disk's (STORAGE_UNAVAILABLE) or the file's. */
function sharpFailure(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const disk = diskFailure(message, error);
  if (disk) return disk;
  if (/exceeds pixel limit/.test(message)) {
    return refuse('The image has more pixels than its header declared.', 'TOO_MANY_PIXELS', error);
  }
  return unreadable(error);
}

type Signature = 'jpeg' | 'png' | 'gif' | 'webp' | 'heif';

/**
 * The family the file's first bytes claim. Only these reach a decoder: sharp also reads SVG, TIFF,
 * JPEG XL and more, which are not accepted (SVG in particular is a document, not pixels).
 */
function signatureOf(head: Buffer): Signature | null {
  const ascii = (start: number, end: number) => head.toString('latin1', start, end);
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') return 'heif';
  return null;
}

async function readHead(path: string): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(16);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

function formatOf(signature: Signature, metadata: Metadata): ImageFormat | null {
  if (signature !== 'heif') return metadata.format === signature ? signature : null;
  if (metadata.format !== 'heif') return null;
  if (metadata.compression === 'av1') return 'avif';
  if (metadata.compression === 'hevc') return 'heic';
  return null;
}

// "100 megapixels", "12.2 megapixels"; small limits (tests, tight settings) in plain pixels.
const megapixels = (pixels: number) =>
  pixels >= 100_000
    ? `${Number((pixels / 1_000_000).toFixed(1))} megapixels`
    : `${pixels.toLocaleString('en-US')} pixels`;

/** The probe and the header's metadata (with the ICC profile's bytes), or the refusal. */
async function readHeader(
  path: string,
  maxPixels: number,
  heicMaxPixels = maxPixels,
): Promise<{ probe: ImageProbe; metadata: Metadata }> {
  const signature = signatureOf(await readHead(path));
  if (!signature) throw unreadable();
  let metadata: Metadata;
  try {
    // Reads the header only. Unlimited here so that a huge image gets our message below, with its size.
    metadata = await sharp(path, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw sharpFailure(error);
  }
  const format = formatOf(signature, metadata);
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!format || !(width > 0 && height > 0)) throw unreadable();
  // Only GIF and WebP animations are decoded frame by frame; HEIF collections and AVIF sequences give one image.
  const frames = (format === 'gif' || format === 'webp') && (metadata.pages ?? 1) > 1 ? (metadata.pages ?? 1) : 1;
  const pixels = width * height * frames;
  const limit = format === 'heic' ? Math.min(maxPixels, heicMaxPixels) : maxPixels;
  if (pixels > limit) {
    const size = `${width} × ${height} pixels${frames > 1 ? ` in ${frames} frames (${megapixels(pixels)})` : ''}`;
    const what = format === 'heic' && limit < maxPixels ? 'HEIC photo' : 'image';
    throw refuse(`The ${what} is ${size}; at most ${megapixels(limit)} are accepted.`, 'TOO_MANY_PIXELS');
  }
  return { probe: { format, width, height, frames, hasIccProfile: Boolean(metadata.icc) }, metadata };
}

/**
 * The image's pixels as a sharp pipeline, upright, with every input option that guards against
 * bombs: the pixel limit (a second guard behind the header check), and failOn 'warning' so that a
 * truncated or corrupt file is refused instead of stored half grey.
 */
async function pipelineOf(path: string, probe: ImageProbe, maxPixels: number): Promise<Sharp> {
  if (probe.format !== 'heic') {
    return sharp(path, {
      limitInputPixels: maxPixels,
      failOn: 'warning',
      autoOrient: true,
      animated: probe.frames > 1,
    });
  }
  let pixels: Awaited<ReturnType<typeof decodeHeic>>;
  try {
    pixels = await decodeHeic(path, { width: probe.width, height: probe.height, maxPixels });
  } catch (error) {
    throw unreadable(error);
  }
  const { data, width, height } = pixels;
  // JPEG has no alpha: transparent parts become white rather than black.
  return sharp(data, { raw: { width, height, channels: 4 }, limitInputPixels: maxPixels }).flatten({
    background: '#ffffff',
  });
}

const OPTIMISED_JPEG_MAX_PIXELS = 24_000_000;

const storedFormatOf = (format: ImageFormat): StoredImageFormat => (format === 'heic' ? 'jpeg' : format);

/**
 * Encoder settings per stored format. JPEG at quality 90 (4:4:4 kept where the original had it), PNG
 * lossless (never palette-quantised), WebP at 90, AVIF at 70 (AVIF's scale runs lower than JPEG's;
 * 70 looks like JPEG's 90), GIF re-using the input's palettes. Animations keep frames, delays, loop.
 */
function encoded(pipeline: Sharp, format: StoredImageFormat, outputPixels: number, metadata: Metadata): Sharp {
  switch (format) {
    case 'jpeg':
      return pipeline.jpeg({
        quality: 90,
        chromaSubsampling: metadata.chromaSubsampling === '4:4:4' ? '4:4:4' : '4:2:0',
        // Optimised Huffman tables need the whole image's coefficients in memory first (about 6.4 bytes
        // a pixel: 640 MB at 100 megapixels), so only up to 24 megapixels (~150 MB); past that the
        // encoder streams row by row (72 MB at 100 megapixels) and the file is 4-40% larger.
        optimiseCoding: outputPixels <= OPTIMISED_JPEG_MAX_PIXELS,
      });
    case 'png':
      return pipeline.png({ compressionLevel: 6, palette: false });
    case 'webp':
      return pipeline.webp({ quality: 90, alphaQuality: 100 });
    case 'avif':
      return pipeline.avif({ quality: 70, effort: 4 });
    case 'gif':
      return pipeline.gif({ reuse: true });
  }
}

/**
 * Writes the pipeline's image to `output` (atomically) as `format`, with no metadata but the ICC
 * profile. sharp writes no EXIF, XMP or IPTC unless told to; keepIccProfile keeps only the profile.
 */
async function store(
  pipeline: Sharp,
  output: string,
  probe: ImageProbe,
  metadata: Metadata,
  maxPixels: number,
  outputPixels = probe.width * probe.height,
): Promise<StoredImage> {
  const format = storedFormatOf(probe.format);
  await writeAtomically(output, async (temporary) => {
    try {
      if (probe.format !== 'heic') {
        await encoded(pipeline.keepIccProfile(), format, outputPixels, metadata).toFile(temporary);
      } else {
        // Raw pixels carry no profile for sharp to keep: the HEIF's is embedded into the JPEG afterwards.
        const jpeg = await encoded(pipeline, format, outputPixels, metadata).toBuffer();
        await writeFile(temporary, metadata.icc ? embedIccProfile(jpeg, metadata.icc) : jpeg);
      }
    } catch (error) {
      throw sharpFailure(error);
    }
  });
  // What was written, read back from its header: the dimensions and frames the file really has.
  const written = await sharp(output, { limitInputPixels: maxPixels }).metadata();
  return {
    format,
    ...STORED[format],
    width: written.width,
    height: written.pageHeight ?? written.height,
    frames: written.pages ?? 1,
    size: (await stat(output)).size,
  };
}

/** BlurHash of a pipeline's image, from a 32-pixel version of it. */
async function blurhashOfPixels(pipeline: Sharp): Promise<string> {
  try {
    const { data, info } = await pipeline
      .resize(32, 32, { fit: 'inside' })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const pixels = new Uint8ClampedArray(data.buffer, data.byteOffset, data.length);
    return encodeBlurhash(pixels, info.width, info.height, 4, 3);
  } catch (error) {
    throw sharpFailure(error);
  }
}

// Shrunk while loading where the format allows (a JPEG decodes at 1/8 scale), then to 32 pixels.
const blurhashOfFile = (path: string, maxPixels: number) =>
  blurhashOfPixels(sharp(path, { limitInputPixels: maxPixels, failOn: 'warning', autoOrient: true }));

const limitOf = (options: ImageOptions) => options.maxPixels ?? DEFAULT_IMAGE_MAX_PIXELS;

/**
 * What the file is, from its header alone: format, displayed size, frames. Refuses with
 * UNSUPPORTED_MEDIA_TYPE anything that is not a JPEG, PNG, GIF, WebP, AVIF or HEIC image, and any
 * image over maxPixels, before a pixel is decoded (a decompression bomb costs a header read).
 */
export async function probeImage(path: string, options: ImageOptions = {}): Promise<ImageProbe> {
  return (await readHeader(path, limitOf(options))).probe;
}

/**
 * Stores the image at `input` as `output`: re-encoded in its own format (HEIC as JPEG), upright, with
 * no EXIF, XMP or IPTC, the ICC profile kept, animations with all their frames. Returns what was
 * stored and its BlurHash. Refuses (UNSUPPORTED_MEDIA_TYPE) what probeImage refuses and any image
 * that does not decode completely; a disk failure is STORAGE_UNAVAILABLE. `output` appears whole or
 * not at all.
 */
export function processImage(input: string, output: string, options: ImageOptions = {}): Promise<ProcessedImage> {
  const maxPixels = limitOf(options);
  return mediaJobs.run(async () => {
    const { probe, metadata } = await readHeader(input, maxPixels, options.heicMaxPixels);
    const stored = await store(await pipelineOf(input, probe, maxPixels), output, probe, metadata, maxPixels);
    return { ...stored, blurhash: await blurhashOfFile(output, maxPixels) };
  });
}

/**
 * Renders the image at `input` to `output` in its stored format, fitted inside `width` x `height`
 * (height unbounded when omitted), never enlarged; stripped and upright like processImage. For local
 * storage's resized URLs: pass a width from snapWidth (src/infra/media/ladder.ts).
 */
export function renderRendition(
  input: string,
  output: string,
  box: { width: number; height?: number },
  options: ImageOptions = {},
): Promise<StoredImage> {
  const maxPixels = limitOf(options);
  for (const side of [box.width, box.height ?? 1]) {
    if (!(Number.isFinite(side) && side >= 1)) throw new RangeError(`A rendition box needs sides of at least 1 pixel.`);
  }
  return mediaJobs.run(async () => {
    const { probe, metadata } = await readHeader(input, maxPixels);
    const pipeline = (await pipelineOf(input, probe, maxPixels)).resize({
      width: Math.round(box.width),
      height: box.height === undefined ? undefined : Math.round(box.height),
      fit: 'inside',
      withoutEnlargement: true,
    });
    const scale = Math.min(1, box.width / probe.width, box.height === undefined ? 1 : box.height / probe.height);
    return store(pipeline, output, probe, metadata, maxPixels, probe.width * probe.height * scale ** 2);
  });
}

/**
 * Stores the image at `input` as a square of at most `side` pixels (the centre of it, never enlarged),
 * stripped and upright like processImage: an avatar. Animations keep only their first frame.
 */
export function processSquare(
  input: string,
  output: string,
  side: number,
  options: ImageOptions = {},
): Promise<ProcessedImage> {
  const maxPixels = limitOf(options);
  return mediaJobs.run(async () => {
    const header = await readHeader(input, maxPixels, options.heicMaxPixels);
    // One frame: an animated avatar would be a GIF of every frame cropped, for a 40-pixel circle.
    const probe = { ...header.probe, frames: 1 };
    const crop = Math.min(side, probe.width, probe.height);
    const pipeline = (await pipelineOf(input, probe, maxPixels)).resize({
      width: crop,
      height: crop,
      fit: 'cover',
      position: 'centre',
    });
    const stored = await store(pipeline, output, probe, header.metadata, maxPixels, crop * crop);
    return { ...stored, blurhash: await blurhashOfFile(output, maxPixels) };
  });
}

/**
 * The BlurHash of an image held in memory (a small rendition another service rendered), and its size
 * as displayed (which tells its orientation).
 */
export function placeholderOfBytes(
  bytes: Uint8Array,
  options: ImageOptions = {},
): Promise<{ blurhash: string; width: number; height: number }> {
  const maxPixels = limitOf(options);
  return mediaJobs.run(async () => {
    const image = () => sharp(bytes, { limitInputPixels: maxPixels, failOn: 'warning', autoOrient: true });
    let metadata: Metadata;
    try {
      metadata = await image().metadata();
    } catch (error) {
      throw sharpFailure(error);
    }
    const blurhash = await blurhashOfPixels(image());
    return {
      blurhash,
      width: metadata.autoOrient?.width ?? metadata.width,
      height: metadata.autoOrient?.height ?? metadata.height,
    };
  });
}

/**
 * The BlurHash (4 x 3 components) of an image file, e.g. a video's poster frame, computed from a
 * 32-pixel version of it. Refuses what probeImage refuses.
 */
export function blurhashOf(path: string, options: ImageOptions = {}): Promise<string> {
  return mediaJobs.run(() => computeBlurhash(path, options));
}

/** blurhashOf outside mediaJobs, for work that already holds a slot there (src/infra/media/video.ts). */
export async function computeBlurhash(path: string, options: ImageOptions = {}): Promise<string> {
  const maxPixels = limitOf(options);
  const { probe } = await readHeader(path, maxPixels);
  if (probe.format !== 'heic') return blurhashOfFile(path, maxPixels);
  const pipeline = await pipelineOf(path, probe, maxPixels);
  return blurhashOfPixels(pipeline);
}
