// Uploads under hostile or unlucky conditions: files that only look like media, captions that are
// not text, a disk that refuses writes, multipart bodies that lie, and crashes mid-way. Whatever
// happens, the answer is coded and nothing is left behind: no row, no file, no stale record.

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { UPLOAD_POST, uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;

const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer({ MAX_UPLOAD_BYTES: String(32 * MB) });
  alice = await signUp(server);
});
afterAll(() => server?.close());

/** Nothing of a refused upload is kept: no post, no stored file, no cleanup record. */
async function expectNothingKept(before: { posts: number }) {
  expect(await server.db.post.count()).toBe(before.posts);
  expect(
    (await filesUnder(server.config.uploadDir)).filter((f) => !f.startsWith(`${alice.dbId}/`) || f.endsWith('.part')),
  ).toEqual([]);
  expect(await server.db.fileRemoval.count()).toBe(0);
}

describe('content', () => {
  const png = () => readFile(path.join(FIXTURES, 'photo.png'));
  it.each([
    ['a JPEG signature on three bytes', async () => Buffer.from([0xff, 0xd8, 0xff])],
    ['a PNG cut off before its size', async () => (await png()).subarray(0, 20)],
    [
      'an MP4 file-type box with no movie',
      async () => Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(12)]),
    ],
    [
      'a WebM header with no tracks',
      async () =>
        Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282847765626d42878104428581021853806701', 'hex'),
    ],
  ])('refuses %s as UNSUPPORTED_MEDIA_TYPE', async (_label, bytes) => {
    const before = { posts: await server.db.post.count() };
    const res = await uploadPost(server.url, { token: alice.token, bytes: await bytes(), filename: 'x.jpg' });
    expect(errorCode(res)).toBe('UNSUPPORTED_MEDIA_TYPE');
    await expectNothingKept(before);
  });

  it('records the dimensions it read', async () => {
    const res = await uploadPost(server.url, { token: alice.token, fixture: 'photo.webp' });
    const row = await server.db.post.findFirstOrThrow({
      where: { mimeType: 'image/webp' },
      orderBy: { createdAt: 'desc' },
    });
    expect(res.body.data!.uploadPost.fileType).toBe('IMAGE');
    expect(row).toMatchObject({ width: 32, height: 24 });
  });
});

describe('captions', () => {
  const emoji = '📷';
  it('count characters, not UTF-16 units: 2,200 emoji fit, 2,201 do not', async () => {
    const fits = await uploadPost(server.url, { token: alice.token, caption: emoji.repeat(2200) });
    expect(fits.body.data!.uploadPost.caption).toBe(emoji.repeat(2200));
    expect(errorCode(await uploadPost(server.url, { token: alice.token, caption: emoji.repeat(2201) }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('keep newlines and tabs and refuse other control characters', async () => {
    const ok = await uploadPost(server.url, { token: alice.token, caption: 'line one\r\nline\ttwo' });
    expect(ok.body.data!.uploadPost.caption).toBe('line one\nline\ttwo');
    for (const bad of ['bell\u0007', 'null\u0000byte', 'escape\u001b[31m', 'c1\u0085']) {
      const before = { posts: await server.db.post.count() };
      const res = await uploadPost(server.url, { token: alice.token, caption: bad });
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions!.field).toBe('caption');
      await expectNothingKept(before);
    }
  });
});

describe('the disk', () => {
  it('receives each upload once: written as it arrives, then linked into place', async () => {
    const file = Buffer.concat([await readFile(path.join(FIXTURES, 'photo.png')), Buffer.alloc(16 * MB)]);
    const written = () =>
      Number(/^write_bytes: (\d+)$/m.exec(execFileSync('cat', [`/proc/${process.pid}/io`], { encoding: 'utf8' }))![1]);
    const before = written();
    const res = await uploadPost(server.url, { token: alice.token, bytes: file, filename: 'big.png' });
    const after = written();
    const stored = await readFile(
      path.join(
        server.config.uploadDir,
        (await server.db.post.findFirstOrThrow({ orderBy: { createdAt: 'desc' } })).storageKey,
      ),
    );
    // Stored is the re-encoded PNG (the padding after its IEND is no part of it), linked into place.
    expect(res.body.data!.uploadPost.size).toBe(stored.length);
    expect(stored.subarray(1, 4).toString()).toBe('PNG');
    // Written twice (a temp file, then a copy) would be 32 MB and more.
    expect((after - before) / MB).toBeLessThan(24);
  });

  it.each([
    ['an immutable upload folder (chattr +i: EPERM even for root)', 'immutable'],
    ['a file where the owner folder belongs (ENOTDIR)', 'not-a-folder'],
  ] as const)('answers STORAGE_UNAVAILABLE for %s, keeping nothing', async (_label, fault) => {
    const broken = await startTestServer();
    const bob = await signUp(broken);
    const ownerDir = path.join(broken.config.uploadDir, bob.dbId);
    await mkdir(broken.config.uploadDir, { recursive: true });
    if (fault === 'immutable') execFileSync('chattr', ['+i', broken.config.uploadDir]);
    else await writeFile(ownerDir, 'in the way');
    try {
      const res = await uploadPost(broken.url, { token: bob.token });
      expect(errorCode(res)).toBe('STORAGE_UNAVAILABLE');
      expect(await broken.db.post.count()).toBe(0);
      expect(await broken.db.fileRemoval.count()).toBe(0);
      expect(broken.logs.some((line) => /could not store an upload/.test(line))).toBe(true);
    } finally {
      if (fault === 'immutable') execFileSync('chattr', ['-i', broken.config.uploadDir]);
      await broken.close();
    }
    expect(await filesUnder(broken.config.uploadDir)).toEqual(fault === 'immutable' ? [] : [bob.dbId]);
  });
});

describe('multipart bodies that lie', () => {
  async function send(parts: (form: FormData) => void) {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD_POST, variables: { file: null, caption: null } }));
    parts(form);
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    return { status: res.status, body: await res.json() };
  }
  const photo = async () => new Blob([await readFile(path.join(FIXTURES, 'photo.jpg'))]);

  it('a map naming a file that is never sent: BAD_REQUEST, as any broken multipart body', async () => {
    const res = await send((form) => form.append('map', JSON.stringify({ 0: ['variables.file'] })));
    expect({ status: res.status, code: res.body.errors[0].extensions.code }).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
    });
  });

  it('a file given for a String: BAD_USER_INPUT naming it a file, not graphql-upload-ts internals', async () => {
    const form = new FormData();
    form.append(
      'operations',
      JSON.stringify({
        query: 'query($name: String!) { users(search: $name) { edges { cursor } } }',
        variables: { name: null },
      }),
    );
    form.append('map', JSON.stringify({ 0: ['variables.name'] }));
    form.append('0', await photo(), 'a.jpg');
    const answer = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.token}`, 'apollo-require-preflight': 'true' },
      body: form,
    });
    const res = { body: await answer.json() };
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/\$name.*an uploaded file/),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/_resolve|capacitor|createReadStream/);
  });

  it('two files for one Upload: BAD_USER_INPUT, not PAYLOAD_TOO_LARGE', async () => {
    const file = await photo();
    const twoEntries = await send((form) => {
      form.append('map', JSON.stringify({ 0: ['variables.file'], 1: ['variables.file'] }));
      form.append('0', file, 'a.jpg');
      form.append('1', file, 'b.jpg');
    });
    expect(twoEntries.status).toBe(400);
    expect(twoEntries.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const extraPart = await send((form) => {
      form.append('map', JSON.stringify({ 0: ['variables.file'] }));
      form.append('0', file, 'a.jpg');
      form.append('1', file, 'b.jpg');
    });
    // A part the map does not name is ignored, as the multipart request spec says.
    expect(extraPart.body.data.uploadPost.fileName).toBe('a.jpg');
  });

  it('a body cut off in the middle of the file: BAD_REQUEST, as any broken multipart body', async () => {
    const boundary = 'cutoff';
    const body =
      `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD_POST, variables: { file: null } })}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="a.jpg"\r\n\r\n\u00ff\u00d8\u00ff partial`;
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        authorization: `Bearer ${alice.token}`,
        'apollo-require-preflight': 'true',
      },
      body,
    });
    const json = await res.json();
    expect(res.status).toBe(400);
    expect(json.errors[0]).toMatchObject({
      message: expect.stringMatching(/did not arrive whole/),
      extensions: { code: 'BAD_REQUEST' },
    });
  });
});

describe('after a crash', () => {
  const cleanup = () => server.app.services.fileRemovals;

  it('removes the stored file of an upload whose post was never written, once its time is up', async () => {
    const key = `${alice.dbId}/${randomUUID()}.jpg`;
    const file = path.join(server.config.uploadDir, key);
    await writeFile(file, await readFile(path.join(FIXTURES, 'photo.jpg')));
    // What a process killed between storing the file and writing the post leaves.
    const record = await cleanup().recordUpload({ storage: 'local', storageKey: key, fileId: null });
    // At start the worker leaves uploads within their time alone: another instance may be storing them.
    expect(await cleanup().runOnce(new Date(), { ignoreBackoff: true })).toEqual({ removed: 0, failed: 0 });
    expect((await fetch(`${server.url}/media/${key}`)).status).toBe(200);
    const { nextAttemptAt } = await server.db.fileRemoval.findUniqueOrThrow({ where: { id: record.id } });
    expect(nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(50 * 60_000);
    expect(await cleanup().runOnce(nextAttemptAt)).toEqual({ removed: 1, failed: 0 });
    expect((await fetch(`${server.url}/media/${key}`)).status).toBe(404);
    expect(await server.db.fileRemoval.count()).toBe(0);
  });

  it('retries failed deletions at start without waiting for their backoff', async () => {
    const key = `${alice.dbId}/${randomUUID()}.jpg`;
    await writeFile(path.join(server.config.uploadDir, key), 'orphan');
    await server.db.fileRemoval.create({
      data: { storage: 'local', storageKey: key, attempts: 3, nextAttemptAt: new Date(Date.now() + 3600_000) },
    });
    expect(await cleanup().runOnce()).toEqual({ removed: 0, failed: 0 });
    expect(await cleanup().runOnce(new Date(), { ignoreBackoff: true })).toEqual({ removed: 1, failed: 0 });
    expect((await fetch(`${server.url}/media/${key}`)).status).toBe(404);
  });

  it('sweeps temp files nothing has written for an hour, and only those', async () => {
    const tmp = await import('node:fs/promises').then((fs) => fs.mkdtemp(path.join(os.tmpdir(), 'sweep-')));
    const { createMaintenance } = await import('../src/infra/jobs/maintenance.ts');
    const maintenanceOf = (sweepTmpDir: boolean) =>
      createMaintenance({
        fileRemovals: cleanup(),
        pruneExpiredSessions: async () => 0,
        uploadDir: server.config.uploadDir,
        logger: createLogger('silent'),
        tmpDir: tmp,
        sweepTmpDir,
      });
    const maintenance = maintenanceOf(true);
    const old = new Date(Date.now() - 2 * 3600_000);
    const files = {
      staleCapacitor: path.join(tmp, 'capacitor-0123abcd.tmp'),
      freshCapacitor: path.join(tmp, 'capacitor-4567ef01.tmp'),
      someoneElses: path.join(tmp, 'notes.txt'),
      staleSpool: path.join(server.config.uploadDir, '.incoming', `${randomUUID()}.part`),
      stalePart: path.join(server.config.uploadDir, alice.dbId, `.${randomUUID()}.jpg.part`),
      // What processing (media-processing.ts) was writing when a process died, and what it writes now.
      staleProcessing: path.join(server.config.uploadDir, '.processing', `${randomUUID()}.0.img`),
      freshProcessing: path.join(server.config.uploadDir, '.processing', `${randomUUID()}.0.video`),
    };
    await mkdir(path.dirname(files.staleSpool), { recursive: true });
    await mkdir(path.dirname(files.staleProcessing), { recursive: true });
    for (const file of Object.values(files)) await writeFile(file, 'x');
    for (const file of [
      files.staleCapacitor,
      files.someoneElses,
      files.staleSpool,
      files.stalePart,
      files.staleProcessing,
    ])
      await utimes(file, old, old);
    const { existsSync } = await import('node:fs');
    // In a shared TMPDIR (SWEEP_TMPDIR unset) a stale capacitor file may be another program's: kept.
    expect(await maintenanceOf(false).sweepTempFiles()).toBe(3);
    expect([existsSync(files.staleCapacitor), existsSync(files.staleSpool)]).toEqual([true, false]);
    await writeFile(files.staleSpool, 'x');
    await utimes(files.staleSpool, old, old);
    // With SWEEP_TMPDIR=true the stale capacitor file goes too.
    expect(await maintenance.sweepTempFiles()).toBe(2);
    expect(Object.fromEntries(Object.entries(files).map(([name, file]) => [name, existsSync(file)]))).toEqual({
      staleCapacitor: false,
      freshCapacitor: true,
      someoneElses: true,
      staleSpool: false,
      stalePart: false,
      staleProcessing: false,
      freshProcessing: true,
    });
  });
});
