// The session and feed caches (src/services/accounts/auth.ts, src/services/posts/feed.ts) never make the API say
// something a write has already changed: on the instance that made the write, at once; on another
// instance of the same database, within a second. Run with one instance and with two (PostgreSQL
// NOTIFY, or Redis pub/sub for two instances on one SQLite file).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_AUTHORS as FEED } from '../operations/posts.ts';
import { SESSION_USER as ME } from '../operations/sessions.ts';
import { LOGIN, type LoginData, signUp, type TestUser } from '../support/accounts.ts';
import { newPostgresTestUrl, withPg } from '../support/database.ts';
import { eventually } from '../support/imagekit.ts';
import { outboxToken, readOutbox } from '../support/outbox.ts';
import { errorCode, newTempDir, startTestServer, TEST_REDIS_URL, type TestServer } from '../support/server.ts';
import { startTcpProxy } from '../support/tcp-proxy.ts';
import { gqlTyped } from '../support/typed.ts';
import { uploadPost } from '../support/upload.ts';

async function feedIds(server: TestServer, token: string): Promise<string[]> {
  const res = await gqlTyped(server, FEED, {}, token);
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.feed.edges.map((e) => e.node.id);
}

const signedIn = async (server: TestServer, token: string) =>
  (await gqlTyped(server, ME, {}, token)).body.data?.me != null;

/** Whatever the other instance answers within a second must settle on this. */
const withinASecond = (check: () => Promise<void>) => eventually(check, 1000);

describe.each(['one instance', 'two instances'] as const)('caches with %s', (shape) => {
  let a: TestServer;
  let b: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let admin: TestUser;

  beforeAll(async () => {
    a = await startTestServer({}, { instances: true });
    b = shape === 'one instance' ? a : await startTestServer({}, { dir: a.dir, instances: true });
    alice = await signUp(a);
    bob = await signUp(a);
    admin = await signUp(a, { superuser: true });
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  /** Both instances have read the feed and seen the tokens, so their caches hold them. */
  async function warm(...tokens: string[]) {
    for (const server of new Set([a, b])) for (const token of tokens) await feedIds(server, token);
  }

  it('shows a new post in its author’s next read at once, and in everyone’s within a second', async () => {
    await warm(alice.token, bob.token);
    const post = (await uploadPost(a.url, { token: alice.token })).body.data!.uploadPost;
    expect(await feedIds(a, alice.token)).toContain(post.id);
    expect(await feedIds(a, bob.token)).toContain(post.id);
    await withinASecond(async () => expect(await feedIds(b, bob.token)).toContain(post.id));
  });

  it('never serves a deleted post again from the instance that deleted it, even to reads racing the delete', async () => {
    const post = (await uploadPost(a.url, { token: alice.token })).body.data!.uploadPost;
    await warm(alice.token, bob.token);
    expect(await feedIds(a, bob.token)).toContain(post.id);

    // Readers hammer the instance while the delete runs; a read that starts after the delete has
    // answered must not see the post, whatever was cached or in flight.
    let deletedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const stale: number[] = [];
    const reader = async () => {
      while (!stop) {
        const started = performance.now();
        const ids = await feedIds(a, bob.token);
        if (started > deletedAt && ids.includes(post.id)) stale.push(started - deletedAt);
      }
    };
    const readers = Array.from({ length: 4 }, reader);
    const res = await a.gql('mutation($id: ID!) { deletePost(id: $id) }', { id: post.id }, alice.token);
    deletedAt = performance.now();
    expect(res.body.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 150));
    stop = true;
    await Promise.all(readers);
    expect(stale).toEqual([]);
    await withinASecond(async () => expect(await feedIds(b, bob.token)).not.toContain(post.id));
  });

  it('shows a renamed author’s new name on both instances', async () => {
    await uploadPost(a.url, { token: bob.token });
    await warm(alice.token);
    const renamed = `renamed_${bob.username}`.slice(0, 30);
    await a.gql(
      'mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }',
      { input: { username: renamed } },
      bob.token,
    );
    const names = async (server: TestServer) =>
      (await gqlTyped(server, FEED, {}, alice.token)).body.data!.feed.edges.map((e) => e.node.author.username);
    expect(await names(a)).toContain(renamed);
    await withinASecond(async () => expect(await names(b)).toContain(renamed));
  });

  describe('refuses a token', () => {
    /** A fresh account signed in on both instances, its token cached by both. */
    async function cachedUser() {
      const user = await signUp(a);
      expect(await signedIn(a, user.token)).toBe(true);
      expect(await signedIn(b, user.token)).toBe(true);
      return user;
    }

    const refused = async (user: TestUser) => {
      expect(await signedIn(a, user.token)).toBe(false);
      await withinASecond(async () => expect(await signedIn(b, user.token)).toBe(false));
      expect(errorCode(await gqlTyped(b, FEED, {}, user.token))).toBe('UNAUTHENTICATED');
    };

    it('after logout', async () => {
      const user = await cachedUser();
      await a.gql('mutation { logout }', {}, user.token);
      await refused(user);
    });

    it('after a password reset', async () => {
      const user = await cachedUser();
      await a.gql('mutation($email: String!) { requestPasswordReset(email: $email) }', { email: user.email });
      await a.app.services.accounts.flush();
      const mail = (await readOutbox(a.dir)).find((m) => m.to === user.email && m.subject === 'Reset your password');
      const token = outboxToken(mail!, '/reset-password');
      const res = await a.gql(
        'mutation($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }',
        {
          token,
          password: 'a completely new password',
        },
      );
      expect(res.body.errors).toBeUndefined();
      await refused(user);
    });

    it('after the user is deactivated', async () => {
      const user = await cachedUser();
      await a.gql(
        'mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }',
        { id: user.id },
        admin.token,
      );
      await refused(user);
    });

    it('after deleteMe', async () => {
      const user = await cachedUser();
      await a.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: user.password }, user.token);
      await refused(user);
    });

    it('but keeps the user’s other sessions after a logout', async () => {
      const user = await cachedUser();
      const second = (await a.gql<LoginData>(LOGIN, { email: user.email, password: user.password })).body.data!.login
        .token!;
      expect(await signedIn(b, second)).toBe(true);
      await a.gql('mutation { logout }', {}, user.token);
      await refused(user);
      expect(await signedIn(b, second)).toBe(true);
    });
  });
});

// On PostgreSQL in every pass: the channel is its LISTEN connection.
describe('an instance that loses the channel to the others', () => {
  /**
   * Ends the LISTEN connection `server` opened through `proxy` and keeps it from coming back (it would
   * within milliseconds, too fast to see) until the proxy is restored; its pool's open connections keep working.
   */
  async function cutListening(proxy: Awaited<ReturnType<typeof startTcpProxy>>, url: string, server: TestServer) {
    await proxy.refuseNew();
    const schema = new URL(url).searchParams.get('schema')!;
    const { rowCount } = await withPg(url, (client) =>
      client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE $1 AND client_port = ANY($2)',
        [`LISTEN "photo_feed_changes:${schema}"%`, proxy.upstreamPorts()],
      ),
    );
    expect(rowCount).toBe(1);
    await eventually(() => expect(server.app.services.changes.live).toBe(false), 2000);
  }

  it('stops trusting its caches until it is back, so it never serves what it did not hear about', async () => {
    // b reaches the database through a proxy that can refuse new connections: its listening connection,
    // once cut, stays down until the test lets it back (it reconnects within milliseconds otherwise, too
    // fast to see), while the connections its pool has open keep working.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const url = newPostgresTestUrl();
    const a = await startTestServer({ DATABASE_URL: url });
    const b = await startTestServer({ DATABASE_URL: proxy.urlFor(url) });
    try {
      await eventually(() => expect(b.app.services.changes.live).toBe(true), 5000);
      const user = await signUp(a);
      expect(await signedIn(b, user.token)).toBe(true);
      // Cut b's LISTEN connection, as a network blip or a database restart would.
      await cutListening(proxy, url, b);
      await a.gql('mutation { logout }', {}, user.token);
      // b never heard of the logout, and refuses the token all the same.
      expect(await signedIn(b, user.token)).toBe(false);
      // It listens again by itself once it can.
      await proxy.restore();
      await eventually(() => expect(b.app.services.changes.live).toBe(true), 6000);
    } finally {
      await b.close();
      await a.close();
      await proxy.close();
    }
  });

  it('still tells the others about its own changes, so they never serve what it changed', async () => {
    // The writer reaches the database through a proxy, so the test can keep its listening connection
    // from coming back while its pool's open connections keep working.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    const url = newPostgresTestUrl();
    const writer = await startTestServer({ DATABASE_URL: proxy.urlFor(url) });
    const other = await startTestServer({ DATABASE_URL: url });
    try {
      await eventually(() => expect(writer.app.services.changes.live).toBe(true), 5000);
      const user = await signUp(writer);
      expect(await signedIn(writer, user.token)).toBe(true);
      expect(await signedIn(other, user.token)).toBe(true);

      await cutListening(proxy, url, writer);

      expect((await writer.gql('mutation { logout }', {}, user.token)).body).toEqual({ data: { logout: true } });
      await withinASecond(async () => expect(await signedIn(other, user.token)).toBe(false));
      expect(writer.logs.filter((line) => line.includes('could not tell other instances'))).toEqual([]);

      await proxy.restore();
      await eventually(() => expect(writer.app.services.changes.live).toBe(true), 6000);
    } finally {
      await other.close();
      await writer.close();
      await proxy.close();
    }
  });
});

// On SQLite in every pass: instances sharing a file hear each other through Redis.
describe('an instance that cannot send a change', () => {
  it('retries until the others hear it, once the channel is back', async () => {
    // The writer reaches Redis through a proxy the test cuts; the other instance reaches it directly.
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) });
    const dir = await newTempDir();
    const database = { DATABASE_URL: `file:${path.join(dir, 'test.db')}` };
    const writer = await startTestServer(
      { ...database, REDIS_URL: proxy.urlFor(TEST_REDIS_URL) },
      { dir, instances: true },
    );
    const other = await startTestServer(database, { dir, instances: true });
    try {
      await eventually(() => expect([writer, other].map((s) => s.app.services.changes.live)).toEqual([true, true]));
      const user = await signUp(writer);
      expect(await signedIn(other, user.token)).toBe(true);

      await proxy.cut();
      expect((await writer.gql('mutation { logout }', {}, user.token)).body).toEqual({ data: { logout: true } });
      expect(await signedIn(writer, user.token)).toBe(false);
      await eventually(() =>
        expect(writer.logs.some((line) => line.includes('could not tell other instances about a change'))).toBe(true),
      );

      await proxy.restore();
      // The next retry gets through: at most 2 s apart, once the writer has reconnected.
      await eventually(async () => expect(await signedIn(other, user.token)).toBe(false), 5000);
      expect(writer.logs.some((line) => line.includes('told other instances about a change after retrying'))).toBe(
        true,
      );
    } finally {
      await other.close();
      await writer.close();
      await proxy.close();
    }
  });
});
