// The home feed (src/db/home-feed.ts): posts by the accounts the viewer follows and by the viewer, newest
// first. Both plans (merged per-author ranges up to HOME_FEED_MERGE_LIMIT followed accounts, the global
// index walk past it) give exactly what a plain Prisma query gives, page after page, through ties of
// createdAt; and both read a deep page as index ranges, on SQLite and on PostgreSQL (pinned, in every pass).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  feedPageSql,
  HOME_FEED_MERGE_LIMIT,
  homeFeedPageSql,
  type KeysetWindow,
  nothingHiddenFor,
  type Prisma,
} from '../src/db/index.ts';
import { FEED_CURSORS, FEED_IDS } from './operations/posts.ts';
import { HOME_PAGE } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { newPostgresTestUrl } from './support/database.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { errorCode, newTempDir, startTestServer, type TestServer } from './support/server.ts';
import { FOLLOW, seedUsers, UNFOLLOW } from './support/social.ts';
import { gqlTyped } from './support/typed.ts';

/** One page of the viewer's home feed. */
const homePage = async (server: TestServer, variables: VariablesOf<typeof HOME_PAGE>, token?: string) =>
  (await gqlTyped(server, HOME_PAGE, variables, token)).body.data!.homeFeed;

/** `count` posts by the author, the i-th at `at(i)`. */
const posts = (authorId: string, count: number, at: (i: number) => Date): Prisma.PostCreateManyInput[] =>
  Array.from({ length: count }, (_, i) => {
    const id = randomUUID();
    return {
      id,
      authorId,
      caption: `${authorId.slice(0, 4)} ${i}`,
      fileType: 'IMAGE',
      fileName: 'p.jpg',
      mimeType: 'image/jpeg',
      size: 1,
      storage: 'local',
      storageKey: `${authorId}/${id}.jpg`,
      createdAt: at(i),
    };
  });

const BASE = Date.UTC(2026, 0, 1);
/** A third of the posts share one instant with every other author's third; the rest are spread out. */
const spread = (offset: number) => (i: number) => new Date(i % 3 === 0 ? BASE : BASE - (i * 37 + offset) * 1000);

/**
 * `viewer` follows `followed` new accounts; they and as many accounts nobody follows post `perAuthor`
 * posts each, interleaved and with ties; the viewer posts a few.
 */
async function seedGraph(server: TestServer, viewerId: string, followed: number, perAuthor: number) {
  const followedIds = await seedUsers(server, followed, 'followed');
  const othersIds = await seedUsers(server, Math.min(followed, 20), 'stranger');
  await server.db.post.createMany({
    data: [
      ...followedIds.flatMap((id, k) => posts(id, perAuthor, spread(k))),
      ...othersIds.flatMap((id, k) => posts(id, perAuthor, spread(k + 0.5))),
      ...posts(viewerId, 5, spread(0.25)),
    ],
  });
  await server.db.follow.createMany({ data: followedIds.map((followeeId) => ({ followerId: viewerId, followeeId })) });
  await server.wroteBehindTheApp();
  return followedIds;
}

/** The home feed as a plain Prisma query would have it. */
async function reference(server: TestServer, viewerId: string): Promise<string[]> {
  const rows = await server.db.post.findMany({
    where: { OR: [{ authorId: viewerId }, { author: { followers: { some: { followerId: viewerId } } } }] },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  return rows.map((row) => globalIdOf('Post', row.id));
}

/** Every page of the viewer's home feed, forwards in pages of `first`, and backwards from the end in pages of `last`. */
async function readAll(server: TestServer, token: string, first: number, last: number) {
  const forward: string[] = [];
  let after: string | null = null;
  for (let pages = 0; ; pages += 1) {
    if (pages > 1000) throw new Error('never ended');
    const { edges, pageInfo } = await homePage(server, { first, after }, token);
    forward.push(...edges.map((edge) => edge.node.id));
    if (!pageInfo.hasNextPage) break;
    after = pageInfo.endCursor;
  }
  const backward: string[] = [];
  let before: string | null = null;
  for (let pages = 0; ; pages += 1) {
    if (pages > 1000) throw new Error('never ended');
    const { edges, pageInfo } = await homePage(server, { last, before }, token);
    backward.unshift(...edges.map((edge) => edge.node.id));
    if (!pageInfo.hasPreviousPage) break;
    before = pageInfo.startCursor;
  }
  return { forward, backward };
}

describe('home feed pages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it.each([
    ['merged per-author ranges', HOME_FEED_MERGE_LIMIT, 2, 'UNION ALL'],
    ['the global index walk', HOME_FEED_MERGE_LIMIT + 1, 3, null],
    ['merged per-author ranges, few accounts with many posts', 6, 45, 'UNION ALL'],
  ])(
    '%s (%i followed) give what a plain query gives, through ties, both ways',
    async (_plan, followed, perAuthor, union) => {
      const viewer = await signUp(server);
      await seedGraph(server, viewer.dbId, followed, perAuthor);
      const expected = await reference(server, viewer.dbId);
      expect(expected.length).toBe(followed * perAuthor + 5);
      server.queries.length = 0;
      const { forward, backward } = await readAll(server, viewer.token, 11, 50);
      expect(forward).toEqual(expected);
      expect(backward).toEqual(expected);
      // The plan the test means ran.
      const page = server.queries.find((sql) => sql.includes('"viewerFollowsAuthor"'));
      expect(page?.includes('UNION ALL')).toBe(union !== null);
    },
  );

  it("holds the viewer's own posts and those of the accounts they follow, not others'; feed still holds everyone's", async () => {
    const viewer = await signUp(server);
    const [followed, stranger] = [await signUp(server), await signUp(server)];
    await server.db.post.createMany({
      data: [viewer, followed, stranger].flatMap((user, k) => posts(user.dbId, 2, (i) => new Date(BASE + k * 10 + i))),
    });
    await server.wroteBehindTheApp();
    const home = async () =>
      (await homePage(server, { first: 50 }, viewer.token)).edges.map((edge) => dbIdOf(edge.node.id));
    const by = async (user: TestUser) =>
      (await server.db.post.findMany({ where: { authorId: user.dbId }, orderBy: { createdAt: 'desc' } })).map(
        (post) => post.id,
      );
    expect(await home()).toEqual(await by(viewer));
    await gqlTyped(server, FOLLOW, { userId: followed.id }, viewer.token);
    expect(await home()).toEqual([...(await by(followed)), ...(await by(viewer))]);
    const feed = await gqlTyped(server, FEED_IDS, {}, viewer.token);
    expect(feed.body.data!.feed.edges.map((edge) => dbIdOf(edge.node.id))).toEqual(
      expect.arrayContaining(await by(stranger)),
    );
    await gqlTyped(server, UNFOLLOW, { userId: followed.id }, viewer.token);
    expect(await home()).toEqual(await by(viewer));
  });

  it("uses the feed's cursors: a home feed cursor pages on in the feed, and the other way round", async () => {
    const viewer = await signUp(server);
    // Newer than every other test's posts, so they are the feed's first page.
    const later = (offset: number) => (i: number) => new Date(BASE + 86_400_000 + (i % 2) * 1000 - offset);
    const [followed, stranger] = await seedUsers(server, 2, 'recent');
    await server.db.post.createMany({
      data: [...posts(followed!, 8, later(0)), ...posts(stranger!, 8, later(1)), ...posts(viewer.dbId, 4, later(2))],
    });
    await server.db.follow.create({ data: { followerId: viewer.dbId, followeeId: followed! } });
    await server.wroteBehindTheApp();
    const home = (await homePage(server, { first: 50 }, viewer.token)).edges;
    const everyone = (await gqlTyped(server, FEED_CURSORS, {}, viewer.token)).body.data!.feed.edges;
    const cursorInFeed = new Map(everyone.map((edge) => [edge.node.id, edge.cursor]));
    for (const edge of home) expect(edge.cursor).toBe(cursorInFeed.get(edge.node.id));
    const middle = home[5]!;
    const older = (await gqlTyped(server, FEED_CURSORS, { after: middle.cursor }, viewer.token)).body.data!.feed.edges;
    expect(older[0]!.node.id).toBe(
      everyone[everyone.findIndex((edge) => edge.node.id === middle.node.id) + 1]!.node.id,
    );
    const homeAfter = await gqlTyped(server, HOME_PAGE, { first: 50, after: middle.cursor }, viewer.token);
    expect(homeAfter.body.data!.homeFeed.edges.map((edge) => edge.node.id)).toEqual(
      home.slice(6).map((edge) => edge.node.id),
    );
  });

  it('answers an empty feed with null cursors, a malformed cursor with BAD_USER_INPUT, no viewer with UNAUTHENTICATED', async () => {
    const loner = await signUp(server);
    const empty = await gqlTyped(server, HOME_PAGE, { first: 5 }, loner.token);
    expect(empty.body.data!.homeFeed).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    expect(errorCode(await gqlTyped(server, HOME_PAGE, { first: 5, after: 'not-a-cursor' }, loner.token))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await gqlTyped(server, HOME_PAGE, { first: 5 }))).toBe('UNAUTHENTICATED');
  });
});

describe.each([
  ['SQLite', async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'home.db')}` })],
  ['PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() })],
])('feed and home feed plans on %s', (provider, envOf) => {
  let server: TestServer;
  let few: { viewerId: string; authors: string[] };
  let many: { viewerId: string };

  /** The plan of a query: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN with sequential scans off. */
  async function planOf(query: Prisma.Sql): Promise<string> {
    if (provider === 'SQLite') {
      const rows = await server.db.$queryRaw<{ detail: string }[]>`EXPLAIN QUERY PLAN ${query}`;
      return rows.map((row) => row.detail).join('\n');
    }
    // Small tables are cheaper to scan whole; without sequential scans the plan says whether an index
    // serves each condition as a range (an Index Cond) or only filters what it walks.
    return server.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${query}`;
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  /** The window after the home feed's 300th post: a deep page. */
  async function deepWindow(viewerId: string): Promise<KeysetWindow> {
    const ids = await reference(server, viewerId);
    const row = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(ids[300]!) } });
    return { order: 'newest-first', after: row, before: null, read: 'forward', take: 21 };
  }

  beforeAll(async () => {
    server = await startTestServer(await envOf(), { dir: await newTempDir() });
    const [fewViewer, manyViewer] = await seedUsers(server, 2, 'viewer');
    few = { viewerId: fewViewer!, authors: await seedGraph(server, fewViewer!, 5, 120) };
    await seedGraph(server, manyViewer!, HOME_FEED_MERGE_LIMIT + 20, 12);
    many = { viewerId: manyViewer! };
    // Posts nobody in these feeds wrote, so each author's range is a small part of the table.
    const crowd = await seedUsers(server, 10, 'crowd');
    await server.db.post.createMany({ data: crowd.flatMap((id, k) => posts(id, 300, spread(k + 0.75))) });
    await server.db.$executeRawUnsafe(provider === 'SQLite' ? 'ANALYZE' : 'ANALYZE');
  });
  afterAll(() => server?.close());

  it('merged: each followed account is a range of the (authorId, createdAt, id, hidden) index, read alone', async () => {
    const window = await deepWindow(few.viewerId);
    // As a viewer's page is read: hidden posts kept out, which the index answers without the table.
    const plan = await planOf(
      homeFeedPageSql(few.viewerId, [few.viewerId, ...few.authors], window, nothingHiddenFor(few.viewerId)),
    );
    if (provider === 'SQLite') {
      const ranges = plan.match(
        /SEARCH p USING COVERING INDEX Post_authorId_createdAt_id_hidden_idx \(authorId=\? AND \(createdAt,id\)<\(\?,\?\)\)/g,
      );
      expect(ranges).toHaveLength(few.authors.length + 1);
      expect(plan).not.toMatch(/SCAN (p|u|l|f)\b/);
      expect(plan).toMatch(/SEARCH l USING (COVERING )?INDEX Like_postId_userId_key \(postId=\? AND userId=\?\)/);
      expect(plan).toMatch(
        /SEARCH f USING (COVERING )?INDEX Follow_followerId_followeeId_key \(followerId=\? AND followeeId=\?\)/,
      );
    } else {
      const ranges = plan.match(/Index Cond: \(\("authorId" = .*\) AND \(ROW\("createdAt", id\) < ROW\(/g);
      expect(ranges).toHaveLength(few.authors.length + 1);
      expect(plan).not.toMatch(/Seq Scan/);
    }
  });

  it('the global walk: a range of the (createdAt, id) index, each post checked in the Follow index', async () => {
    const window = await deepWindow(many.viewerId);
    const plan = await planOf(homeFeedPageSql(many.viewerId, null, window, nothingHiddenFor(many.viewerId)));
    if (provider === 'SQLite') {
      expect(plan).toMatch(
        /SEARCH p USING (COVERING )?INDEX Post_createdAt_id_authorId_hidden_idx \(\(createdAt,id\)<\(\?,\?\)\)/,
      );
      expect(plan).toMatch(
        /SEARCH f USING (COVERING )?INDEX Follow_followerId_followeeId_key \(followerId=\? AND followeeId=\?\)/,
      );
      // Walked in index order: no sort of everything older than the cursor.
      expect(plan).not.toMatch(/SCAN (p|u|l|f)\b|TEMP B-TREE FOR ORDER BY/);
    } else {
      expect(plan).toMatch(/Index (Only )?Scan (Backward )?using "Post_createdAt_id_authorId_hidden_idx"/);
      expect(plan).toMatch(/Index Cond: \(ROW\("createdAt", id\) < ROW\(/);
      expect(plan).not.toMatch(/Seq Scan/);
    }
  });
  it("feed: a page at any depth with its authors is a range of the (createdAt, id) index, whatever SQLite's statistics", async () => {
    const total = await server.db.post.count();
    for (const depth of [10, 500, 1000, 2000, total - 50]) {
      const [row] = await server.db.post.findMany({
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        skip: depth,
        take: 1,
      });
      const plan = await planOf(
        feedPageSql({ order: 'newest-first', after: row!, before: null, read: 'forward', take: 21 }),
      );
      if (provider === 'SQLite') {
        expect(plan).toMatch(
          /^SEARCH p USING (COVERING )?INDEX Post_createdAt_id_authorId_hidden_idx \(\(createdAt,id\)<\(\?,\?\)\)/,
        );
        expect(plan).not.toMatch(/SCAN (p|u)\b|TEMP B-TREE/);
      } else {
        expect(plan).toMatch(/Index (Only )?Scan using "Post_createdAt_id_authorId_hidden_idx"/);
        expect(plan).toMatch(/Index Cond: \(ROW\("createdAt", id\) < ROW\(/);
        expect(plan).not.toMatch(/Seq Scan/);
      }
    }
  });
});
