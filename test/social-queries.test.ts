// What the social fields cost: a page of posts with their counts, the viewer's likes and follows and
// their authors' counts is a fixed number of SQL statements whatever the page size (no N+1), cold
// (every cache dropped); nested comments, likers, followers and following are batched for the whole
// page; and the cost limit refuses pages of them nested too deep before any SQL runs.
import { randomUUID } from 'node:crypto';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/db/index.ts';
import {
  COMMENTS_WITH_AUTHORS,
  SOCIAL_FEED_PAGE,
  SOCIAL_HOME_PAGE,
  type SOCIAL_POST_FIELDS,
} from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { LIKE, seedUsers } from './support/social.ts';
import { type AnyDocument, gqlTyped, onType, textOf } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

const POST_FIELDS = 'id likeCount commentCount viewerHasLiked author { id username followerCount viewerFollows }';
type PostNode = ResultOf<typeof SOCIAL_POST_FIELDS>;
type Page<Node> = { edges: { node: Node }[] };

let server: TestServer;
let viewer: TestUser;
/** One post each, the newest first; each author followed by the viewer and by `i % 3` others. */
let authors: string[];
let posts: string[];

beforeAll(async () => {
  server = await startTestServer();
  viewer = await signUp(server);
  authors = await seedUsers(server, 25, 'author');
  const fans = await seedUsers(server, 3, 'fan');
  posts = authors.map(() => randomUUID());
  await server.db.post.createMany({
    data: authors.map((authorId, i) => ({
      id: posts[i]!,
      authorId,
      caption: `post ${i}`,
      fileType: 'IMAGE' as const,
      fileName: 'p.jpg',
      mimeType: 'image/jpeg',
      size: 1,
      storage: 'local' as const,
      storageKey: `${authorId}/p.jpg`,
      createdAt: new Date(Date.UTC(2026, 1, 1, 0, 0, 60 - i)),
    })),
  });
  await server.db.follow.createMany({
    data: authors.flatMap((followeeId, i) => [
      ...(i % 2 === 0 ? [{ followerId: viewer.dbId, followeeId }] : []),
      ...fans.slice(0, i % 3).map((followerId) => ({ followerId, followeeId })),
    ]),
  });
  await server.db.like.createMany({
    data: posts.flatMap((postId, i) => [
      ...(i % 4 === 0 ? [{ postId, userId: viewer.dbId }] : []),
      ...fans.slice(0, i % 3).map((userId) => ({ postId, userId })),
    ]),
  });
  // Each post's comments by authors of their own, so a page of comments has as many authors as comments.
  await server.db.comment.createMany({
    data: posts.flatMap((postId, i) =>
      authors.slice(0, i % 5 === 0 ? 20 : 2).map((authorId, j) => ({
        postId,
        authorId,
        body: `comment ${j}`,
        createdAt: new Date(Date.UTC(2026, 1, 2, 0, 0, j)),
      })),
    ),
  });
  await server.wroteBehindTheApp();
});
afterAll(() => server?.close());

/** Statements a request sends with every cache dropped first, and its answer. */
async function cold<D extends AnyDocument>(
  query: D | string,
  variables: VariablesOf<D> | Record<string, unknown> = {},
) {
  await server.wroteBehindTheApp();
  server.queries.length = 0;
  const res = await server.gql<ResultOf<D>>(typeof query === 'string' ? query : textOf(query), variables, viewer.token);
  expect(res.body.errors).toBeUndefined();
  return { data: res.body.data!, statements: server.queries.length };
}

/** What the database says each post node should answer. */
async function expectedNode(postId: string, who: TestUser = viewer): Promise<PostNode> {
  const post = await server.db.post.findUniqueOrThrow({ where: { id: postId }, include: { author: true } });
  const liked = await server.db.like.count({ where: { postId, userId: who.dbId } });
  const follows = await server.db.follow.count({ where: { followerId: who.dbId, followeeId: post.authorId } });
  return {
    id: Buffer.from(`Post:${postId}`).toString('base64'),
    likeCount: await server.db.like.count({ where: { postId } }),
    commentCount: await server.db.comment.count({ where: { postId } }),
    viewerHasLiked: liked === 1,
    author: {
      id: Buffer.from(`User:${post.authorId}`).toString('base64'),
      username: post.author.username,
      followerCount: await server.db.follow.count({ where: { followeeId: post.authorId } }),
      viewerFollows: follows === 1,
    },
  };
}

describe('statements per page, cold', () => {
  it.each(['feed', 'homeFeed'] as const)(
    '%s: the same for 3 posts as for 20 of distinct authors, at most 3, and right',
    async (field) => {
      const page = async (first: number) =>
        field === 'feed'
          ? cold(SOCIAL_FEED_PAGE, { first }).then(({ data, statements }) => ({ page: data.feed, statements }))
          : cold(SOCIAL_HOME_PAGE, { first }).then(({ data, statements }) => ({ page: data.homeFeed, statements }));
      const small = await page(3);
      const large = await page(20);
      const nodes = large.page.edges.map((edge) => edge.node);
      expect(nodes).toHaveLength(field === 'feed' ? 20 : 13);
      expect(new Set(nodes.map((node) => node.author.id)).size).toBe(nodes.length);
      for (const node of nodes) expect(node).toEqual(await expectedNode(dbIdOf(node.id)));
      expect(nodes.some((node) => node.viewerHasLiked) && nodes.some((node) => !node.viewerHasLiked)).toBe(true);
      expect(large.statements).toBe(small.statements);
      // The issue allows 4. feed: the session, the page, and the posts' facts with their authors';
      // homeFeed: the session, whom the viewer follows, and the page with its facts.
      expect(large.statements).toBeLessThanOrEqual(3);
    },
  );

  it('feed read again: no statement at all, counts and the viewer’s likes and follows cached, and still right', async () => {
    const first = await cold(SOCIAL_FEED_PAGE, { first: 20 });
    expect(first.statements).toBeGreaterThan(0);
    server.queries.length = 0;
    const again = await server.gql<ResultOf<typeof SOCIAL_FEED_PAGE>>(
      textOf(SOCIAL_FEED_PAGE),
      { first: 20 },
      viewer.token,
    );
    expect(server.queries).toEqual([]);
    const nodes = again.body.data!.feed.edges.map((edge) => edge.node);
    expect(nodes).toEqual(first.data.feed.edges.map((edge) => edge.node));
    for (const node of nodes) expect(node).toEqual(await expectedNode(dbIdOf(node.id)));
  });

  it("a post's comments with their authors: the same for 3 as for 20 comments by distinct authors, at most 4", async () => {
    const post = Buffer.from(`Post:${posts[0]}`).toString('base64');
    const small = await cold(COMMENTS_WITH_AUTHORS, { id: post, first: 3 });
    const large = await cold(COMMENTS_WITH_AUTHORS, { id: post, first: 20 });
    const comments = onType(large.data.node).comments!.edges.map((edge) => edge.node);
    expect(comments).toHaveLength(20);
    expect(new Set(comments.map((comment) => comment.author.id)).size).toBe(20);
    for (const comment of comments) {
      const authorId = dbIdOf(comment.author.id);
      expect(comment.author.followerCount).toBe(await server.db.follow.count({ where: { followeeId: authorId } }));
      expect(comment.author.viewerFollows).toBe(authors.indexOf(authorId) % 2 === 0);
    }
    expect(large.statements).toBe(small.statements);
    expect(large.statements).toBeLessThanOrEqual(4);
  });

  it.each([
    ['comments', 'comments(first: 2) { edges { node { body author { username followerCount viewerFollows } } } }'],
    ['likers', 'likers(first: 2) { edges { node { username followerCount viewerFollows } } }'],
    ['followers', 'author { followers(first: 2) { edges { node { username followingCount } } } }'],
    ['following', 'author { following(first: 2) { edges { node { username followerCount } } } }'],
  ])('%s nested in a feed page: at most 8 statements for 3 posts and for 20', async (_name, nested) => {
    for (const field of ['feed', 'homeFeed']) {
      const query = `query($first: Int) { ${field}(first: $first) { edges { node { ${POST_FIELDS} ${nested} } } } }`;
      const small = await cold(query, { first: 3 });
      const large = await cold(query, { first: 20 });
      // Bounded whatever the page's size: an N+1 would cost 20 more for the page of 20. Not always
      // equal: how the nested pages' users fall into facts batches depends on when each page's rows
      // arrive, which on a busy machine varies by a statement or two.
      expect(small.statements).toBeLessThanOrEqual(8);
      expect(large.statements).toBeLessThanOrEqual(8);
    }
  });
});

describe('the cost limit on the social connections', () => {
  /** Sends the query and reports the answer with the SQL statements it cost. */
  async function measured(query: string, variables: Record<string, unknown> = {}) {
    const before = server.queries.length;
    const res = await server.gql(query, variables, viewer.token);
    return { res, statements: server.queries.length - before };
  }

  it.each([
    ['comments', 'comments(first: $n) { edges { node { id body author { username } } } }'],
    ['likers', 'likers(first: $n) { edges { node { id username } } }'],
    ['followers', 'author { followers(first: $n) { edges { node { id username } } } }'],
    ['following', 'author { following(first: $n) { edges { node { id username } } } }'],
  ])('refuses pages of %s nested in a feed page with BAD_USER_INPUT before any SQL', async (_name, nested) => {
    for (const field of ['feed', 'homeFeed']) {
      // Asking for 500 counts as the 50 a page holds at most: still too much under 100 posts.
      for (const n of [50, 500]) {
        const { res, statements } = await measured(
          `query($n: Int) { ${field}(first: 100) { edges { node { id ${nested} } } } }`,
          { n },
        );
        expect(errorCode(res)).toBe('BAD_USER_INPUT');
        expect(res.body.errors![0]!.message).toMatch(/cost limit of 5000 exceeded/);
        expect(statements).toBe(0);
      }
      // A reasonable page of them is served.
      const fine = await measured(`query($n: Int) { ${field}(first: 20) { edges { node { id ${nested} } } } }`, {
        n: 5,
      });
      expect(fine.res.body.errors).toBeUndefined();
    }
  });

  it('refuses social pages nested in each other outside a feed too', async () => {
    const query = /* GraphQL */ `query($id: ID!, $n: Int) { node(id: $id) { ... on Post { likers(first: $n) { edges { node {
      followers(first: $n) { edges { node { following(first: $n) { edges { node { id } } } } } } } } } } } }`;
    const { res, statements } = await measured(query, {
      id: Buffer.from(`Post:${posts[0]}`).toString('base64'),
      n: 50,
    });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(statements).toBe(0);
  });
});

describe('pages nested under many parents at once', () => {
  let crowded: TestServer;
  let reader: TestUser;

  beforeAll(async () => {
    crowded = await startTestServer();
    reader = await signUp(crowded);
    const people = await seedUsers(crowded, 700, 'poster');
    await crowded.db.post.createMany({
      data: people.map((authorId, i) => ({
        authorId,
        caption: `post ${i}`,
        fileType: 'IMAGE' as const,
        fileName: 'p.jpg',
        mimeType: 'image/jpeg',
        size: 1,
        storage: 'local' as const,
        storageKey: `${authorId}/p.jpg`,
        createdAt: new Date(Date.UTC(2026, 1, 1) - i * 1000),
      })),
    });
    await crowded.wroteBehindTheApp();
  });
  afterAll(() => crowded?.close());

  it('answers pages nested under 700 posts and 700 authors in one request (aliased feed pages)', async () => {
    const all = await crowded.db.post.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const pages = Array.from({ length: 7 }, (_, i) => ({
      alias: `p${i}`,
      after: i === 0 ? null : encodeCursor(all[i * 100 - 1]!),
    }));
    for (const nested of [
      // One per kind of parent: posts, then their authors.
      'likers(first: 1) { edges { cursor } }',
      'author { posts(first: 1) { edges { cursor } } }',
    ]) {
      const query = `query(${pages.map((page) => `$${page.alias}: String`).join(', ')}) { ${pages
        .map((page) => `${page.alias}: feed(first: 100, after: $${page.alias}) { edges { node { id ${nested} } } }`)
        .join(' ')} }`;
      const res = await crowded.gql<Record<string, Page<{ id: string }>>>(
        query,
        Object.fromEntries(pages.map((page) => [page.alias, page.after])),
        reader.token,
      );
      expect(res.body.errors).toBeUndefined();
      const ids = pages.flatMap((page) => res.body.data![page.alias]!.edges.map((edge) => dbIdOf(edge.node.id)));
      expect(ids).toEqual(all.map((post) => post.id));
    }
  });
});

describe('statements per page, warm', () => {
  it('homeFeed read again: one statement, the page with its facts (whom the viewer follows is cached)', async () => {
    const home = () =>
      server.gql<ResultOf<typeof SOCIAL_HOME_PAGE>>(textOf(SOCIAL_HOME_PAGE), { first: 20 }, viewer.token);
    const first = await home();
    server.queries.length = 0;
    const again = await home();
    expect(server.queries).toHaveLength(1);
    expect(again.body.data).toEqual(first.body.data);
  });

  it('a new post costs one read of its counts, not one per viewer: a post nobody likes is liked by no viewer', async () => {
    const other = await signUp(server);
    const page = (user: TestUser) =>
      server.gql<ResultOf<typeof SOCIAL_FEED_PAGE>>(textOf(SOCIAL_FEED_PAGE), { first: 20 }, user.token);
    for (const user of [viewer, other]) await page(user);
    const posted = await uploadPost(server.url, { token: viewer.token, caption: 'fresh' });
    expect(posted.body.errors).toBeUndefined();
    // The first reader reads the page and the new post's counts.
    expect((await page(viewer)).body.data!.feed.edges[0]!.node.viewerHasLiked).toBe(false);
    server.queries.length = 0;
    const seen = await page(other);
    expect(server.queries).toEqual([]);
    const node = seen.body.data!.feed.edges[0]!.node;
    expect(node).toEqual(await expectedNode(dbIdOf(node.id), other));
    expect(node).toMatchObject({
      likeCount: 0,
      viewerHasLiked: false,
      author: { id: viewer.id, viewerFollows: false },
    });
  });

  it('the first like of a post costs one read of its counts, not one per viewer: the others still like it not', async () => {
    const [liker, second] = [await signUp(server), await signUp(server)];
    const page = (user: TestUser) =>
      server.gql<ResultOf<typeof SOCIAL_FEED_PAGE>>(textOf(SOCIAL_FEED_PAGE), { first: 20 }, user.token);
    const posted = await uploadPost(server.url, { token: liker.token, caption: 'to be liked' });
    expect(posted.body.errors).toBeUndefined();
    for (const user of [viewer, second]) expect((await page(user)).body.data!.feed.edges[0]!.node.likeCount).toBe(0);
    const liked = await gqlTyped(server, LIKE, { postId: posted.body.data!.uploadPost.id }, viewer.token);
    expect(liked.body.errors).toBeUndefined();
    await page(viewer);
    server.queries.length = 0;
    const seen = (await page(second)).body.data!.feed.edges[0]!.node;
    expect(server.queries).toEqual([]);
    expect(seen).toMatchObject({ likeCount: 1, viewerHasLiked: false });
    expect((await page(viewer)).body.data!.feed.edges[0]!.node).toMatchObject({ likeCount: 1, viewerHasLiked: true });
  });
});
