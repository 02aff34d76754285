// The same media facts on ImageKit (its HTTP fake, which keeps, measures and renders what it gets):
// uploads are processed before a byte is forwarded, so ImageKit never holds GPS or a camera's tags;
// posts made from direct browser uploads (which we never see) get their size from ImageKit's details
// and their BlurHash from a 32-pixel rendition ImageKit serves.
import { readFile } from 'node:fs/promises';
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
import { type FakeImageKit, startFakeImageKit } from './support/fake-imagekit.ts';
import { CREATE_FROM_IMAGEKIT, type CreateFromImageKitData, dbIdOf } from './support/imagekit.ts';
import { ffprobeJson } from './support/media-files.ts';
import { FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let fake: FakeImageKit;
let server: TestServer;
let alice: TestUser;
let camera: Buffer;
let video: Buffer;

beforeAll(async () => {
  fake = await startFakeImageKit();
  [server, camera, video] = await Promise.all([startTestServer(fake.env()), cameraJpeg(), locatedMp4()]);
  alice = await signUp(server);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const read = async (id: string) => (await gqlTyped(server, POST_MEDIA, { id }, alice.token)).body.data!.post!;

async function upload(bytes: Buffer, filename: string): Promise<PostMedia> {
  const res = await uploadPost(server.url, { token: alice.token, bytes, filename });
  expect(res.body.errors).toBeUndefined();
  return read(res.body.data!.uploadPost.id);
}

const fakeFileOf = async (id: string) => {
  const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(id) } });
  const file = fake.files.get(row.fileId!);
  if (!file) throw new Error(`ImageKit holds no file for post ${id}`);
  return file;
};

async function postDirectUpload(bytes: Buffer, name: string) {
  const file = await fake.addFile({ folder: `/uploads/users/${alice.dbId}/`, name, bytes });
  const res = await server.gql<CreateFromImageKitData>(CREATE_FROM_IMAGEKIT, { fileId: file.fileId }, alice.token);
  expect(res.body.errors).toBeUndefined();
  return read(res.body.data!.createPostFromImageKit.id);
}

describe('uploadPost to ImageKit', () => {
  it('forwards the photo stripped and upright: ImageKit gets no GPS, and the post its displayed size', async () => {
    const photo = await upload(camera, 'IMG_0001.jpg');
    expect(photo).toMatchObject({ mimeType: 'image/jpeg', width: 900, height: 1200, duration: null });
    const held = await readFile((await fakeFileOf(photo.id)).contentPath);
    expect(await exifr.parse(held, { gps: true, tiff: true, exif: true, xmp: true, iptc: true })).toBeUndefined();
    expect(held.includes('Acme')).toBe(false);
    expect(photo.size).toBe(held.length);
    const { top, bottom } = blurhashRows(photo.blurhash!, 9, 12);
    expect([isReddish(top), isBluish(bottom)]).toEqual([true, true]);
    // No local files: processing's work is gone once the file is forwarded.
    expect(await filesUnder(server.config.uploadDir)).toEqual([]);
  });

  it('lists the ladder in srcSet as ImageKit transformations, which ImageKit renders', async () => {
    const photo = await upload(camera, 'IMG_0002.jpg');
    const key = (await fakeFileOf(photo.id)).filePath;
    expect(photo.srcSet).toBe(
      `${[160, 320, 640].map((width) => `${fake.urlEndpoint}${key}?tr=w-${width},c-at_max ${width}w`).join(', ')}, ${fake.urlEndpoint}${key} 900w`,
    );
    expect(photo.w300).toBe(`${fake.urlEndpoint}${key}?tr=w-300`);
    const first = photo.srcSet!.split(' ')[0]!;
    const rendition = Buffer.from(await (await fetch(first)).arrayBuffer());
    expect(await sharp(rendition).metadata()).toMatchObject({ width: 160, format: 'jpeg' });
  });

  it('forwards a HEIC photo as the JPEG browsers can show', async () => {
    const heic = await upload(await readFile(path.join(FIXTURES, 'photo.heic')), 'IMG_0003.HEIC');
    expect(heic).toMatchObject({ mimeType: 'image/jpeg', width: 32, height: 24 });
    const held = await fakeFileOf(heic.id);
    expect({ mime: held.mime, path: held.filePath }).toEqual({
      mime: 'image/jpeg',
      path: expect.stringMatching(/\.jpg$/),
    });
    expect(await sharp(held.contentPath).metadata()).toMatchObject({ format: 'jpeg', width: 32, height: 24 });
  });

  it('forwards the video remuxed without its location; ImageKit makes the thumbnail', async () => {
    const clip = await upload(video, 'VID_0001.mp4');
    expect(clip).toMatchObject({ fileType: 'VIDEO', mimeType: 'video/mp4', width: 320, height: 240, srcSet: null });
    expect(clip.duration).toBeGreaterThan(1.9);
    expect(clip.blurhash).toHaveLength(28);
    const held = await fakeFileOf(clip.id);
    const probe = await ffprobeJson(ffmpegTools.ffprobe, held.contentPath);
    expect(probe.format.tags?.location).toBeUndefined();
    expect((await readFile(held.contentPath)).includes(LOCATION)).toBe(false);
    expect(clip.thumbnailUrl).toBe(`${fake.urlEndpoint}${held.filePath}/ik-thumbnail.jpg?tr=w-480,h-480,c-at_max`);
    const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(clip.id) } });
    expect(row.posterKey).toBeNull();
  });
});

describe('createPostFromImageKit (bytes that never passed through this server)', () => {
  it('takes the size from ImageKit and the BlurHash from a 32-pixel rendition, upright', async () => {
    const renditions = fake.renditions;
    const photo = await postDirectUpload(camera, 'direct.jpg');
    // ImageKit's details give the stored 1200 x 900; its upright rendition shows the photo is portrait.
    expect(photo).toMatchObject({ width: 900, height: 1200, mimeType: 'image/jpeg' });
    const { top, bottom } = blurhashRows(photo.blurhash!, 9, 12);
    expect([isReddish(top), isBluish(bottom)]).toEqual([true, true]);
    expect(fake.renditions).toBe(renditions + 1);
    expect(fake.requests.some((request) => /\/direct\.jpg\?tr=w-32$/.test(request.path))).toBe(true);
  });

  it('takes a video’s duration from ImageKit and its BlurHash from ImageKit’s thumbnail', async () => {
    const clip = await postDirectUpload(video, 'direct.mp4');
    expect(clip).toMatchObject({ fileType: 'VIDEO', width: 320, height: 240 });
    expect(clip.duration).toBeGreaterThan(1.9);
    expect(clip.blurhash).toHaveLength(28);
    expect(fake.requests.some((request) => /\/direct\.mp4\/ik-thumbnail\.jpg\?tr=w-32$/.test(request.path))).toBe(true);
  });

  it('makes the post without a BlurHash when ImageKit does not serve the rendition in time', async () => {
    const impatient = await startTestServer({ ...fake.env(), IMAGEKIT_PLACEHOLDER_TIMEOUT_MS: '300' });
    try {
      const bob = await signUp(impatient);
      fake.faults.rendition = 'slow';
      const file = await fake.addFile({ folder: `/uploads/users/${bob.dbId}/`, name: 'slow.jpg', bytes: camera });
      const started = performance.now();
      const res = await impatient.gql<CreateFromImageKitData>(CREATE_FROM_IMAGEKIT, { fileId: file.fileId }, bob.token);
      expect(performance.now() - started).toBeLessThan(4000);
      expect(res.body.errors).toBeUndefined();
      const row = await impatient.db.post.findUniqueOrThrow({
        where: { id: dbIdOf(res.body.data!.createPostFromImageKit.id) },
      });
      expect({ blurhash: row.blurhash, width: row.width, height: row.height }).toEqual({
        blurhash: null,
        width: 1200,
        height: 900,
      });
      expect(impatient.logs.some((line) => line.includes('could not fetch a placeholder rendition'))).toBe(true);
    } finally {
      fake.faults.rendition = undefined;
      await impatient.close();
    }
  });
});
