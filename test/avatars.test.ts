// Avatars (issue 17) over HTTP, on local disk and on ImageKit's fake: a square image stripped like a
// post's, its sizes on the ladder, replaced and deleted with their files (also under parallel
// uploads), refused for anything but an image, counted against the upload limits, and seen at once
// in cached feed pages.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResultOf } from '@graphql-typed-document-node/core';
import exifr from 'exifr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_ME } from './operations/accounts.ts';
import { DELETE_AVATAR, DELETE_AVATAR_URL, FEED_AVATAR, MY_AVATAR as ME, UPLOAD_AVATAR } from './operations/media.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { cameraJpeg, isReddish } from './support/camera-files.ts';
import { type FakeImageKit, startFakeImageKit } from './support/fake-imagekit.ts';
import { rawRequest } from './support/http.ts';
import {
  errorCode,
  FIXTURES,
  filesUnder,
  type GqlResponse,
  startTestServer,
  type TestServer,
} from './support/server.ts';
import { gqlTyped, textOf } from './support/typed.ts';

let camera: Buffer;
let fake: FakeImageKit;
beforeAll(async () => {
  [camera, fake] = await Promise.all([cameraJpeg(), startFakeImageKit()]);
});
afterAll(() => fake?.close());

async function avatarBody(bytes: Uint8Array, filename: string) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: textOf(UPLOAD_AVATAR), variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)]), filename);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

/** uploadAvatar on a connection of its own (so several really race). */
async function uploadAvatar(server: TestServer, user: TestUser, bytes: Uint8Array, filename = 'me.jpg') {
  const { body, type } = await avatarBody(bytes, filename);
  const answer = await rawRequest(server.url, {
    headers: { 'content-type': type, 'apollo-require-preflight': 'true', authorization: `Bearer ${user.token}` },
    body,
    timeoutMs: 30_000,
  });
  return { status: answer.status, headers: new Headers(), body: answer.json } as GqlResponse<
    ResultOf<typeof UPLOAD_AVATAR>
  >;
}

describe('on local storage', () => {
  let server: TestServer;
  let alice: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ UPLOAD_MAX_PER_HOUR: '8' });
    alice = await signUp(server);
  });
  afterAll(() => server?.close());
  const userFiles = async (user: TestUser) =>
    (await filesUnder(server.config.uploadDir)).filter((file) => file.startsWith(user.dbId));

  it('stores a centred square of the photo, upright and without EXIF, and serves ladder sizes', async () => {
    const res = await uploadAvatar(server, alice, camera);
    expect(res.body.errors).toBeUndefined();
    const { avatarUrl, small, big } = res.body.data!.uploadAvatar;
    const bytes = Buffer.from(await (await fetch(avatarUrl!)).arrayBuffer());
    // The photo shows 900 x 1200 (red above blue): its centre square is 900 x 900, still red above blue.
    expect(await sharp(bytes).metadata()).toMatchObject({ format: 'jpeg', width: 900, height: 900 });
    expect(await exifr.parse(bytes, { gps: true, tiff: true, exif: true })).toBeUndefined();
    const { data } = await sharp(bytes).extract({ left: 450, top: 10, width: 1, height: 1 }).raw().toBuffer({
      resolveWithObject: true,
    });
    expect(isReddish([...data])).toBe(true);
    expect(small).toMatch(/\.w160\.jpg$/);
    expect(await sharp(Buffer.from(await (await fetch(small!)).arrayBuffer())).metadata()).toMatchObject({
      width: 160,
      height: 160,
    });
    expect(big).toMatch(/\.w320\.jpg$/);
  });

  it('replaces the old avatar and removes its file; a small picture is never enlarged', async () => {
    const before = (await gqlTyped(server, ME, {}, alice.token)).body.data!.me!.avatarUrl!;
    const res = await uploadAvatar(server, alice, await readFile(path.join(FIXTURES, 'photo.png')), 'tiny.png');
    const { avatarUrl, big } = res.body.data!.uploadAvatar;
    expect(avatarUrl).toMatch(/\.png$/);
    expect((await fetch(before)).status).toBe(404);
    expect(await userFiles(alice)).toEqual([new URL(avatarUrl!).pathname.slice('/media/'.length)]);
    // 32 x 24 becomes 24 x 24; its 320 rung is the picture itself.
    const served = Buffer.from(await (await fetch(big!)).arrayBuffer());
    expect(await sharp(served).metadata()).toMatchObject({ format: 'png', width: 24, height: 24 });
  });

  it('refuses anything but an image, keeping the avatar it had', async () => {
    const before = await userFiles(alice);
    const res = await uploadAvatar(server, alice, await readFile(path.join(FIXTURES, 'clip.mp4')), 'me.mp4');
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.errors![0]!.message).toBe('Only an image can be an avatar.');
    expect(await userFiles(alice)).toEqual(before);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('keeps exactly one file of five avatars uploaded at once: the one the account shows', async () => {
    const bob = await signUp(server);
    const answers = await Promise.all(Array.from({ length: 5 }, () => uploadAvatar(server, bob, camera)));
    expect(answers.map((answer) => answer.body.errors)).toEqual(Array(5).fill(undefined));
    const row = await server.db.user.findUniqueOrThrow({ where: { id: bob.dbId } });
    expect(await userFiles(bob)).toEqual([row.avatarKey]);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('counts avatar uploads against the upload limits', async () => {
    const carol = await signUp(server);
    const limits = '{ uploadLimits { remainingUploadsThisHour } }';
    for (let i = 0; i < 8; i += 1) expect((await uploadAvatar(server, carol, camera)).body.errors).toBeUndefined();
    expect(errorCode(await uploadAvatar(server, carol, camera))).toBe('RATE_LIMITED');
    expect((await server.gql(limits, {}, carol.token)).body).toEqual({
      data: { uploadLimits: { remainingUploadsThisHour: 0 } },
    });
  });

  it('shows a new avatar at once in the cached feed (authors are on the page)', async () => {
    const dave = await signUp(server);
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({ query: 'mutation($f: Upload!) { uploadPost(file: $f) { id } }', variables: { f: null } }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.f'] }));
    form.append('0', new Blob([new Uint8Array(await readFile(path.join(FIXTURES, 'photo.jpg')))]), 'p.jpg');
    await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${dave.token}` },
      body: form,
    });
    const avatarInFeed = async () =>
      (await gqlTyped(server, FEED_AVATAR, {}, alice.token)).body.data!.feed.edges[0]!.node.author.avatarUrl;
    expect(await avatarInFeed()).toBeNull();
    expect(await avatarInFeed()).toBeNull();
    const { avatarUrl } = (await uploadAvatar(server, dave, camera)).body.data!.uploadAvatar;
    expect(await avatarInFeed()).toBe(avatarUrl);
    await gqlTyped(server, DELETE_AVATAR, {}, dave.token);
    expect(await avatarInFeed()).toBeNull();
  });

  it('deleteAvatar removes the file; deleting the account removes the avatar it has', async () => {
    const erin = await signUp(server);
    await uploadAvatar(server, erin, camera);
    expect(await userFiles(erin)).toHaveLength(1);
    const removed = await gqlTyped(server, DELETE_AVATAR_URL, {}, erin.token);
    expect(removed.body).toEqual({ data: { deleteAvatar: { avatarUrl: null } } });
    expect(await userFiles(erin)).toEqual([]);

    await uploadAvatar(server, erin, camera);
    expect(await userFiles(erin)).toHaveLength(1);
    const gone = await gqlTyped(server, DELETE_ME, { password: erin.password }, erin.token);
    expect(gone.body).toEqual({ data: { deleteMe: true } });
    expect(await userFiles(erin)).toEqual([]);
  });
});

describe('on ImageKit', () => {
  it('stores the square there, sizes it with transformations, and deletes replaced and removed files', async () => {
    const server = await startTestServer(fake.env());
    try {
      const frank = await signUp(server);
      const first = (await uploadAvatar(server, frank, camera)).body.data!.uploadAvatar;
      const row = await server.db.user.findUniqueOrThrow({ where: { id: frank.dbId } });
      expect(row.avatarStorage).toBe('imagekit');
      const held = fake.files.get(row.avatarFileId!)!;
      expect(await sharp(held.contentPath).metadata()).toMatchObject({ width: 900, height: 900 });
      expect(await exifr.parse(await readFile(held.contentPath), { gps: true })).toBeUndefined();
      expect(first.avatarUrl).toBe(`${fake.urlEndpoint}${held.filePath}`);
      expect(first.small).toBe(`${fake.urlEndpoint}${held.filePath}?tr=w-100,h-100`);

      await uploadAvatar(server, frank, camera);
      expect(fake.files.has(held.fileId)).toBe(false);
      const second = (await server.db.user.findUniqueOrThrow({ where: { id: frank.dbId } })).avatarFileId!;
      await gqlTyped(server, DELETE_AVATAR, {}, frank.token);
      expect(fake.files.has(second)).toBe(false);
    } finally {
      await server.close();
    }
  });
});
