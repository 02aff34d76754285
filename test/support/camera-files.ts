// Files as cameras and phones write them, made in the tests: a JPEG with GPS EXIF and orientation 6
// (stored landscape, shown portrait), and an MP4 with a ©xyz location atom; plus a truncated MP4.
import { readFile } from 'node:fs/promises';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { decode } from 'blurhash';
import sharp from 'sharp';
import { locateFfmpeg } from '../../src/infra/media/ffmpeg.ts';
import { POST_MEDIA } from '../operations/media.ts';
import { run, tempFolder } from './media-files.ts';

export const LOCATION = '+48.8584+002.2945/';
export const GPS_EXIF = {
  IFD0: { Make: 'Acme', Model: 'Phone 9' },
  IFD2: { BodySerialNumber: 'SN-123456' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2959/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 4020/100',
  },
};

const located = await locateFfmpeg();
if (!located) throw new Error('No ffmpeg and ffprobe: neither on PATH nor from @ffmpeg-installer/@ffprobe-installer.');
export const ffmpegTools = located;

/**
 * A phone photo: stored 1200 x 900, left half red and right half blue, with orientation 6 (turn 90°
 * clockwise), so it shows 900 x 1200 with red on top; GPS, make, model and serial in its EXIF.
 */
export async function cameraJpeg(): Promise<Buffer> {
  const landscape = await sharp({ create: { width: 1200, height: 900, channels: 3, background: '#0000ff' } })
    .composite([
      { input: { create: { width: 600, height: 900, channels: 3, background: '#ff0000' } }, left: 0, top: 0 },
    ])
    .png()
    .toBuffer();
  return sharp(landscape).withExif(GPS_EXIF).withMetadata({ orientation: 6 }).jpeg({ quality: 92 }).toBuffer();
}

/** A 2-second 320 x 240 H.264 MP4 with a ©xyz location, make and model (what Android phones write). */
export async function locatedMp4(): Promise<Buffer> {
  const folder = await tempFolder('camera-mp4');
  try {
    await run(located!.ffmpeg, [
      ...['-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=10'],
      ...['-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'],
      ...['-metadata', `location=${LOCATION}`, '-metadata', 'make=Acme', '-metadata', 'model=Phone 9'],
      ...['-f', 'mov', '-brand', 'mp42', folder.file('clip.mp4')],
    ]);
    return await readFile(folder.file('clip.mp4'));
  } finally {
    await folder.remove();
  }
}

/** The average colour of a BlurHash's top and bottom rows, decoded at `width` x `height`. */
export function blurhashRows(hash: string, width: number, height: number) {
  const pixels = decode(hash, width, height);
  const row = (y: number) => {
    const sum = [0, 0, 0];
    for (let x = 0; x < width; x += 1) for (let c = 0; c < 3; c += 1) sum[c]! += pixels[(y * width + x) * 4 + c]!;
    return sum.map((value) => value / width);
  };
  return { top: row(0), bottom: row(height - 1) };
}

export const isReddish = ([r, g, b]: number[]) => r! > 150 && g! < 100 && b! < 100;
export const isBluish = ([r, g, b]: number[]) => b! > 150 && r! < 100 && g! < 100;

// A post's media fields, read back after an upload: the typed document (test/operations/media.ts).
export { POST_MEDIA };
export type PostMedia = NonNullable<ResultOf<typeof POST_MEDIA>['post']>;
