// Images as stored by src/infra/media/image.ts, checked in their bytes: metadata gone (exifr and the
// JPEG's own segments), orientation applied to the pixels, the colour profile kept, every accepted
// format in and the right format out, and the BlurHash drawn from the picture.
import { readFile, writeFile } from 'node:fs/promises';
import { decode } from 'blurhash';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeHeicWorkers, embedIccProfile } from '../../src/infra/media/heic.ts';
import { blurhashOf, probeImage, processImage } from '../../src/infra/media/image.ts';
import { jpegSegments, tempFolder, withIptc } from '../support/media-files.ts';

const EVERYTHING = {
  tiff: true,
  ifd1: true,
  exif: true,
  gps: true,
  xmp: true,
  iptc: true,
  icc: true,
  mergeOutput: false,
};
const XMP =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="Ada Lovelace"/></rdf:RDF></x:xmpmeta>';
const CAMERA_EXIF = {
  IFD0: { Make: 'Acme', Model: 'Phone 9', Software: 'CamOS 1.2' },
  IFD2: { BodySerialNumber: 'SN-123456', DateTimeOriginal: '2024:05:01 12:00:00' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '48/1 51/1 2959/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '2/1 17/1 4020/100',
  },
};

const folder = await tempFolder('media-image');
const { file } = folder;

/** A width x height image, left half `left`, right half `right`. */
function halves(width: number, height: number, left: string, right: string) {
  return sharp({ create: { width, height, channels: 3, background: right } }).composite([
    {
      input: { create: { width: width / 2, height, channels: 3, background: left } },
      left: 0,
      top: 0,
    },
  ]);
}

/** The pixel at (x, y) as [r, g, b], read from the file as stored (no orientation applied). */
async function pixel(path: string, x: number, y: number): Promise<number[]> {
  const { data } = await sharp(path, { autoOrient: false })
    .extract({ left: x, top: y, width: 1, height: 1 })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return [...data];
}

const isReddish = ([r, g, b]: number[]) => r! > 180 && g! < 80 && b! < 80;
const isBluish = ([r, g, b]: number[]) => b! > 180 && r! < 80 && g! < 80;

beforeAll(async () => {
  // Stored landscape 40x30 (red left, blue right) with orientation 6: shown portrait 30x40, red on top.
  const camera = await (
    await halves(40, 30, '#ff0000', '#0000ff')
      .png()
      .toBuffer()
      .then((png) => sharp(png))
  )
    .withExif(CAMERA_EXIF)
    .withMetadata({ orientation: 6 })
    .withIccProfile('p3')
    .withXmp(XMP)
    .jpeg({ quality: 95 })
    .toBuffer();
  await writeFile(file('camera.jpg'), withIptc(camera, 'Eiffel tower at noon', 'Ada Lovelace'));

  const frames = ['#ff0000', '#00ff00', '#0000ff'].map((colour) =>
    sharp({ create: { width: 32, height: 24, channels: 3, background: colour } })
      .png()
      .toBuffer(),
  );
  const animation = { input: await Promise.all(frames), options: { join: { animated: true } } } as const;
  await sharp(animation.input, animation.options)
    .gif({ delay: [200, 300, 400], loop: 0 })
    .toFile(file('anim.gif'));
  await sharp(animation.input, animation.options)
    .webp({ delay: [100, 100, 100] })
    .toFile(file('anim.webp'));

  const redBlue = halves(64, 48, '#ff0000', '#0000ff');
  await redBlue.clone().withExif(CAMERA_EXIF).withXmp(XMP).png().toFile(file('with-exif.png'));
  await redBlue.clone().withExif(CAMERA_EXIF).withXmp(XMP).webp({ quality: 90 }).toFile(file('with-exif.webp'));
  await redBlue.clone().avif({ quality: 80 }).toFile(file('photo.avif'));
  await sharp({ create: { width: 40, height: 30, channels: 3, background: '#3366cc' } })
    .png()
    .toFile(file('solid.png'));
});

afterAll(async () => {
  await closeHeicWorkers();
  await folder.remove();
});

describe('a camera JPEG with GPS, a serial number, XMP, IPTC, an ICC profile and orientation 6', () => {
  it('has all of them before processing (so the checks below can fail)', async () => {
    const input = await readFile(file('camera.jpg'));
    const found = await exifr.parse(input, EVERYTHING);
    expect(found.gps).toMatchObject({ latitude: expect.closeTo(48.8582, 3), longitude: expect.closeTo(2.2945, 3) });
    expect(found.exif.SerialNumber ?? found.exif.BodySerialNumber).toBe('SN-123456');
    expect(found.ifd0).toMatchObject({ Make: 'Acme', Orientation: 'Rotate 90 CW' });
    expect(found.dc).toMatchObject({ creator: 'Ada Lovelace' });
    expect(found.iptc).toMatchObject({ Caption: 'Eiffel tower at noon', Byline: 'Ada Lovelace' });
    expect(jpegSegments(input)).toEqual(expect.arrayContaining(['APP1', 'APP2', 'APP13']));
    expect(await probeImage(file('camera.jpg'))).toEqual({
      format: 'jpeg',
      width: 30,
      height: 40,
      frames: 1,
      hasIccProfile: true,
    });
  });

  it('is stored upright, 30x40, with only its colour profile left', async () => {
    const stored = await processImage(file('camera.jpg'), file('camera-out.jpg'));
    expect(stored).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', ext: 'jpg', width: 30, height: 40 });

    const output = await readFile(file('camera-out.jpg'));
    expect(stored.size).toBe(output.length);
    // The ICC profile only: no APP1 (EXIF with its thumbnail, XMP), no APP13 (IPTC).
    expect(jpegSegments(output).filter((name) => name.startsWith('APP'))).toEqual(['APP2']);
    const found = await exifr.parse(output, EVERYTHING);
    expect(Object.keys(found ?? {})).toEqual(['icc']);
    expect(await exifr.gps(output)).toBeUndefined();
    expect(await exifr.thumbnail(output)).toBeUndefined();
    expect(output.includes('SN-123456')).toBe(false);
    expect(output.includes('Ada Lovelace')).toBe(false);
    // The same Display P3 profile as the input's.
    expect(found.icc.ProfileDescription).toBe(
      (await exifr.parse(file('camera.jpg'), { icc: true })).ProfileDescription,
    );

    // Rotated into the pixels: red (the stored left half) is now the top half, and nothing says to rotate again.
    const metadata = await sharp(output).metadata();
    expect([metadata.width, metadata.height, metadata.orientation]).toEqual([30, 40, undefined]);
    expect(isReddish(await pixel(file('camera-out.jpg'), 15, 5))).toBe(true);
    expect(isBluish(await pixel(file('camera-out.jpg'), 15, 35))).toBe(true);
  });
});

// Strings the camera metadata holds: none of them may be left in a stored file's bytes.
const CAMERA_STRINGS = ['SN-123456', 'Ada Lovelace', 'Acme', 'CamOS', 'Exif', 'xmpmeta'];
const leftovers = (bytes: Buffer) => CAMERA_STRINGS.filter((text) => bytes.includes(text));

describe('every accepted format', () => {
  it.each([
    ['with-exif.png', { format: 'png', mimeType: 'image/png', ext: 'png', width: 64, height: 48, frames: 1 }],
    ['with-exif.webp', { format: 'webp', mimeType: 'image/webp', ext: 'webp', width: 64, height: 48, frames: 1 }],
    ['photo.avif', { format: 'avif', mimeType: 'image/avif', ext: 'avif', width: 64, height: 48, frames: 1 }],
    ['anim.gif', { format: 'gif', mimeType: 'image/gif', ext: 'gif', width: 32, height: 24, frames: 3 }],
    ['anim.webp', { format: 'webp', mimeType: 'image/webp', ext: 'webp', width: 32, height: 24, frames: 3 }],
  ])('%s is stored as %j', async (name, expected) => {
    const output = file(`out-${name}`);
    const stored = await processImage(file(name), output);
    expect(stored).toMatchObject(expected);
    // The file really is that format and size (its header, read back by libvips).
    const metadata = await sharp(output).metadata();
    expect(metadata.format === 'heif' ? metadata.compression : metadata.format).toBe(
      expected.format === 'avif' ? 'av1' : expected.format,
    );
    expect([metadata.width, metadata.pageHeight ?? metadata.height, metadata.pages ?? 1]).toEqual([
      expected.width,
      expected.height,
      expected.frames,
    ]);
    expect([metadata.exif, metadata.xmp, metadata.iptc]).toEqual([undefined, undefined, undefined]);
    expect(leftovers(await readFile(output))).toEqual([]);
  });

  it('had EXIF (GPS, serial) and XMP in the PNG and WebP inputs', async () => {
    for (const name of ['with-exif.png', 'with-exif.webp']) {
      const metadata = await sharp(file(name)).metadata();
      expect(metadata.exif).toBeDefined();
      expect(metadata.xmp?.toString()).toContain('Ada Lovelace');
      expect(leftovers(await readFile(file(name)))).toEqual(expect.arrayContaining(['SN-123456', 'Acme']));
    }
    expect((await exifr.gps(file('with-exif.png')))?.latitude).toBeCloseTo(48.8582, 3);
    const png = await exifr.parse(await readFile(file('out-with-exif.png')), EVERYTHING);
    expect(Object.keys(png ?? {}).filter((key) => key !== 'ihdr')).toEqual([]);
  });

  it('keeps an animated GIF’s frames, their delays and its looping', async () => {
    await processImage(file('anim.gif'), file('anim-out.gif'));
    const metadata = await sharp(file('anim-out.gif')).metadata();
    expect(metadata).toMatchObject({ pages: 3, delay: [200, 300, 400], loop: 0 });
    const third = await sharp(file('anim-out.gif'), { page: 2 }).raw().toBuffer();
    expect(isBluish([...third.subarray(0, 3)])).toBe(true);
  });

  it('stores test/fixtures/photo.heic (HEVC, 32x24, red at the top to blue at the bottom) as a JPEG', async () => {
    const heic = 'test/fixtures/photo.heic';
    expect(await probeImage(heic)).toMatchObject({ format: 'heic', width: 32, height: 24 });
    const stored = await processImage(heic, file('heic-out.jpg'));
    expect(stored).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', ext: 'jpg', width: 32, height: 24 });
    const output = await readFile(file('heic-out.jpg'));
    expect((await sharp(output).metadata()).format).toBe('jpeg');
    expect(jpegSegments(output).filter((name) => name.startsWith('APP'))).toEqual([]);
    // The pixels are the photo's: red along the top edge, blue along the bottom.
    expect(isReddish(await pixel(file('heic-out.jpg'), 16, 0))).toBe(true);
    expect(isBluish(await pixel(file('heic-out.jpg'), 16, 23))).toBe(true);
  });
  it('keeps a HEIC’s ICC profile (test/fixtures/photo-p3.heic, Display P3) in the JPEG', async () => {
    const heic = 'test/fixtures/photo-p3.heic';
    const profile = (await sharp(heic).metadata()).icc!;
    expect(await probeImage(heic)).toMatchObject({ format: 'heic', width: 32, height: 24, hasIccProfile: true });
    await processImage(heic, file('heic-p3.jpg'));
    const output = await readFile(file('heic-p3.jpg'));
    expect(jpegSegments(output).filter((name) => name.startsWith('APP'))).toEqual(['APP2']);
    expect(Buffer.compare((await sharp(output).metadata()).icc!, profile)).toBe(0);
    // Red on the left, blue on the right, as encoded.
    expect(isReddish(await pixel(file('heic-p3.jpg'), 2, 12))).toBe(true);
    expect(isBluish(await pixel(file('heic-p3.jpg'), 29, 12))).toBe(true);
  });
});

describe('embedIccProfile', () => {
  const p3Profile = async () =>
    (await sharp(await sharp(file('solid.png')).withIccProfile('p3').jpeg().toBuffer()).metadata()).icc!;

  it.each([
    ['a small profile, in one segment', 3000, 1],
    ['a profile over 64 KB, in segments of 65,519 bytes', 150_000, 3],
  ])('embeds %s that libvips reads back byte for byte', async (_label, bytes, segments) => {
    const p3 = await p3Profile();
    // A real profile first (lcms checks it), padded to the size wanted: a reader concatenates the segments.
    const icc = Buffer.concat([p3, Buffer.alloc(Math.max(0, bytes - p3.length), 7)]);
    const plain = await sharp(file('solid.png')).jpeg().toBuffer();
    const tagged = embedIccProfile(plain, icc);
    expect(jpegSegments(tagged).filter((name) => name === 'APP2')).toHaveLength(segments);
    expect(Buffer.compare((await sharp(tagged).metadata()).icc!, icc)).toBe(0);
    expect((await sharp(tagged).raw().toBuffer()).length).toBe(40 * 30 * 3);
  });

  it('keeps a JFIF APP0 segment first', async () => {
    // test/fixtures/photo.jpg was written by ImageMagick, which starts with JFIF.
    const jfif = await readFile('test/fixtures/photo.jpg');
    expect(jpegSegments(jfif)[0]).toBe('APP0');
    const tagged = embedIccProfile(jfif, await p3Profile());
    expect(jpegSegments(tagged).slice(0, 2)).toEqual(['APP0', 'APP2']);
    expect((await sharp(tagged).metadata()).icc).toBeDefined();
  });

  it('refuses what is no JPEG', () => {
    expect(() => embedIccProfile(Buffer.from('GIF89a'), Buffer.alloc(10))).toThrow(/Not a JPEG/);
  });
});

describe('blurhash', () => {
  it('of a solid #3366cc image decodes to that colour', async () => {
    const hash = (await processImage(file('solid.png'), file('solid-out.png'))).blurhash;
    expect(hash).toHaveLength(28); // 4 x 3 components: 6 + 2 x (4 x 3 - 1) characters
    expect(await blurhashOf(file('solid.png'))).toBe(hash);
    const pixels = decode(hash, 8, 6);
    const average = [0, 1, 2].map((channel) => {
      let sum = 0;
      for (let at = channel; at < pixels.length; at += 4) sum += pixels[at]!;
      return sum / (pixels.length / 4);
    });
    for (const [got, wanted] of average.map((value, channel) => [value, [0x33, 0x66, 0xcc][channel]!])) {
      expect(Math.abs(got! - wanted!)).toBeLessThanOrEqual(4);
    }
  });

  it('of a red-left, blue-right image decodes red on the left and blue on the right', async () => {
    const hash = (await processImage(file('with-exif.png'), file('halves-out.png'))).blurhash;
    const pixels = decode(hash, 8, 6);
    const at = (x: number, y: number) => [...pixels.subarray((y * 8 + x) * 4, (y * 8 + x) * 4 + 3)];
    const [leftR, , leftB] = at(0, 3);
    const [rightR, , rightB] = at(7, 3);
    expect(leftR!).toBeGreaterThan(leftB! + 100);
    expect(rightB!).toBeGreaterThan(rightR! + 100);
  });

  it('of an oriented photo follows the displayed picture: red on top', async () => {
    const pixels = decode(await blurhashOf(file('camera.jpg')), 6, 8);
    const [topR, , topB] = pixels.subarray(0, 3);
    const [bottomR, , bottomB] = pixels.subarray((7 * 6 + 0) * 4, (7 * 6 + 0) * 4 + 3);
    expect(topR!).toBeGreaterThan(topB! + 100);
    expect(bottomB!).toBeGreaterThan(bottomR! + 100);
  });
});
