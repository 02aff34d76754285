// What src/infra/media/image.ts refuses (bombs, files that are no image or only half of one, formats
// not accepted) and how it renders the widths of the rendition ladder.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeImage, processImage, renderRendition } from '../../src/infra/media/image.ts';
import { snapWidth } from '../../src/infra/media/ladder.ts';
import { pngBomb, tempFolder } from '../support/media-files.ts';

const folder = await tempFolder('media-limits');
const { file } = folder;

const refused = (reason: string, message?: RegExp) =>
  expect.objectContaining({
    name: 'AppError',
    code: 'UNSUPPORTED_MEDIA_TYPE',
    extensions: { reason },
    ...(message ? { message: expect.stringMatching(message) } : {}),
  });

beforeAll(async () => {
  await writeFile(file('bomb.png'), pngBomb(100_000, 100_000));
  // Noise, so that the JPEG's scan data is most of the file and its first half stops mid-image.
  const noise = Buffer.alloc(200 * 200 * 3);
  for (let at = 0; at < noise.length; at++) noise[at] = (at * 7919) % 251;
  const jpeg = await sharp(noise, { raw: { width: 200, height: 200, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  await writeFile(file('whole.jpg'), jpeg);
  await writeFile(file('truncated.jpg'), jpeg.subarray(0, jpeg.length / 2));
  await writeFile(
    file('drawing.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>',
  );
  await sharp({ create: { width: 40, height: 30, channels: 3, background: '#ff0000' } })
    .tiff()
    .toFile(file('photo.tiff'));
  const wide = sharp({ create: { width: 2048, height: 1024, channels: 3, background: '#3366cc' } });
  await wide.clone().jpeg().toFile(file('wide.jpg'));
  await wide.clone().webp().toFile(file('wide.webp'));
});

afterAll(() => folder.remove());

describe('a decompression bomb', () => {
  it('is a 100,000 x 100,000 PNG of a few dozen bytes', async () => {
    const bytes = await readFile(file('bomb.png'));
    expect(bytes.length).toBeLessThan(100);
    // The header is valid (CRC and all): libvips reads its size.
    const metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['png', 100_000, 100_000]);
  });

  it('is refused from its header, naming the limit, for less than 50 MB of memory', async () => {
    // libvips and sharp loaded and warm first: their one-time cost is not the bomb's.
    await processImage(file('whole.jpg'), file('warm.jpg'));
    const before = process.memoryUsage().rss;
    const message = /^The image is 100000 × 100000 pixels; at most 100 megapixels are accepted\.$/;
    await expect(probeImage(file('bomb.png'))).rejects.toEqual(refused('TOO_MANY_PIXELS', message));
    await expect(processImage(file('bomb.png'), file('bomb-out.png'))).rejects.toEqual(
      refused('TOO_MANY_PIXELS', message),
    );
    await expect(renderRendition(file('bomb.png'), file('bomb-320.png'), { width: 320 })).rejects.toEqual(
      refused('TOO_MANY_PIXELS', message),
    );
    const growth = process.memoryUsage().rss - before;
    expect(growth).toBeLessThan(50 * 1024 * 1024);
    expect(existsSync(file('bomb-out.png'))).toBe(false);
  });

  it('is measured against maxPixels when one is given, counting every frame of an animation', async () => {
    // 200 x 200 = 40,000 pixels.
    await expect(processImage(file('whole.jpg'), file('small-limit.jpg'), { maxPixels: 39_999 })).rejects.toEqual(
      refused('TOO_MANY_PIXELS', /^The image is 200 × 200 pixels; at most 39,999 pixels are accepted\.$/),
    );
    expect((await processImage(file('whole.jpg'), file('at-limit.jpg'), { maxPixels: 40_000 })).width).toBe(200);
    // test/fixtures/anim.gif: 3 frames of 32 x 24 = 2,304 pixels in all.
    await expect(probeImage('test/fixtures/anim.gif', { maxPixels: 2_000 })).rejects.toEqual(
      refused('TOO_MANY_PIXELS', /^The image is 32 × 24 pixels in 3 frames \(2,304 pixels\); at most 2,000 pixels/),
    );
  });
});

describe('files that are not an accepted image', () => {
  it.each([
    ['a text file', 'test/fixtures/not-media.txt'],
    ['text under a .jpg name', 'test/fixtures/fake.jpg'],
    ['a PDF', 'test/fixtures/document.pdf'],
    ['an MP4 video', 'test/fixtures/clip.mp4'],
    ['an SVG drawing (sharp could render it; it is not accepted)', 'drawing.svg'],
    ['a TIFF (sharp reads it; it is not accepted)', 'photo.tiff'],
  ])('%s is UNSUPPORTED_MEDIA_TYPE', async (_label, name) => {
    const path = name.includes('/') ? name : file(name);
    await expect(probeImage(path)).rejects.toEqual(refused('UNREADABLE_IMAGE'));
    await expect(processImage(path, file('refused.out'))).rejects.toEqual(refused('UNREADABLE_IMAGE'));
    expect(existsSync(file('refused.out'))).toBe(false);
  });

  it('a truncated JPEG has a valid header but is refused when decoded, and nothing is written', async () => {
    // The header alone looks fine: the refusal comes from decoding, not from a size check.
    expect(await probeImage(file('truncated.jpg'))).toMatchObject({ format: 'jpeg', width: 200, height: 200 });
    await expect(processImage(file('truncated.jpg'), file('truncated-out.jpg'))).rejects.toEqual(
      refused('UNREADABLE_IMAGE'),
    );
    expect(existsSync(file('truncated-out.jpg'))).toBe(false);
  });
});

describe('renditions', () => {
  it('of a 2048-wide JPEG asked at 300 is 320 wide, a JPEG, the aspect ratio kept', async () => {
    const width = snapWidth(300, 2048);
    const rendition = await renderRendition(file('wide.jpg'), file('wide-320.jpg'), { width });
    expect(rendition).toMatchObject({ format: 'jpeg', mimeType: 'image/jpeg', width: 320, height: 160 });
    const metadata = await sharp(file('wide-320.jpg')).metadata();
    expect([metadata.format, metadata.width, metadata.height]).toEqual(['jpeg', 320, 160]);
  });

  it('of a 2048-wide WebP asked at 5000 is the original width, still a WebP', async () => {
    const width = snapWidth(5000, 2048);
    expect(await renderRendition(file('wide.webp'), file('wide-full.webp'), { width })).toMatchObject({
      format: 'webp',
      width: 2048,
      height: 1024,
    });
  });

  it('is never enlarged, whatever width is passed', async () => {
    expect(await renderRendition(file('wide.jpg'), file('wide-up.jpg'), { width: 4096 })).toMatchObject({
      width: 2048,
      height: 1024,
    });
  });

  it('fits inside a box when a height is given', async () => {
    expect(await renderRendition(file('wide.jpg'), file('wide-box.jpg'), { width: 640, height: 100 })).toMatchObject({
      width: 200,
      height: 100,
    });
  });

  it('needs a box of at least one pixel', () => {
    expect(() => renderRendition(file('wide.jpg'), file('none.jpg'), { width: 0 })).toThrow(RangeError);
    expect(() => renderRendition(file('wide.jpg'), file('none.jpg'), { width: 320, height: Number.NaN })).toThrow(
      RangeError,
    );
  });

  it('of an animated GIF keeps every frame', async () => {
    expect(await renderRendition('test/fixtures/anim.gif', file('anim-16.gif'), { width: 16 })).toMatchObject({
      format: 'gif',
      width: 16,
      height: 12,
      frames: 3,
    });
  });

  it('of a HEIC original is a JPEG', async () => {
    expect(await renderRendition('test/fixtures/photo.heic', file('heic-16.jpg'), { width: 16 })).toMatchObject({
      format: 'jpeg',
      mimeType: 'image/jpeg',
      width: 16,
      height: 12,
    });
  });
});
