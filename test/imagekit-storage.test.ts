// ImageKit as the storage, driven through the real SDK against a fake ImageKit, end to end over HTTP.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { POST_URLS as POST } from './operations/media.ts';
import { DELETE_POST as DELETE } from './operations/posts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { type FakeImageKit, startFakeImageKit } from './support/fake-imagekit.ts';
import { dbIdOf, eventually, isolateTmpdir, spoolFiles } from './support/imagekit.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

const capacitorFiles = isolateTmpdir();

let fake: FakeImageKit;
let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  fake = await startFakeImageKit();
  // A short timeout and one retry keep the fault tests quick while still showing both settings at work.
  server = await startTestServer({ ...fake.env(), IMAGEKIT_TIMEOUT_MS: '1000', IMAGEKIT_MAX_RETRIES: '1' });
  alice = await signUp(server);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
afterEach(() => {
  fake.faults = {};
  fake.onUpload = null;
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const uploadAttempts = () => fake.requests.filter((r) => r.path === '/api/v1/files/upload').length;

/** Nothing left behind by a request: no spool file, no temp file, no local media. */
async function expectNoLeftovers() {
  expect(await spoolFiles(server.config.uploadDir)).toEqual([]);
  expect(await filesUnder(server.config.uploadDir)).toEqual([]);
  await eventually(() => expect(capacitorFiles()).toEqual([]));
}

describe('uploads to ImageKit', () => {
  it('sends the file through the SDK and stores what ImageKit reports', async () => {
    // Mid-request: the upload's temp file (its only copy on this server's disk) and its cleanup record
    // exist, so the leftover checks below can see what they look for.
    const inFlight: { pending: { kind: string; storageKey: string }[]; capacitor: string[] }[] = [];
    fake.onUpload = async () =>
      void inFlight.push({
        pending: await server.db.fileRemoval.findMany({ select: { kind: true, storageKey: true } }),
        capacitor: capacitorFiles(),
      });
    const res = await uploadPost(server.url, { token: alice.token, fixture: 'photo.jpg', caption: 'Dusk' });
    expect(res.body.errors).toBeUndefined();
    const post = res.body.data!.uploadPost;
    const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    const stored = fake.files.get(row.fileId!)!;
    expect(inFlight).toEqual([
      { pending: [{ kind: 'UPLOAD', storageKey: stored.filePath }], capacitor: [expect.any(String)] },
    ]);
    expect(await spoolFiles(server.config.uploadDir)).toEqual([]);

    // What ImageKit got is the processed JPEG (re-encoded without metadata), the post's size its size.
    expect(stored.sha256).toBe(sha256(await readFile(stored.contentPath)));
    expect(stored.sha256).not.toBe(sha256(await readFile(path.join(FIXTURES, 'photo.jpg'))));
    expect({ mime: stored.mime, size: stored.size }).toEqual({ mime: 'image/jpeg', size: post.size });
    expect(stored.tags).toEqual(['backend-upload']);
    expect(stored.filePath).toMatch(/^\/uploads\/[0-9a-f-]{36}\.jpg$/);
    expect(row).toMatchObject({
      storage: 'imagekit',
      storageKey: stored.filePath,
      fileId: stored.fileId,
      width: stored.width,
      height: stored.height,
      duration: null,
    });
    expect(post.url).toBe(`${fake.urlEndpoint}${stored.filePath}`);
    await expectNoLeftovers();
  });

  it('builds resized and thumbnail URLs with ImageKit transformations', async () => {
    const image = (await uploadPost(server.url, { token: alice.token, fixture: 'photo.png' })).body.data!.uploadPost;
    const video = (await uploadPost(server.url, { token: alice.token, fixture: 'clip.mp4' })).body.data!.uploadPost;
    const videoRow = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(video.id) } });
    expect(videoRow.duration).toBe(fake.files.get(videoRow.fileId!)!.duration);

    const imagePost = (await gqlTyped(server, POST, { id: image.id }, alice.token)).body.data!.post!;
    expect(imagePost.small).toBe(`${image.url}?tr=w-300`);
    expect(imagePost.box).toBe(`${image.url}?tr=w-300,h-200`);
    expect(imagePost.thumbnailUrl).toBe(`${image.url}?tr=w-480,h-480,c-at_max`);

    const videoPost = (await gqlTyped(server, POST, { id: video.id }, alice.token)).body.data!.post!;
    expect(videoPost.url).toBe(`${fake.urlEndpoint}${videoRow.storageKey}`);
    expect(videoPost.thumbnailUrl).toBe(
      `${fake.urlEndpoint}${videoRow.storageKey}/ik-thumbnail.jpg?tr=w-480,h-480,c-at_max`,
    );
  });

  it('deletes the ImageKit file by its fileId when the post is deleted', async () => {
    const post = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost;
    const { fileId } = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    expect(fake.files.has(fileId!)).toBe(true);

    const res = await gqlTyped(server, DELETE, { id: post.id }, alice.token);
    expect(res.body).toEqual({ data: { deletePost: post.id } });
    expect(fake.files.has(fileId!)).toBe(false);
    expect(fake.requests.at(-1)).toEqual({ method: 'DELETE', path: `/v1/files/${fileId}`, status: 204 });
    expect(await server.db.fileRemoval.count()).toBe(0);
  });
});

describe('when ImageKit fails during an upload', () => {
  /**
   * Refused with nothing kept. ImageKit may hold the file even so (a timeout after it got it), so its
   * path stays queued; the worker finds nothing there and clears it.
   */
  async function expectRefusedCleanly(target: TestServer, user: TestUser) {
    const before = { rows: await target.db.post.count(), files: fake.files.size };
    const res = await uploadPost(target.url, { token: user.token, fixture: 'clip.mp4' });
    expect(errorCode(res)).toBe('STORAGE_UNAVAILABLE');
    expect(await target.db.post.count()).toBe(before.rows);
    expect(fake.files.size).toBe(before.files);
    expect(await spoolFiles(target.config.uploadDir)).toEqual([]);
    await eventually(() => expect(capacitorFiles()).toEqual([]));
    const [queued, ...more] = await target.db.fileRemoval.findMany();
    expect(more).toEqual([]);
    expect(queued).toMatchObject({
      kind: 'ORPHAN',
      storage: 'imagekit',
      fileId: null,
      storageKey: expect.stringMatching(/^\/uploads\/[0-9a-f-]{36}\.mp4$/),
    });
    if (target === server) {
      expect(await target.app.services.fileRemovals.runOnce(queued!.nextAttemptAt)).toEqual({ removed: 1, failed: 0 });
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'GET',
        path: expect.stringMatching(/^\/v1\/files\?/),
        status: 200,
      });
    } else await target.db.fileRemoval.deleteMany();
  }

  it('answers STORAGE_UNAVAILABLE on 5xx, after the configured retry, keeping nothing', async () => {
    fake.faults.upload = 'error';
    const attempts = uploadAttempts();
    await expectRefusedCleanly(server, alice);
    expect(uploadAttempts() - attempts).toBe(2);
  });

  it('answers STORAGE_UNAVAILABLE when ImageKit does not answer within IMAGEKIT_TIMEOUT_MS', async () => {
    fake.faults.upload = 'slow';
    fake.slowMs = 10_000;
    const started = Date.now();
    await expectRefusedCleanly(server, alice);
    // Two attempts of 1 s and a backoff, far from the fake's 10 s.
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it('answers STORAGE_UNAVAILABLE when ImageKit refuses connections', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const unreachable = await startTestServer({
      ...fake.env(),
      IMAGEKIT_BASE_URL: `http://127.0.0.1:${port}`,
      IMAGEKIT_MAX_RETRIES: '1',
    });
    try {
      await expectRefusedCleanly(unreachable, await signUp(unreachable));
    } finally {
      await unreachable.close();
    }
  });

  it('takes the ImageKit file back when the database write fails after the upload', async () => {
    const doomed = await signUp(server);
    // The author disappears while ImageKit holds the file, so the post insert breaks its foreign key.
    fake.onUpload = () => server.db.user.delete({ where: { id: doomed.dbId } }).then(() => {});
    const before = { rows: await server.db.post.count(), files: fake.files.size };
    const res = await uploadPost(server.url, { token: doomed.token, fixture: 'photo.jpg' });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    expect(await server.db.post.count()).toBe(before.rows);
    expect(fake.files.size).toBe(before.files);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', status: 204 });
    expect(await server.db.fileRemoval.count()).toBe(0);
    await expectNoLeftovers();
  });

  it('queues the file for deletion when taking it back fails too', async () => {
    const doomed = await signUp(server);
    fake.onUpload = async () => {
      await server.db.user.delete({ where: { id: doomed.dbId } });
      fake.faults.delete = 'error';
    };
    const res = await uploadPost(server.url, { token: doomed.token, fixture: 'photo.jpg' });
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
    const [pending] = await server.db.fileRemoval.findMany();
    if (!pending) throw new Error('nothing was queued');
    expect(fake.files.has(pending.fileId!)).toBe(true);
    expect(pending).toMatchObject({ storage: 'imagekit', attempts: 1, lastError: expect.stringMatching(/500/) });

    fake.faults = {};
    expect(await server.app.services.fileRemovals.runOnce(pending.nextAttemptAt)).toEqual({ removed: 1, failed: 0 });
    expect(fake.files.has(pending.fileId!)).toBe(false);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });
});

describe('when ImageKit fails to delete', () => {
  const cleanup = () => server.app.services.fileRemovals;

  it('still deletes the post and retries the file with backoff until ImageKit confirms', async () => {
    const post = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost;
    const { fileId, storageKey } = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    fake.faults.delete = 'error';

    const res = await gqlTyped(server, DELETE, { id: post.id }, alice.token);
    expect(res.body).toEqual({ data: { deletePost: post.id } });
    expect(await server.db.post.count({ where: { id: dbIdOf(post.id) } })).toBe(0);
    expect(fake.files.has(fileId!)).toBe(true);
    const first = await server.db.fileRemoval.findFirstOrThrow({ where: { fileId } });
    expect(first).toMatchObject({
      storage: 'imagekit',
      storageKey,
      attempts: 1,
      lastError: expect.stringMatching(/500/),
    });
    // The default backoff: 30 s after the first failure, doubling with each further one.
    expect(first.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(25_000);
    expect(first.nextAttemptAt.getTime() - Date.now()).toBeLessThanOrEqual(30_000);

    // Not due yet: nothing happens.
    expect(await cleanup().runOnce()).toEqual({ removed: 0, failed: 0 });
    // Due, still failing: the wait doubles each time.
    expect(await cleanup().runOnce(first.nextAttemptAt)).toEqual({ removed: 0, failed: 1 });
    const second = await server.db.fileRemoval.findFirstOrThrow({ where: { fileId } });
    expect(second.attempts).toBe(2);
    expect(second.nextAttemptAt.getTime() - first.nextAttemptAt.getTime()).toBe(60_000);
    expect(await cleanup().runOnce(second.nextAttemptAt)).toEqual({ removed: 0, failed: 1 });
    const third = await server.db.fileRemoval.findFirstOrThrow({ where: { fileId } });
    expect(third.attempts).toBe(3);
    expect(third.nextAttemptAt.getTime() - second.nextAttemptAt.getTime()).toBe(120_000);

    fake.faults = {};
    expect(await cleanup().runOnce(third.nextAttemptAt)).toEqual({ removed: 1, failed: 0 });
    expect(fake.files.has(fileId!)).toBe(false);
    expect(await server.db.fileRemoval.count({ where: { fileId } })).toBe(0);
  });

  it('queues the files of a deleted account when ImageKit fails, then removes them', async () => {
    const owner = await signUp(server);
    const posts = await Promise.all(
      ['photo.jpg', 'photo.png'].map((fixture) => uploadPost(server.url, { token: owner.token, fixture })),
    );
    const rows = await server.db.post.findMany({
      where: { id: { in: posts.map((p) => dbIdOf(p.body.data!.uploadPost.id)) } },
    });
    const fileIds = rows.map((r) => r.fileId!);
    fake.faults.delete = 'error';

    expect(
      (await server.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: owner.password }, owner.token)).body,
    ).toEqual({ data: { deleteMe: true } });
    expect(await server.db.user.count({ where: { id: owner.dbId } })).toBe(0);
    expect(await server.db.post.count({ where: { authorId: owner.dbId } })).toBe(0);
    for (const fileId of fileIds) expect(fake.files.has(fileId)).toBe(true);
    const queued = await server.db.fileRemoval.findMany({ where: { fileId: { in: fileIds } } });
    expect(queued.map((q) => q.fileId).sort()).toEqual([...fileIds].sort());

    fake.faults = {};
    expect(await cleanup().runOnce(new Date(Date.now() + 31_000))).toEqual({ removed: 2, failed: 0 });
    for (const fileId of fileIds) expect(fake.files.has(fileId)).toBe(false);
  });

  it('counts a file ImageKit no longer has (404) as deleted', async () => {
    await server.db.fileRemoval.create({
      data: { storage: 'imagekit', fileId: 'gone0000000000000000000', storageKey: '/uploads/gone.jpg' },
    });
    expect(await cleanup().runOnce()).toEqual({ removed: 1, failed: 0 });
    expect(fake.requests.at(-1)).toEqual({ method: 'DELETE', path: '/v1/files/gone0000000000000000000', status: 404 });
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('retries as soon as the worker starts', async () => {
    const post = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost;
    const { fileId, storageKey } = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(post.id) } });
    await server.db.post.delete({ where: { id: dbIdOf(post.id) } });
    await server.db.fileRemoval.create({ data: { storage: 'imagekit', fileId, storageKey } });

    cleanup().start();
    try {
      await eventually(async () => expect(await server.db.fileRemoval.count()).toBe(0));
      expect(fake.files.has(fileId!)).toBe(false);
    } finally {
      await cleanup().stop();
    }
  });
});

describe('switching storage', () => {
  it('keeps serving and deleting local posts after ImageKit is turned on', async () => {
    const local = await startTestServer();
    const bob = await signUp(local);
    const before = (await uploadPost(local.url, { token: bob.token, fixture: 'photo.png' })).body.data!.uploadPost;
    await local.close();

    const switched = await startTestServer(fake.env(), { dir: local.dir });
    try {
      const fromImageKit = await uploadPost(switched.url, { token: bob.token, fixture: 'photo.jpg' });
      expect(fromImageKit.body.data!.uploadPost.url).toMatch(new RegExp(`^${fake.urlEndpoint}/uploads/`));

      const old = (await gqlTyped(switched, POST, { id: before.id }, bob.token)).body.data!.post!;
      expect(old.url).toBe(
        `${switched.url}/media/${(await switched.db.post.findUniqueOrThrow({ where: { id: dbIdOf(before.id) } })).storageKey}`,
      );
      expect(old.thumbnailUrl).toBe(old.url);
      expect((await fetch(old.url)).status).toBe(200);

      expect((await gqlTyped(switched, DELETE, { id: before.id }, bob.token)).body.data!.deletePost).toBe(before.id);
      expect((await fetch(old.url)).status).toBe(404);
      expect(await filesUnder(switched.config.uploadDir)).toEqual([]);
    } finally {
      await switched.close();
    }
  });
});
