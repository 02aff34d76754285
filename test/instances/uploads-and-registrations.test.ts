// Two stateless instances of the server on one database, as behind a load balancer: SQLite (one
// file, two app instances) by default, PostgreSQL with TEST_DATABASE_URL. Nothing an instance
// keeps in memory may matter: tokens, logouts, uploads and registrations hold across both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTER } from '../operations/accounts.ts';
import { FEED_CAPTIONS as FEED } from '../operations/posts.ts';
import { LOGIN_TOKEN, SESSION_USER as ME } from '../operations/sessions.ts';
import { type RegisterData, signUp, type TestUser } from '../support/accounts.ts';
import { type FakeImageKit, startFakeImageKit } from '../support/fake-imagekit.ts';
import { dbIdOf } from '../support/imagekit.ts';
import { errorCode, filesUnder, type GqlResponse, startTestServer, type TestServer } from '../support/server.ts';
import { gqlTyped } from '../support/typed.ts';
import { uploadPost } from '../support/upload.ts';

let fake: FakeImageKit;
let a: TestServer;
let b: TestServer;
const UNLIMITED_UPLOADS = { UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: '0' };

beforeAll(async () => {
  fake = await startFakeImageKit();
  // Local storage for new uploads; the ImageKit keys let the upload test switch per instance pair.
  // One user uploads 50 files at once here: the per-user upload limits are test/upload-limits.test.ts's.
  a = await startTestServer(UNLIMITED_UPLOADS, { instances: true });
  b = await startTestServer(UNLIMITED_UPLOADS, { dir: a.dir, instances: true });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
  await fake?.close();
});

const feedPage = (server: TestServer, variables: { first: number; after: string | null }, token: string) =>
  gqlTyped(server, FEED, variables, token);

/** Reads the whole feed in small pages, asking the two instances in turn, so each cursor crosses over. */
async function readFeedAcross(token: string, servers: TestServer[]) {
  const captions: (string | null)[] = [];
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const res = await feedPage(servers[page % servers.length]!, { first: 7, after }, token);
    expect(res.body.errors).toBeUndefined();
    for (const edge of res.body.data!.feed.edges) {
      ids.push(edge.node.id);
      captions.push(edge.node.caption);
    }
    if (!res.body.data!.feed.pageInfo.hasNextPage) return { ids, captions };
    after = res.body.data!.feed.pageInfo.endCursor;
  }
  throw new Error('feed never ended');
}

describe('two instances on one database', () => {
  it('accept a token the other issued, and honour a logout made on the other', async () => {
    const user = await signUp(a);
    expect((await gqlTyped(b, ME, {}, user.token)).body.data!.me).toEqual({ id: user.id, username: user.username });

    const logout = await b.gql('mutation { logout }', {}, user.token);
    expect(logout.body.data).toEqual({ logout: true });
    expect((await gqlTyped(a, ME, {}, user.token)).body.data!.me).toBeNull();
    expect(errorCode(await gqlTyped(a, FEED, {}, user.token))).toBe('UNAUTHENTICATED');

    // A new sign-in on B is good on A; the revoked token stays revoked on both.
    const again = await gqlTyped(b, LOGIN_TOKEN, { e: user.email, p: user.password });
    expect((await gqlTyped(a, ME, {}, again.body.data!.login.token)).body.data!.me!.id).toBe(user.id);
    expect((await gqlTyped(b, ME, {}, user.token)).body.data!.me).toBeNull();
  });

  it.each(['local', 'imagekit'] as const)(
    'land 50 concurrent uploads spread across both, each exactly once (%s storage)',
    async (storage) => {
      // With ImageKit, a second pair of instances (on the same database) uploads to one shared ImageKit;
      // with local storage both write to one upload folder, as with a shared volume.
      const [one, two] =
        storage === 'local'
          ? [a, b]
          : await Promise.all([
              startTestServer({ ...fake.env(), ...UNLIMITED_UPLOADS }, { dir: a.dir, instances: true }),
              startTestServer({ ...fake.env(), ...UNLIMITED_UPLOADS }, { dir: a.dir, instances: true }),
            ]);
      try {
        const user: TestUser = await signUp(one);
        const filesBefore = fake.files.size;
        const captions = Array.from({ length: 50 }, (_, i) => `${storage} upload ${i}`);
        const results = await Promise.all(
          captions.map((caption, i) =>
            uploadPost((i % 2 ? two : one).url, {
              token: user.token,
              fixture: i % 3 ? 'photo.jpg' : 'photo.png',
              caption,
            }),
          ),
        );
        for (const res of results) {
          expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
          expect(res.status).toBe(200);
        }
        const postIds = results.map((res) => res.body.data!.uploadPost.id);
        expect(new Set(postIds).size).toBe(50);

        const rows = await one.db.post.findMany({ where: { authorId: user.dbId } });
        expect(rows.map((row) => row.caption).sort()).toEqual([...captions].sort());
        expect(new Set(rows.map((row) => row.storageKey)).size).toBe(50);
        expect(rows.every((row) => row.storage === storage)).toBe(true);
        if (storage === 'imagekit') {
          expect(fake.files.size - filesBefore).toBe(50);
          expect(rows.every((row) => row.fileId && fake.files.has(row.fileId))).toBe(true);
        } else {
          const stored = (await filesUnder(one.config.uploadDir)).filter((file) => !file.startsWith('.incoming'));
          for (const row of rows) expect(stored).toContain(row.storageKey);
        }

        // Both instances serve the same feed, and a cursor from one pages on at the other.
        const feed = await readFeedAcross(user.token, [one, two]);
        const mine = feed.ids.filter((id) => postIds.includes(id));
        expect(mine).toHaveLength(50);
        expect(new Set(feed.ids).size).toBe(feed.ids.length);
        expect(postIds.map(dbIdOf).every((id) => rows.some((row) => row.id === id))).toBe(true);
      } finally {
        if (storage !== 'local') await Promise.all([one.close(), two.close()]);
      }
    },
  );

  it('make one account of concurrent registrations of the same email, and answer the rest REGISTER_USER_ALREADY_EXISTS', async () => {
    // A slower hash widens the gap between the "already exists?" check and the insert, so the racers
    // pass the check together and the database's unique index has to decide (checked once by
    // instrumenting register(): 9 of the 15 refusals on SQLite and 13 of 15 on PostgreSQL came from it).
    // Every racer is let through to the check (the password work in flight of one client is limited too).
    const racing = { BCRYPT_COST: '8', REGISTER_MAX_PER_IP: '0', PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '10' };
    const [one, two] = await Promise.all([
      startTestServer(racing, { dir: a.dir, instances: true }),
      startTestServer(racing, { dir: a.dir, instances: true }),
    ]);
    try {
      const register = (server: TestServer, email: string, username: string) =>
        gqlTyped(server, REGISTER, { input: { email, username, password: 'correct horse battery' } });

      // One on each instance at the same moment, several times over; then a burst of ten.
      const rounds: GqlResponse<RegisterData>[][] = [];
      for (let round = 0; round < 5; round += 1) {
        rounds.push(
          await Promise.all([
            register(one, `race${round}@example.com`, `race${round}_a`),
            register(two, `RACE${round}@example.com`, `race${round}_b`),
          ]),
        );
      }
      rounds.push(
        await Promise.all(
          Array.from({ length: 10 }, (_, i) => register(i % 2 ? two : one, 'burst@example.com', `burst_${i}`)),
        ),
      );

      for (const responses of rounds) {
        const created = responses.filter((res) => res.body.data?.register);
        const refused = responses.filter((res) => errorCode(res) === 'REGISTER_USER_ALREADY_EXISTS');
        expect(responses.map(errorCode)).not.toContain('INTERNAL_SERVER_ERROR');
        expect(created).toHaveLength(1);
        expect(refused).toHaveLength(responses.length - 1);
      }
      for (const email of [
        ...Array.from({ length: 5 }, (_, round) => `race${round}@example.com`),
        'burst@example.com',
      ]) {
        expect(await one.db.user.count({ where: { email } })).toBe(1);
      }
      // Racing usernames are decided the same way.
      const sameName = await Promise.all([
        register(one, 'name1@example.com', 'taken_name'),
        register(two, 'name2@example.com', 'Taken_Name'),
      ]);
      expect(sameName.map(errorCode).sort()).toEqual(['REGISTER_USER_ALREADY_EXISTS', undefined]);
      expect(one.logs.filter((line) => /unexpected error/.test(line))).toEqual([]);
      expect(two.logs.filter((line) => /unexpected error/.test(line))).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
