// Keyset pages cost the same however deep they are: the database reads each page as a range of its
// (createdAt, id) index, on SQLite and on PostgreSQL alike (both pinned, in every pass). And a connection
// nested under a list (feed → author → posts) costs one statement for the whole list.
import path from 'node:path';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  columnsOf,
  type KeysetWindow,
  keysetCondition,
  keysetOrder,
  type Position,
  Prisma,
  planPage,
} from '../src/db/index.ts';
import { AUTHOR_POSTS_PAGE, NESTED_POSTS, NESTED_POSTS_WITH_AUTHORS } from './operations/posts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { newPostgresTestUrl } from './support/database.ts';
import { seedPosts } from './support/seed.ts';
import { newTempDir, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped, onType } from './support/typed.ts';

const deep = async (server: TestServer, authorId?: string): Promise<Position> => {
  const rows = await server.db.post.findMany({
    where: authorId ? { authorId } : {},
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    skip: 500,
    take: 1,
  });
  return rows[0]!;
};

const windowAfter = (after: Position): KeysetWindow => ({
  order: 'newest-first',
  after,
  before: null,
  read: 'forward',
  take: 21,
});

describe.each([
  ['SQLite', async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'keyset.db')}` })],
  ['PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() })],
])('keyset pages on %s', (provider, envOf) => {
  let server: TestServer;
  let author: TestUser;

  /** The plan of a query, as one string: SQLite's EXPLAIN QUERY PLAN details, or PostgreSQL's EXPLAIN lines. */
  async function planOf(query: Prisma.Sql): Promise<string> {
    if (provider === 'SQLite') {
      const rows = await server.db.$queryRaw<{ detail: string }[]>`EXPLAIN QUERY PLAN ${query}`;
      return rows.map((row) => row.detail).join('\n');
    }
    // A small table is cheaper to scan whole; without sequential scans the plan says whether the index
    // can serve the condition as a range (an Index Cond) or only filter every row it walks.
    return server.db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL enable_seqscan = off');
      const rows = await tx.$queryRaw<{ 'QUERY PLAN': string }[]>`EXPLAIN ${query}`;
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  }

  beforeAll(async () => {
    const dir = await newTempDir();
    server = await startTestServer(await envOf(), { dir });
    author = await signUp(server);
    await seedPosts(server, author, 600);
    // Others' posts too, so one author's page is a small part of the table, as in real data.
    for (let i = 0; i < 4; i += 1) await seedPosts(server, await signUp(server), 1500);
    await server.db.$executeRawUnsafe(provider === 'SQLite' ? 'ANALYZE' : 'ANALYZE "Post"');
  });
  afterAll(() => server?.close());

  it('reads a deep page of the feed as a range of the (createdAt, id) index', async () => {
    const p = columnsOf('p');
    const window = windowAfter(await deep(server));
    const plan = await planOf(
      Prisma.sql`SELECT p."id" FROM "Post" p WHERE ${keysetCondition(window, p)} ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}`,
    );
    if (provider === 'SQLite') {
      expect(plan).toMatch(
        /SEARCH p USING (COVERING )?INDEX Post_createdAt_id_authorId_hidden_idx \(\(createdAt,id\)<\(\?,\?\)\)/,
      );
    } else {
      expect(plan).toMatch(/Index (Only )?Scan using "Post_createdAt_id_authorId_hidden_idx"/);
      expect(plan).toMatch(/Index Cond: \(ROW\("createdAt", id\) < ROW\(/);
    }
  });

  it("reads a deep page of one author's posts as a range of the (authorId, createdAt, id) index", async () => {
    const p = columnsOf('p');
    const window = windowAfter(await deep(server, author.dbId));
    const plan = await planOf(
      Prisma.sql`SELECT p."id" FROM "Post" p WHERE p."authorId" = ${author.dbId} AND ${keysetCondition(window, p)} ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}`,
    );
    if (provider === 'SQLite') {
      expect(plan).toMatch(
        /SEARCH p USING (COVERING )?INDEX Post_authorId_createdAt_id_hidden_idx \(authorId=\? AND \(createdAt,id\)<\(\?,\?\)\)/,
      );
    } else {
      expect(plan).toMatch(/Index (Only )?Scan using "Post_authorId_createdAt_id_hidden_idx"/);
      expect(plan).toMatch(/Index Cond: \(\("authorId" = .*\) AND \(ROW\("createdAt", id\) < ROW\(/);
    }
  });

  it('reads the bounded form Prisma is given (createdAt <= X AND (createdAt < X OR id < Y)) as a range too', async () => {
    const { createdAt, id } = await deep(server);
    const plan = await planOf(
      Prisma.sql`SELECT p."id" FROM "Post" p WHERE p."createdAt" <= ${createdAt} AND (p."createdAt" < ${createdAt} OR p."id" < ${id}) ORDER BY p."createdAt" DESC, p."id" DESC LIMIT 21`,
    );
    if (provider === 'SQLite')
      expect(plan).toMatch(/SEARCH p USING (COVERING )?INDEX Post_createdAt_id_authorId_hidden_idx \(createdAt<\?\)/);
    else expect(plan).toMatch(/Index Cond: \("createdAt" <= /);
  });

  it("pages through one author's posts from its end to its start and back, with no duplicates or gaps", async () => {
    const expected = (
      await server.db.post.findMany({
        where: { authorId: author.dbId },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        select: { id: true },
      })
    ).map((row) => row.id);
    const page = async (variables: VariablesOf<typeof AUTHOR_POSTS_PAGE>) =>
      onType((await gqlTyped(server, AUTHOR_POSTS_PAGE, variables, author.token)).body.data!.node).posts!;
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { edges, pageInfo } = await page({ id: author.id, first: 50, after });
      forward.push(...edges.map((edge) => Buffer.from(edge.node.id, 'base64').toString().split(':')[1]!));
      if (!pageInfo.hasNextPage) break;
      after = pageInfo.endCursor;
    }
    expect(forward).toEqual(expected);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const { edges, pageInfo } = await page({ id: author.id, last: 50, before });
      backward.unshift(...edges.map((edge) => Buffer.from(edge.node.id, 'base64').toString().split(':')[1]!));
      if (!pageInfo.hasPreviousPage) break;
      before = pageInfo.startCursor;
    }
    expect(backward).toEqual(expected);
  });
});

describe('a connection nested under a list', () => {
  let server: TestServer;
  let viewer: TestUser;
  const authors: TestUser[] = [];

  beforeAll(async () => {
    server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
    viewer = await signUp(server);
    for (let i = 0; i < 30; i += 1) {
      const author = await signUp(server);
      authors.push(author);
      // Each author's newest post is among the 30 newest, so a feed page of n posts has n authors.
      await seedPosts(server, author, 1, new Date(Date.UTC(2026, 1, 1, 0, 0, i)));
      await seedPosts(server, author, i % 7, new Date(Date.UTC(2026, 0, 1, 0, 0, i)));
    }
  });
  afterAll(() => server?.close());

  /** Statements a cold request sends (every cache dropped first), and its answer. */
  async function cold<
    D extends typeof NESTED_POSTS | typeof NESTED_POSTS_WITH_AUTHORS = typeof NESTED_POSTS_WITH_AUTHORS,
  >(first: number, document: D = NESTED_POSTS_WITH_AUTHORS as D) {
    await server.wroteBehindTheApp();
    server.queries.length = 0;
    const res = await gqlTyped(server, document, { first } as VariablesOf<D>, viewer.token);
    expect(res.body.errors).toBeUndefined();
    return { data: res.body.data!, statements: server.queries.length };
  }

  it("costs 3 statements for 3 authors as for 30: the session, the page, and every author's posts in one", async () => {
    const small = await cold(3, NESTED_POSTS);
    const large = await cold(30, NESTED_POSTS);
    expect(new Set(large.data.feed.edges.map((edge) => edge.node.author.id)).size).toBe(30);
    expect(small.statements).toBe(3);
    expect(large.statements).toBe(3);
  });

  it('costs the same statements for 3 authors as for 30 with relations under the nested posts', async () => {
    const small = await cold(3);
    const large = await cold(30);
    expect(large.statements).toBe(small.statements);
    // The posts' own relations are loaded for all of them at once (plugin-prisma's batched fallback).
    expect(large.statements).toBeLessThanOrEqual(5);
  });

  it('gives each author their own newest posts, in order', async () => {
    const { data } = await cold(30);
    for (const edge of data.feed.edges) {
      const { author } = edge.node;
      const expected = await server.db.post.findMany({
        where: { authorId: Buffer.from(author.id, 'base64').toString().split(':')[1] },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      });
      expect(author.posts.edges.map((e) => e.node.caption)).toEqual(expected.slice(0, 5).map((post) => post.caption));
      expect(author.posts.pageInfo.hasNextPage).toBe(expected.length > 5);
      expect(new Set(author.posts.edges.map((e) => e.node.author.username))).toEqual(
        new Set(expected.length > 0 ? [authors.find((a) => a.id === author.id)!.username] : []),
      );
    }
  });
});

describe('page plans', () => {
  const at = (second: number, id: string): Position => ({
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)),
    id: `00000000-0000-0000-0000-${id.padStart(12, '0')}`,
  });

  it('reads an oldest-first page forward and a last page backward, and slices them in the connection order', () => {
    const first = planPage({ first: 2 }, { defaultSize: 20, maxSize: 50 }, 'oldest-first');
    expect(first.window).toMatchObject({ order: 'oldest-first', read: 'forward', take: 3 });
    const page = first.slice([at(1, '1'), at(2, '2'), at(3, '3')]);
    expect(page.rows).toEqual([at(1, '1'), at(2, '2')]);
    expect(page.hasNextPage).toBe(true);

    const last = planPage({ last: 2 }, { defaultSize: 20, maxSize: 50 }, 'oldest-first');
    expect(last.window).toMatchObject({ read: 'backward', take: 3 });
    const end = last.slice([at(9, '9'), at(8, '8'), at(7, '7')]);
    expect(end.rows).toEqual([at(8, '8'), at(9, '9')]);
    expect(end.hasPreviousPage).toBe(true);
  });
});
