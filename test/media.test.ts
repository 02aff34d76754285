// What a photo app gets of each upload on local storage, checked in the stored bytes and over HTTP:
// dimensions as displayed, duration, a BlurHash of the picture, no GPS or camera metadata, renditions
// on the ladder (rendered once, cached, removed with the post), a video's poster, HEIC as JPEG, and
// the refusals (a decompression bomb, a truncated MP4, an undecodable image) that cost nothing.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import {
  blurhashRows,
  cameraJpeg,
  ffmpegTools,
  isBluish,
  isReddish,
  LOCATION,
  locatedMp4,
  POST_MEDIA,
  type PostMedia,
} from './support/camera-files.ts';
import { rawRequest } from './support/http.ts';
import { dbIdOf } from './support/ids.ts';
import { eventually } from './support/imagekit.ts';
import { ffprobeJson, pngBomb, tempFolder } from './support/media-files.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;
let camera: Buffer;
let video: Buffer;
const folder = await tempFolder('media-api');

beforeAll(async () => {
  [server, camera, video] = await Promise.all([startTestServer(), cameraJpeg(), locatedMp4()]);
  alice = await signUp(server);
});
afterAll(async () => {
  await server?.close();
  await folder.remove();
});

async function post(bytes: Buffer, filename: string): Promise<PostMedia> {
  const res = await uploadPost(server.url, { token: alice.token, bytes, filename });
  expect(res.body.errors).toBeUndefined();
  const read = await gqlTyped(server, POST_MEDIA, { id: res.body.data!.uploadPost.id }, alice.token);
  return read.body.data!.post!;
}

const storedFile = async (id: string) => {
  const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(id) } });
  return path.join(server.config.uploadDir, row.storageKey);
};

describe('a phone photo (orientation 6, GPS in its EXIF)', () => {
  let photo: PostMedia;
  beforeAll(async () => {
    photo = await post(camera, 'IMG_0001.jpg');
  });

  it('has it beforehand (so the checks below can fail)', async () => {
    const exif = await exifr.parse(camera, { gps: true, tiff: true, exif: true });
    expect(exif).toMatchObject({ Make: 'Acme', Orientation: 'Rotate 90 CW' });
    expect(exif.latitude).toBeCloseTo(48.858, 2);
  });

  it('is stored upright without GPS, camera or EXIF, and measured as displayed', async () => {
    expect(photo).toMatchObject({
      fileType: 'IMAGE',
      mimeType: 'image/jpeg',
      width: 900,
      height: 1200,
      duration: null,
    });
    const stored = await readFile(await storedFile(photo.id));
    expect(photo.size).toBe(stored.length);
    expect(await exifr.parse(stored, { gps: true, tiff: true, exif: true, xmp: true, iptc: true })).toBeUndefined();
    expect(stored.includes('Acme')).toBe(false);
    const metadata = await sharp(stored).metadata();
    expect({ width: metadata.width, height: metadata.height, orientation: metadata.orientation }).toEqual({
      width: 900,
      height: 1200,
      orientation: undefined,
    });
  });

  it('has a BlurHash of the picture: red on top, blue below', () => {
    const { top, bottom } = blurhashRows(photo.blurhash!, 9, 12);
    expect(isReddish(top)).toBe(true);
    expect(isBluish(bottom)).toBe(true);
  });

  it('serves url(width: 300) as a 320-pixel-wide JPEG, and the ladder in srcSet', async () => {
    expect(photo.w300).toMatch(/\.w320\.jpg$/);
    const rendition = await fetch(photo.w300);
    expect(rendition.status).toBe(200);
    expect(rendition.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await rendition.arrayBuffer());
    expect(await sharp(bytes).metadata()).toMatchObject({ width: 320, height: 427, format: 'jpeg' });
    expect(await exifr.parse(bytes, { gps: true })).toBeUndefined();
    // 160, 320 and 640 are narrower than the original's 900; then the original itself.
    expect(photo.srcSet).toBe(
      [160, 320, 640].map((width) => `${photo.url.replace(/\.jpg$/, `.w${width}.jpg`)} ${width}w`).join(', ') +
        `, ${photo.url} 900w`,
    );
    // A box of 1000 x 500 holds the portrait photo at 375 wide: the 640 rung. Past the original: the original.
    expect(photo.box).toMatch(/\.w640\.jpg$/);
    expect(photo.huge).toBe(photo.url);
    expect(photo.thumbnailUrl).toMatch(/\.w640\.jpg$/);
  });

  it('renders a rendition once under 20 parallel requests, and caches it (ETag, 304, a year)', async () => {
    const url = new URL(photo.url.replace(/\.jpg$/, '.w160.jpg'));
    const rendered = () =>
      server.logs.filter((line) => line.includes('rendered a rendition') && line.includes('"width":160'));
    expect(rendered()).toEqual([]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        rawRequest(url.origin, { method: 'GET', path: url.pathname, timeoutMs: 30_000 }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(new Set(answers.map((answer) => answer.headers.etag)).size).toBe(1);
    expect(new Set(answers.map((answer) => answer.bytes.toString('base64'))).size).toBe(1);
    expect(rendered()).toHaveLength(1);
    expect((await sharp(answers[0]!.bytes).metadata()).width).toBe(160);

    const { etag, 'cache-control': cacheControl } = answers[0]!.headers;
    expect(cacheControl).toBe('public, max-age=31536000, immutable');
    const again = await rawRequest(url.origin, {
      method: 'GET',
      path: url.pathname,
      headers: { 'if-none-match': String(etag) },
    });
    expect({ status: again.status, body: again.bytes.length, etag: again.headers.etag }).toEqual({
      status: 304,
      body: 0,
      etag,
    });
    expect(rendered()).toHaveLength(1);
  });

  it('renders no width off the ladder, and serves nothing outside the stored files', async () => {
    const base = new URL(photo.url);
    for (const pathname of [
      base.pathname.replace(/\.jpg$/, '.w300.jpg'),
      base.pathname.replace(/\.jpg$/, '.w4096.jpg'),
      base.pathname.replace(/\.jpg$/, '.w320.png'),
      base.pathname.replace(/\.jpg$/, '.w0320.jpg'),
      `${base.pathname.replace(/\/[^/]+$/, '')}/../../${path.basename(server.config.databaseUrl)}`,
      '/media/.processing/x.jpg',
      '/media/%2e%2e/%2e%2e/etc/passwd',
    ]) {
      const answer = await rawRequest(base.origin, { method: 'GET', path: pathname });
      expect({ pathname, status: answer.status }).toEqual({ pathname, status: 404 });
    }
    expect(await filesUnder(path.dirname(await storedFile(photo.id)))).not.toContain(
      path.basename(base.pathname).replace('.jpg', '.w300.jpg'),
    );
  });
});

describe('a phone video (©xyz location, make, model)', () => {
  let clip: PostMedia;
  beforeAll(async () => {
    clip = await post(video, 'VID_0001.mp4');
  });

  it('has them beforehand (so the checks below can fail)', async () => {
    await writeFile(folder.file('camera.mp4'), video);
    const probe = await ffprobeJson(ffmpegTools.ffprobe, folder.file('camera.mp4'));
    expect(probe.format.tags).toMatchObject({ location: LOCATION, make: 'Acme' });
  });

  it('is stored with the same stream and no location, measured, with a BlurHash', async () => {
    expect(clip).toMatchObject({ fileType: 'VIDEO', mimeType: 'video/mp4', width: 320, height: 240, srcSet: null });
    expect(clip.duration).toBeGreaterThan(1.9);
    expect(clip.duration).toBeLessThan(2.1);
    expect(clip.blurhash).toMatch(/^[0-9A-Za-z#$%*+,-.:;=?@[\]^_{|}~]{28}$/);
    const stored = await storedFile(clip.id);
    const probe = await ffprobeJson(ffmpegTools.ffprobe, stored);
    expect(probe.format.tags?.location).toBeUndefined();
    expect(probe.format.tags?.make).toBeUndefined();
    const bytes = await readFile(stored);
    expect(bytes.includes(LOCATION)).toBe(false);
    expect(bytes.includes('Acme')).toBe(false);
    expect(probe.streams.map((stream) => [stream.codec_type, stream.codec_name, stream.width])).toEqual([
      ['video', 'h264', 320],
    ]);
    // Videos have no renditions: any size is the original.
    expect(clip.w300).toBe(clip.url);
  });

  it('has a poster: a JPEG of the video’s size', async () => {
    expect(clip.thumbnailUrl).toMatch(/\.poster\.jpg$/);
    const poster = await fetch(clip.thumbnailUrl!);
    expect(poster.headers.get('content-type')).toBe('image/jpeg');
    const metadata = await sharp(Buffer.from(await poster.arrayBuffer())).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 320, height: 240 });
  });

  it('refuses the same MP4 cut in half as UNSUPPORTED_MEDIA_TYPE, keeping nothing', async () => {
    const before = { rows: await server.db.post.count(), files: await filesUnder(server.config.uploadDir) };
    const res = await uploadPost(server.url, {
      token: alice.token,
      bytes: video.subarray(0, Math.floor(video.length / 2)),
      filename: 'cut.mp4',
    });
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect({ rows: await server.db.post.count(), files: await filesUnder(server.config.uploadDir) }).toEqual(before);
  });
});

describe('refusals', () => {
  it('refuses a 100,000 x 100,000 PNG before decoding it, saying why, and the server barely grows', async () => {
    const before = process.memoryUsage().rss;
    const res = await uploadPost(server.url, {
      token: alice.token,
      bytes: pngBomb(100_000, 100_000),
      filename: 'bomb.png',
    });
    const grown = process.memoryUsage().rss - before;
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.errors![0]!.message).toBe(
      'The image is 100000 × 100000 pixels; at most 100 megapixels are accepted.',
    );
    expect(res.body.errors![0]!.extensions?.reason).toBe('TOO_MANY_PIXELS');
    expect(grown).toBeLessThan(50 * 1024 * 1024);
  });

  it('holds images to IMAGE_MAX_PIXELS and HEIC photos to the lower HEIC_MAX_PIXELS', async () => {
    const strict = await startTestServer({ IMAGE_MAX_PIXELS: '700', HEIC_MAX_PIXELS: '500' });
    try {
      const bob = await signUp(strict);
      const refusal = async (fixture: string) => {
        const res = await uploadPost(strict.url, { token: bob.token, fixture });
        return { code: errorCode(res), message: res.body.errors?.[0]?.message };
      };
      // Both fixtures are 32 x 24: 768 pixels.
      expect(await refusal('photo.jpg')).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The image is 32 × 24 pixels; at most 700 pixels are accepted.',
      });
      expect(await refusal('photo.heic')).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'The HEIC photo is 32 × 24 pixels; at most 500 pixels are accepted.',
      });
      expect(await strict.db.post.count()).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('refuses a JPEG that does not decode (a valid header, then garbage)', async () => {
    const jpeg = await readFile(path.join(FIXTURES, 'photo.jpg'));
    const broken = Buffer.concat([jpeg.subarray(0, 200), Buffer.alloc(400, 0x55)]);
    const res = await uploadPost(server.url, { token: alice.token, bytes: broken, filename: 'broken.jpg' });
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.errors![0]!.extensions?.reason).toBe('UNREADABLE_IMAGE');
  });
});

describe('HEIC', () => {
  it('is stored and served as a JPEG of its size', async () => {
    const heic = await post(await readFile(path.join(FIXTURES, 'photo.heic')), 'IMG_0002.HEIC');
    expect(heic).toMatchObject({ mimeType: 'image/jpeg', width: 32, height: 24 });
    const served = await fetch(heic.url);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(await sharp(Buffer.from(await served.arrayBuffer())).metadata()).toMatchObject({
      format: 'jpeg',
      width: 32,
      height: 24,
    });
    expect(heic.url).toMatch(/\.jpg$/);
  });
});

describe('deleting posts', () => {
  it('removes their renditions and posters: after deleting every post, UPLOAD_DIR holds no media files', async () => {
    const photo = await post(camera, 'again.jpg');
    const clip = await post(video, 'again.mp4');
    for (const url of [photo.w300, photo.box, photo.thumbnailUrl!, clip.thumbnailUrl!]) {
      expect((await fetch(url)).status).toBe(200);
    }
    const media = await filesUnder(server.config.uploadDir);
    expect(media.some((file) => /\.w320\.jpg$/.test(file))).toBe(true);
    expect(media.some((file) => /\.poster\.jpg$/.test(file))).toBe(true);

    const ids = (await server.db.post.findMany({ select: { id: true } })).map(({ id }) => id);
    for (const id of ids) {
      const res = await server.gql(
        'mutation($id: ID!) { deletePost(id: $id) }',
        { id: Buffer.from(`Post:${id}`).toString('base64') },
        alice.token,
      );
      expect(res.body.errors).toBeUndefined();
    }
    expect(await filesUnder(server.config.uploadDir)).toEqual([]);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });
});

describe('a server without ffmpeg', () => {
  it('starts, says once that videos are stored as uploaded, and stores them so', async () => {
    const bare = await startTestServer({}, { ffmpeg: { searchPath: '', npmPackages: false } });
    try {
      const bob = await signUp(bare);
      const said = () => bare.logs.filter((line) => line.includes('ffmpeg/ffprobe not found'));
      await eventually(() => expect(said()).toHaveLength(1));
      expect(JSON.parse(said()[0]!)).toMatchObject({ level: 'warn' });
      const original = await readFile(path.join(FIXTURES, 'clip.mp4'));
      for (const name of ['one.mp4', 'two.mp4']) {
        const res = await uploadPost(bare.url, { token: bob.token, bytes: original, filename: name });
        expect(res.body.errors).toBeUndefined();
        const read = await gqlTyped(bare, POST_MEDIA, { id: res.body.data!.uploadPost.id }, bob.token);
        expect(read.body.data!.post).toMatchObject({
          fileType: 'VIDEO',
          // As uploaded, unmeasured: music-metadata checks the container but reads no sizes from it.
          size: original.length,
          width: null,
          height: null,
          duration: null,
          blurhash: null,
          thumbnailUrl: null,
        });
      }
      expect(said()).toHaveLength(1);
      // Images need no ffmpeg.
      expect(
        (await uploadPost(bare.url, { token: bob.token, bytes: camera, filename: 'a.jpg' })).body.errors,
      ).toBeUndefined();
    } finally {
      await bare.close();
    }
  });
});
