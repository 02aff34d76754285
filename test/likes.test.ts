// Likes (src/services/social/likes.ts, src/schema/social.ts): idempotent both ways, counts kept exact by
// the database under any concurrency, likers newest like first, and SOCIAL_ACTIONS_MAX_PER_HOUR counted
// atomically. Races go out on connections of their own (test/support/http.ts), so they really race.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELETE_POST } from './operations/posts.ts';
import { LIKE_UNLIKE_LIKE, LIKERS, POST_LIKES } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import {
  allAtOnce,
  codeIn,
  LIKE,
  likeRows,
  newPost,
  parallelGql,
  seedUsers,
  signUpMany,
  UNLIKE,
} from './support/social.ts';
import { describeSocialActionLimit } from './support/social-limit-cases.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  alice = await signUp(server);
  bob = await signUp(server);
});
afterAll(() => server?.close());

const view = async (postId: string, user: TestUser) =>
  (await gqlTyped(server, POST_LIKES, { id: postId }, user.token)).body.data!.node!;

/** One page of a post's likers, as `viewer` sees it. */
const likers = async (variables: { id: string; first?: number; after?: string | null }, viewer: TestUser) =>
  (await gqlTyped(server, LIKERS, variables, viewer.token)).body.data!.node!.likers!;

describe('likePost and unlikePost', () => {
  it('like, like again, unlike, unlike again: each answers the post with its fresh count', async () => {
    const post = await newPost(server, bob);
    const liked = await gqlTyped(server, LIKE, { postId: post }, alice.token);
    expect(liked.body).toEqual({
      data: { likePost: { id: post, likeCount: 1, commentCount: 0, viewerHasLiked: true } },
    });
    const again = await gqlTyped(server, LIKE, { postId: post }, alice.token);
    expect(again.body.data!.likePost).toMatchObject({ likeCount: 1, viewerHasLiked: true });
    expect(await view(post, bob)).toEqual({ likeCount: 1, viewerHasLiked: false });
    expect(await likeRows(server, post)).toEqual({ rows: 1, stored: 1 });

    const unliked = await gqlTyped(server, UNLIKE, { postId: post }, alice.token);
    expect(unliked.body.data!.unlikePost).toMatchObject({ id: post, likeCount: 0, viewerHasLiked: false });
    const unlikedAgain = await gqlTyped(server, UNLIKE, { postId: post }, alice.token);
    expect(unlikedAgain.body.data!.unlikePost).toMatchObject({ likeCount: 0, viewerHasLiked: false });
    expect(await likeRows(server, post)).toEqual({ rows: 0, stored: 0 });
  });

  it('answers every field of one request afresh after each write in it', async () => {
    const post = await newPost(server, bob);
    const res = await gqlTyped(server, LIKE_UNLIKE_LIKE, { p: post }, alice.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      a: { likeCount: 1, viewerHasLiked: true, likers: { edges: [expect.anything()] } },
      b: { likeCount: 0, viewerHasLiked: false, likers: { edges: [] } },
      c: { likeCount: 1, viewerHasLiked: true, likers: { edges: [expect.anything()] } },
    });
  });

  it('answers NOT_FOUND for a post that never was or is gone, BAD_USER_INPUT for an id of another type', async () => {
    for (const mutation of [LIKE, UNLIKE]) {
      const unknown = await gqlTyped(server, mutation, { postId: globalIdOf('Post', randomUUID()) }, alice.token);
      expect(errorCode(unknown)).toBe('NOT_FOUND');
      expect(errorCode(await gqlTyped(server, mutation, { postId: 'not an id' }, alice.token))).toBe('NOT_FOUND');
      // PostgreSQL refuses a NUL in any text it compares: such an id names nothing.
      const nul = globalIdOf('Post', 'a\u0000b');
      expect(errorCode(await gqlTyped(server, mutation, { postId: nul }, alice.token))).toBe('NOT_FOUND');
      const gone = await newPost(server, bob);
      await gqlTyped(server, DELETE_POST, { id: gone }, bob.token);
      expect(errorCode(await gqlTyped(server, mutation, { postId: gone }, alice.token))).toBe('NOT_FOUND');
      const user = await gqlTyped(server, mutation, { postId: bob.id }, alice.token);
      expect(errorCode(user)).toBe('BAD_USER_INPUT');
      expect(user.body.errors![0]!.extensions).toMatchObject({ field: 'postId' });
      expect(errorCode(await gqlTyped(server, mutation, { postId: await newPost(server, bob) }))).toBe(
        'UNAUTHENTICATED',
      );
    }
  });
});

describe('likers', () => {
  it('pages newest like first, with no duplicates or gaps among likes sharing a timestamp', async () => {
    const post = await newPost(server, alice);
    const postId = dbIdOf(post);
    const userIds = await seedUsers(server, 23, 'liker');
    const tie = new Date('2026-03-01T00:00:00.000Z');
    await server.db.like.createMany({
      data: userIds.map((userId, i) => ({ postId, userId, createdAt: i < 15 ? tie : new Date(tie.getTime() + i) })),
    });
    const expected = await server.db.like.findMany({
      where: { postId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { userId: true },
    });
    for (const first of [1, 4, 10]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { edges, pageInfo } = await likers({ id: post, first, after }, bob);
        seen.push(...edges.map((edge) => dbIdOf(edge.node.id)));
        if (!pageInfo.hasNextPage) break;
        after = pageInfo.endCursor;
      }
      expect(seen).toEqual(expected.map((like) => like.userId));
    }
  });

  it('caps a page at 50', async () => {
    const post = await newPost(server, alice);
    const userIds = await seedUsers(server, 60, 'fan');
    await server.db.like.createMany({ data: userIds.map((userId) => ({ postId: dbIdOf(post), userId })) });
    const page = await likers({ id: post, first: 80 }, bob);
    expect(page.edges).toHaveLength(50);
    expect(page.pageInfo.hasNextPage).toBe(true);
    expect(await view(post, bob)).toEqual({ likeCount: 60, viewerHasLiked: false });
  });
});

describe('likes sent at once', () => {
  let crowd: TestUser[];
  beforeAll(async () => {
    crowd = await signUpMany(server, 50, signUp);
  });

  it('counts 50 users liking one post at once as 50', async () => {
    const post = await newPost(server, alice);
    const answers = await allAtOnce(crowd, (user) => parallelGql(server, LIKE, { postId: post }, user.token));
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    for (const answer of answers) expect(answer.data!.likePost.viewerHasLiked).toBe(true);
    expect(await likeRows(server, post)).toEqual({ rows: 50, stored: 50 });
    expect(await view(post, bob)).toEqual({ likeCount: 50, viewerHasLiked: false });
  });

  it('counts one user sending likePost 20 times at once as 1', async () => {
    const post = await newPost(server, bob);
    const answers = await allAtOnce(Array.from({ length: 20 }), () =>
      parallelGql(server, LIKE, { postId: post }, alice.token),
    );
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    for (const answer of answers) expect(answer.data!.likePost).toMatchObject({ likeCount: 1, viewerHasLiked: true });
    expect(await likeRows(server, post)).toEqual({ rows: 1, stored: 1 });
  });

  it('ends with the count equal to the rows when likes and unlikes race', async () => {
    const post = await newPost(server, bob);
    const racers = crowd.slice(0, 12);
    // Every racer sends likes and unlikes interleaved, all at once.
    const answers = await allAtOnce(
      racers.flatMap((user) => [LIKE, UNLIKE, LIKE, UNLIKE, LIKE].map((mutation) => ({ user, mutation }))),
      ({ user, mutation }) => parallelGql(server, mutation, { postId: post }, user.token),
    );
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    const { rows, stored } = await likeRows(server, post);
    expect(stored).toBe(rows);
    expect((await view(post, bob)).likeCount).toBe(rows);
    for (const user of racers) {
      const row = await server.db.like.count({ where: { postId: dbIdOf(post), userId: user.dbId } });
      expect((await view(post, user)).viewerHasLiked).toBe(row === 1);
    }
  });

  it('never answers a like racing the deletion of its post with anything but the post or NOT_FOUND', async () => {
    const posts = await Promise.all(Array.from({ length: 15 }, () => newPost(server, bob)));
    const answers = await allAtOnce(
      posts.flatMap((post) => [
        { query: LIKE, variables: { postId: post }, token: alice.token },
        { query: DELETE_POST, variables: { id: post }, token: bob.token },
      ]),
      ({ query, variables, token }) => parallelGql(server, query, variables, token),
    );
    expect(answers.map(codeIn).filter((code) => code && code !== 'NOT_FOUND')).toEqual([]);
    expect(await server.db.like.count({ where: { postId: { in: posts.map(dbIdOf) } } })).toBe(0);
  });
});

describeSocialActionLimit([['in memory', {}]]);
