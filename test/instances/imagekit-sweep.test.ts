// Direct uploads nobody posted are deleted by the maintenance loop once a day old: files in the users'
// upload folders on the (fake) ImageKit, aged by setting their createdAt there, that no post refers to.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { type FakeFile, type FakeImageKit, startFakeImageKit, uploadFromBrowser } from '../support/fake-imagekit.ts';
import { UPLOAD_AUTH as AUTH, CREATE_FROM_IMAGEKIT as CREATE, type UploadAuthData } from '../support/imagekit.ts';
import { errorCode, FIXTURES, startTestServer, type TestServer } from '../support/server.ts';

const HOUR = 60 * 60_000;

let fake: FakeImageKit;
let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  fake = await startFakeImageKit();
  // Limits are test/imagekit-direct.test.ts's business; here users upload many files.
  // Several instances share its database in one test: on SQLite they share changes through Redis.
  server = await startTestServer({ ...fake.env(), UPLOAD_MAX_PER_HOUR: '0' }, { instances: true });
  alice = await signUp(server);
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
afterEach(() => {
  fake.faults = {};
  fake.onList = null;
  fake.files.clear();
});

const photo = await readFile(path.join(FIXTURES, 'photo.jpg'));
const folderOf = (userId: string) => `/uploads/users/${userId}/`;
const age = (file: FakeFile, ms: number) => {
  file.createdAt = file.updatedAt = new Date(Date.now() - ms).toISOString();
  return file;
};
const sweep = (target = server) => target.app.services.maintenance.runOnce();

/** Uploads with a token from the API, as a browser does; the file is `ms` old once it is there. */
async function uploaded(user: TestUser, ms: number): Promise<FakeFile> {
  const answer = await server.gql<UploadAuthData>(AUTH, { fileName: 'photo.jpg' }, user.token);
  expect(answer.body.errors).toBeUndefined();
  const auth = answer.body.data!.imageKitUploadAuth;
  const res = await uploadFromBrowser(auth, { bytes: photo });
  expect(res.status).toBe(200);
  return age(fake.files.get(res.body.fileId!)!, ms);
}

async function posted(user: TestUser, file: FakeFile, agedBy: number): Promise<FakeFile> {
  expect(errorCode(await server.gql(CREATE, { fileId: file.fileId }, user.token))).toBeUndefined();
  return age(file, agedBy);
}

describe('the sweep of abandoned direct uploads', () => {
  it('deletes files over 24 hours old that no post refers to, and nothing else', async () => {
    const gone = await signUp(server);
    const abandoned = await uploaded(alice, 25 * HOUR);
    const young = await uploaded(alice, 23 * HOUR);
    const postedLongAgo = await posted(alice, await uploaded(alice, 0), 30 * 24 * HOUR);
    const ofDeletedAccount = await uploaded(gone, 48 * HOUR);
    const deleted = await server.gql(
      'mutation($p: String!) { deleteMe(password: $p) }',
      { p: gone.password },
      gone.token,
    );
    expect(deleted.body.errors).toBeUndefined();
    // Not in a user's upload folder: this server's own uploads, and anything else in the library.
    const serverUpload = await fake.addFile({ folder: '/uploads/', name: 'a.jpg', bytes: photo });
    const elsewhere = await fake.addFile({ folder: '/marketing/', name: 'b.jpg', bytes: photo });
    for (const file of [serverUpload, elsewhere]) age(file, 48 * HOUR);

    await sweep();

    expect(fake.files.has(abandoned.fileId)).toBe(false);
    expect(fake.files.has(ofDeletedAccount.fileId)).toBe(false);
    for (const kept of [young, postedLongAgo, serverUpload, elsewhere]) expect(fake.files.has(kept.fileId)).toBe(true);
    expect(await server.db.fileRemoval.count()).toBe(0);
    expect(server.logs.some((line) => line.includes('removed direct uploads no post took within a day'))).toBe(true);
  });

  it("pages through ImageKit's list API, folders and files alike", async () => {
    const users = [alice, await signUp(server), await signUp(server)];
    const stale: FakeFile[] = [];
    for (const [i, user] of users.entries()) {
      // Over one page (100) in one folder, a few in the others.
      for (let n = 0; n < (i === 0 ? 230 : 3); n += 1) {
        stale.push(
          age(await fake.addFile({ folder: folderOf(user.dbId), name: `f${n}.jpg`, bytes: photo }), 25 * HOUR),
        );
      }
    }
    // More folders than one page of folders.
    for (let n = 0; n < 101; n += 1) {
      await fake.addFile({ folder: `${folderOf(`nobody-${n}`)}`, name: 'young.jpg', bytes: photo });
    }
    const kept = await posted(alice, await uploaded(alice, 0), 25 * HOUR);
    const before = fake.requests.length;

    await sweep();

    expect(stale.filter((file) => fake.files.has(file.fileId))).toEqual([]);
    expect(fake.files.has(kept.fileId)).toBe(true);
    expect(fake.files.size).toBe(102);
    const lists = fake.requests.slice(before).filter((r) => r.method === 'GET' && r.path.startsWith('/v1/files?'));
    const query = (r: { path: string }) => new URL(r.path, fake.url).searchParams;
    expect(lists.filter((r) => query(r).get('type') === 'folder').map((r) => query(r).get('skip'))).toEqual([
      '0',
      '100',
    ]);
    expect(lists.filter((r) => query(r).get('path') === folderOf(alice.dbId)).map((r) => query(r).get('skip'))).toEqual(
      ['0', '100', '200'],
    );
    for (const r of lists) expect(r.status).toBe(200);
  });

  it('never deletes the file of a post written while it runs', async () => {
    const postable = await uploaded(alice, 23 * HOUR - 60_000);
    const tooOld = await uploaded(alice, 24 * HOUR + 60_000);
    const answers: (string | undefined)[] = [];
    // Another request posts both files just as the sweep lists the folder.
    fake.onList = async (params) => {
      if (params.get('path') !== folderOf(alice.dbId)) return;
      fake.onList = null;
      for (const file of [postable, tooOld]) {
        answers.push(errorCode(await server.gql(CREATE, { fileId: file.fileId }, alice.token)));
      }
    };

    await sweep();

    // The one young enough to post is too young to sweep; the other could not be posted.
    expect(answers).toEqual([undefined, 'BAD_USER_INPUT']);
    expect(fake.files.has(postable.fileId)).toBe(true);
    expect(fake.files.has(tooOld.fileId)).toBe(false);
    const posts = await server.db.post.findMany({ where: { fileId: { in: [postable.fileId, tooOld.fileId] } } });
    expect(posts.map((post) => post.fileId)).toEqual([postable.fileId]);
  });

  it('is safe with several instances sweeping at once', async () => {
    const other = await startTestServer(fake.env(), { dir: server.dir, instances: true });
    try {
      const stale = [];
      for (let n = 0; n < 40; n += 1) stale.push(await uploaded(alice, 25 * HOUR));
      const kept = await posted(alice, await uploaded(alice, 0), 25 * HOUR);

      await Promise.all([sweep(server), sweep(other), sweep(server)]);

      expect(stale.filter((file) => fake.files.has(file.fileId))).toEqual([]);
      expect(fake.files.has(kept.fileId)).toBe(true);
      // Each deletion went through once or found the file gone (404): nothing failed, nothing is queued.
      expect(fake.requests.filter((r) => r.method === 'DELETE' && r.status !== 204 && r.status !== 404)).toEqual([]);
      expect(await server.db.fileRemoval.count()).toBe(0);
      for (const logs of [server.logs, other.logs]) {
        expect(logs.filter((line) => /"level":"(warn|error)"/.test(line))).toEqual([]);
      }
    } finally {
      await other.close();
    }
  });

  it('queues a file ImageKit fails to delete for the removal worker', async () => {
    const abandoned = await uploaded(alice, 25 * HOUR);
    fake.faults.delete = 'error';
    await sweep();
    expect(fake.files.has(abandoned.fileId)).toBe(true);
    const queued = await server.db.fileRemoval.findFirstOrThrow();
    expect(queued).toMatchObject({ storage: 'imagekit', fileId: abandoned.fileId, storageKey: abandoned.filePath });
    fake.faults = {};
    expect(await server.app.services.fileRemovals.runOnce(queued.nextAttemptAt)).toEqual({ removed: 1, failed: 0 });
    expect(fake.files.has(abandoned.fileId)).toBe(false);
  });

  it('logs ImageKit failing to list, deletes nothing, and sweeps at the next run', async () => {
    const abandoned = await uploaded(alice, 25 * HOUR);
    fake.faults.list = 'error';
    await sweep();
    expect(fake.files.has(abandoned.fileId)).toBe(true);
    expect(server.logs.some((line) => line.includes('could not sweep abandoned direct uploads'))).toBe(true);
    fake.faults = {};
    await sweep();
    expect(fake.files.has(abandoned.fileId)).toBe(false);
  });

  it('sweeps with ImageKit configured even when new uploads go to local disk', async () => {
    const local = await startTestServer({ ...fake.env(), STORAGE: 'local' });
    try {
      const abandoned = age(
        await fake.addFile({ folder: folderOf(alice.dbId), name: 'c.jpg', bytes: photo }),
        25 * HOUR,
      );
      await sweep(local);
      expect(fake.files.has(abandoned.fileId)).toBe(false);
    } finally {
      await local.close();
    }
  });
});
