import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPage } from '../src/db/index.ts';
import { FEED_PAGE } from '../src/schema/pagination.ts';
import { FEED, POST_AUTHOR, POST_ID, USER_POSTS } from './operations/posts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { seedPosts as seed } from './support/seed.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;

const seedPosts = (author: TestUser, count: number, createdAt?: Date) => seed(server, author, count, createdAt);

const feedPage = (variables: { first?: number; after?: string | null }, token: string) =>
  gqlTyped(server, FEED, variables, token);

async function readWholeFeed(token: string, first: number) {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page += 1) {
    const res = await feedPage({ first, after }, token);
    expect(res.body.errors).toBeUndefined();
    const { edges, pageInfo } = res.body.data!.feed;
    ids.push(...edges.map((e) => e.node.id));
    if (!pageInfo.hasNextPage) return ids;
    after = pageInfo.endCursor;
  }
  throw new Error('feed never ended');
}

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server, { name: 'alice' });
  bob = await signUp(server, { name: 'bob' });
  admin = await signUp(server, { name: 'admin', superuser: true });
});
afterAll(() => server?.close());

describe('feed', () => {
  it('pages through posts sharing one timestamp with no duplicates and no gaps', async () => {
    await server.db.post.deleteMany();
    await seedPosts(alice, 37, new Date('2026-01-01T00:00:00.000Z'));
    await seedPosts(bob, 20);
    const all = await server.db.post.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const expected = all.map((p) => globalIdOf('Post', p.id));
    for (const pageSize of [1, 7, 20]) {
      expect(await readWholeFeed(alice.token, pageSize)).toEqual(expected);
    }
  });

  it('keeps its place when the post under the cursor is deleted between pages', async () => {
    await server.db.post.deleteMany();
    await seedPosts(alice, 10, new Date('2026-01-01T00:00:00.000Z'));
    const first = await gqlTyped(server, FEED, { first: 4 }, alice.token);
    const seen = first.body.data!.feed.edges.map((e) => e.node.id);
    const lastId = dbIdOf(seen[3]!);
    await server.db.post.delete({ where: { id: lastId } });
    await server.wroteBehindTheApp();
    const rest = await gqlTyped(
      server,
      FEED,
      { first: 100, after: first.body.data!.feed.pageInfo.endCursor },
      alice.token,
    );
    const restIds = rest.body.data!.feed.edges.map((e) => e.node.id);
    expect(restIds).toHaveLength(6);
    expect(restIds.filter((id) => seen.includes(id))).toEqual([]);
  });

  it('answers null cursors for an empty feed and keeps the asked cursor on an empty later page', async () => {
    await server.db.post.deleteMany();
    await server.wroteBehindTheApp();
    const empty = await gqlTyped(server, FEED, { first: 5 }, alice.token);
    expect(empty.body.data!.feed).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });

    await seedPosts(alice, 2);
    const page = await gqlTyped(server, FEED, { first: 5 }, alice.token);
    const { endCursor } = page.body.data!.feed.pageInfo;
    expect(endCursor).toEqual(expect.any(String));
    const after = await gqlTyped(server, FEED, { first: 5, after: endCursor }, alice.token);
    expect(after.body.data!.feed).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor } });
  });

  it('defaults to 20 posts a page and caps a page at 100', async () => {
    await server.db.post.deleteMany();
    await seedPosts(bob, 130);
    const defaultPage = await gqlTyped(server, FEED, {}, alice.token);
    expect(defaultPage.body.data!.feed.edges).toHaveLength(20);
    expect(defaultPage.body.data!.feed.pageInfo.hasNextPage).toBe(true);
    const capped = await gqlTyped(server, FEED, { first: 500 }, alice.token);
    expect(capped.body.data!.feed.edges).toHaveLength(100);
  });

  it('is newest first, with authors, and tells the viewer which posts are theirs', async () => {
    await server.db.post.deleteMany();
    await seedPosts(alice, 1, new Date('2026-01-01T00:00:00.000Z'));
    await seedPosts(bob, 1, new Date('2026-02-01T00:00:00.000Z'));
    const res = await gqlTyped(server, FEED, {}, alice.token);
    const nodes = res.body.data!.feed.edges.map((e) => e.node);
    expect(nodes).toMatchObject([
      { isOwner: false, author: { id: bob.id, username: 'bob', email: null } },
      { isOwner: true, author: { id: alice.id, username: 'alice', email: 'alice@example.com' } },
    ]);
    const asAdmin = await gqlTyped(server, FEED, {}, admin.token);
    expect(asAdmin.body.data!.feed.edges[0]!.node.author.email).toBe('bob@example.com');
  });

  it('costs at most 2 SQL statements for a page of 50 posts with authors, the token check included; none once cached', async () => {
    await server.db.post.deleteMany();
    for (const author of [alice, bob, admin]) await seedPosts(author, 20);
    // Nothing cached: the session lookup, then the page with its authors in one statement.
    server.queries.length = 0;
    const res = await gqlTyped(server, FEED, { first: 50 }, alice.token);
    expect(res.body.data!.feed.edges).toHaveLength(50);
    expect(new Set(res.body.data!.feed.edges.map((e) => e.node.author.id)).size).toBe(3);
    expect(server.queries.length).toBeLessThanOrEqual(2);
    // Another viewer: their session is looked up, the page is the one already read.
    server.queries.length = 0;
    const other = await gqlTyped(server, FEED, { first: 50 }, bob.token);
    expect(other.body.data!.feed.edges.map((e) => e.node.id)).toEqual(res.body.data!.feed.edges.map((e) => e.node.id));
    expect(server.queries).toHaveLength(1);
    // Both known now: no SQL at all.
    server.queries.length = 0;
    await gqlTyped(server, FEED, { first: 50 }, alice.token);
    expect(server.queries).toEqual([]);
  });

  it('requests missing the page at once share one read of it, and a request after a change reads again', async () => {
    const { window } = planPage({ first: 20 }, FEED_PAGE, 'newest-first');
    const { feed } = server.app.services;
    // On PostgreSQL a change is also a NOTIFY statement.
    const pageReads = () => server.queries.filter((sql) => !sql.includes('pg_notify'));
    await feed.page(window);
    // A post through the API drops the page; ten requests want it in the same moment.
    expect((await uploadPost(server.url, { token: alice.token, caption: 'new' })).body.errors).toBeUndefined();
    server.queries.length = 0;
    const pages = await Promise.all(Array.from({ length: 10 }, () => feed.page(window)));
    expect(pageReads()).toHaveLength(1);
    expect(new Set(pages.map((rows) => rows[0]!.caption))).toEqual(new Set(['new']));
    // A read begun before a change is not shared with a request made after it.
    await server.app.services.changes.publish({ type: 'posts' });
    server.queries.length = 0;
    const before = feed.page(window);
    await server.app.services.changes.publish({ type: 'posts' });
    const after = feed.page(window);
    await Promise.all([before, after]);
    expect(pageReads()).toHaveLength(2);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['base64 of the wrong shape', Buffer.from('hello|world').toString('base64url')],
    ['an offset cursor from another server', Buffer.from('OffsetConnection:10').toString('base64')],
  ])('refuses a malformed cursor (%s) with BAD_USER_INPUT', async (_label, after) => {
    const res = await gqlTyped(server, FEED, { first: 5, after }, alice.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toBe('Malformed cursor.');
  });

  it('refuses a negative page size with BAD_USER_INPUT', async () => {
    const res = await gqlTyped(server, FEED, { first: -1 }, alice.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  });
});

describe('users and nodes', () => {
  it("lists a user's own posts, newest first, and finds posts and users by node id", async () => {
    await server.db.post.deleteMany();
    await seedPosts(alice, 3);
    await seedPosts(bob, 2);
    const res = await gqlTyped(server, USER_POSTS, { id: alice.id }, bob.token);
    expect(res.body.data!.node).toMatchObject({
      __typename: 'User',
      username: 'alice',
      email: null,
      posts: {
        edges: [{ node: { caption: 'seed 0', author: { id: alice.id } } }, { node: { caption: 'seed 1' } }],
        pageInfo: { hasNextPage: true },
      },
    });
  });

  it('post(id) finds a post, and answers null for an unknown id', async () => {
    await seedPosts(alice, 1);
    const row = await server.db.post.findFirstOrThrow({ where: { authorId: alice.dbId } });
    const id = globalIdOf('Post', row.id);
    const found = await gqlTyped(server, POST_AUTHOR, { id }, bob.token);
    expect(found.body.data!.post).toEqual({ id, author: { username: 'alice' } });
    const unknown = await gqlTyped(server, POST_ID, { id: globalIdOf('Post', randomUUID()) }, bob.token);
    expect(unknown.body.data).toEqual({ post: null });
  });
});
