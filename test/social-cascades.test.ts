// What goes with a deleted post or account (ON DELETE CASCADE, the counts kept by triggers in the
// migrations): its likes, comments and follows, and every count they were part of, on every post and
// account they touched. A deactivated account keeps everything.
import path from 'node:path';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEACTIVATE_USER, DELETE_ME, DELETE_USER } from './operations/accounts.ts';
import { DELETE_POST } from './operations/posts.ts';
import { HOME_IDS, POST_SOCIAL_VIEW, USER_SOCIAL_VIEW } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf } from './support/ids.ts';
import { holdUserRow } from './support/row-lock.ts';
import { errorCode, newTempDir, startTestServer, type TestServer } from './support/server.ts';
import { ADD_COMMENT, countMismatches, FOLLOW, LIKE, newPost, UNFOLLOW, UNLIKE } from './support/social.ts';
import { type AnyDocument, gqlTyped, onType } from './support/typed.ts';

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

async function act<D extends AnyDocument>(document: D, variables: VariablesOf<D>, user: TestUser) {
  const res = await gqlTyped(server, document, variables, user.token);
  expect(res.body.errors).toBeUndefined();
}
const userView = async (id: string, viewer: TestUser) =>
  onType((await gqlTyped(server, USER_SOCIAL_VIEW, { id }, viewer.token)).body.data!.node);
const postView = async (id: string, viewer: TestUser) =>
  onType((await gqlTyped(server, POST_SOCIAL_VIEW, { id }, viewer.token)).body.data!.node);
const ids = (edges: { node: { id: string } }[]) => edges.map((edge) => edge.node.id);

/**
 * X in the middle of everything: X follows A and B, A and C follow X; A likes and B comments on X's post;
 * X likes and comments twice on A's post (which B likes too), and comments on B's.
 */
async function webAround() {
  const [x, a, b, c] = [await signUp(server), await signUp(server), await signUp(server), await signUp(server)];
  const xPost = await newPost(server, x);
  const aPost = await newPost(server, a);
  const bPost = await newPost(server, b);
  await act(FOLLOW, { userId: a.id }, x);
  await act(FOLLOW, { userId: b.id }, x);
  await act(FOLLOW, { userId: x.id }, a);
  await act(FOLLOW, { userId: x.id }, c);
  await act(LIKE, { postId: xPost }, a);
  await act(ADD_COMMENT, { postId: xPost, body: 'from b' }, b);
  await act(LIKE, { postId: aPost }, x);
  await act(ADD_COMMENT, { postId: aPost, body: 'from x' }, x);
  await act(ADD_COMMENT, { postId: aPost, body: 'from x again' }, x);
  await act(LIKE, { postId: aPost }, b);
  await act(ADD_COMMENT, { postId: bPost, body: 'from x' }, x);
  expect(await userView(a.id, c)).toMatchObject({ followerCount: 1, followingCount: 1 });
  expect(await postView(aPost, c)).toMatchObject({ likeCount: 2, commentCount: 2 });
  expect((await gqlTyped(server, HOME_IDS, {}, c.token)).body.data!.homeFeed.edges.map((e) => e.node.id)).toEqual([
    xPost,
  ]);
  return { x, a, b, c, xPost, aPost, bPost };
}

type Web = Awaited<ReturnType<typeof webAround>>;

/** Nothing of X is left, and every count X was part of dropped. */
async function expectGone({ x, a, b, c, xPost, aPost, bPost }: Web) {
  const xId = dbIdOf(x.id);
  expect(await server.db.follow.count({ where: { OR: [{ followerId: xId }, { followeeId: xId }] } })).toBe(0);
  expect(await server.db.like.count({ where: { OR: [{ userId: xId }, { postId: dbIdOf(xPost) }] } })).toBe(0);
  expect(await server.db.comment.count({ where: { OR: [{ authorId: xId }, { postId: dbIdOf(xPost) }] } })).toBe(0);
  expect(await server.db.post.count({ where: { authorId: xId } })).toBe(0);

  const aView = await userView(a.id, c);
  expect(aView).toMatchObject({ followerCount: 0, followingCount: 0, postCount: 1 });
  expect(ids(aView.followers.edges)).toEqual([]);
  expect(ids(aView.following.edges)).toEqual([]);
  expect(await userView(b.id, c)).toMatchObject({ followerCount: 0, followingCount: 0 });
  expect(await userView(c.id, a)).toMatchObject({ followerCount: 0, followingCount: 0 });

  const aPostView = await postView(aPost, c);
  expect(aPostView).toMatchObject({ likeCount: 1, commentCount: 0 });
  expect(ids(aPostView.likers.edges)).toEqual([b.id]);
  expect(aPostView.comments.edges).toEqual([]);
  expect(await postView(bPost, c)).toMatchObject({ likeCount: 0, commentCount: 0 });
  expect((await gqlTyped(server, POST_SOCIAL_VIEW, { id: xPost }, c.token)).body.data!.node).toBeNull();
  expect((await gqlTyped(server, HOME_IDS, {}, c.token)).body.data!.homeFeed.edges).toEqual([]);
  expect(await countMismatches(server)).toEqual([]);
}

describe('deleting a post', () => {
  it('removes its likes and comments, and its author’s postCount drops', async () => {
    const [author, fan, critic] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    const kept = await newPost(server, author);
    await act(LIKE, { postId: post }, fan);
    await act(LIKE, { postId: post }, critic);
    await act(LIKE, { postId: kept }, fan);
    await act(ADD_COMMENT, { postId: post, body: 'one' }, critic);
    await act(ADD_COMMENT, { postId: post, body: 'two' }, fan);
    expect(await userView(author.id, fan)).toMatchObject({ postCount: 2 });

    await act(DELETE_POST, { id: post }, author);
    expect(await server.db.like.count({ where: { postId: dbIdOf(post) } })).toBe(0);
    expect(await server.db.comment.count({ where: { postId: dbIdOf(post) } })).toBe(0);
    expect(await userView(author.id, fan)).toMatchObject({ postCount: 1 });
    expect(await postView(kept, critic)).toMatchObject({ likeCount: 1, commentCount: 0 });
    expect(await countMismatches(server)).toEqual([]);
  });

  it('by a superuser does the same', async () => {
    const [author, fan] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, author);
    await act(LIKE, { postId: post }, fan);
    await act(ADD_COMMENT, { postId: post, body: 'hi' }, fan);
    await act(DELETE_POST, { id: post }, admin);
    expect(await server.db.like.count({ where: { postId: dbIdOf(post) } })).toBe(0);
    expect(await server.db.comment.count({ where: { postId: dbIdOf(post) } })).toBe(0);
    expect(await userView(author.id, fan)).toMatchObject({ postCount: 0 });
    expect(await countMismatches(server)).toEqual([]);
  });
});

describe('deleting an account', () => {
  it('deleteMe removes its follows, likes, comments and posts, and every count they were in drops', async () => {
    const web = await webAround();
    await act(DELETE_ME, { password: web.x.password }, web.x);
    await expectGone(web);
  });

  it('deleteUser does the same', async () => {
    const web = await webAround();
    await act(DELETE_USER, { id: web.x.id }, admin);
    await expectGone(web);
  });
});

describe('deactivating an account', () => {
  it('keeps its posts, comments, likes and follows, and every count', async () => {
    const web = await webAround();
    const rowsBefore = await Promise.all([server.db.follow.count(), server.db.like.count(), server.db.comment.count()]);
    await act(DEACTIVATE_USER, { id: web.x.id }, admin);
    expect(errorCode(await server.gql('{ feed { edges { cursor } } }', {}, web.x.token))).toBe('UNAUTHENTICATED');
    expect([await server.db.follow.count(), await server.db.like.count(), await server.db.comment.count()]).toEqual(
      rowsBefore,
    );
    expect(await userView(web.a.id, web.c)).toMatchObject({ followerCount: 1, followingCount: 1 });
    const aPostView = await postView(web.aPost, web.c);
    expect(aPostView).toMatchObject({ likeCount: 2, commentCount: 2 });
    expect(aPostView.comments.edges.map((edge) => edge.node.author.id)).toEqual([web.x.id, web.x.id]);
    expect(await postView(web.xPost, web.c)).toMatchObject({ likeCount: 1, commentCount: 1 });
    expect(await userView(web.x.id, web.c)).toMatchObject({ followerCount: 2, followingCount: 2, postCount: 1 });
    expect(await countMismatches(server)).toEqual([]);
  });
});

// SQLite, pinned: a connection holding its write lock lets a deletion land between a mutation's checks and
// its write, on cue; the mutation then answers the row it wrote about, which is gone.
describe('a social write racing the deletion of what it is about', () => {
  let sqlite: TestServer;
  beforeAll(async () => {
    sqlite = await startTestServer({ DATABASE_URL: `file:${path.join(await newTempDir(), 'race.db')}` });
  });
  afterAll(() => sqlite?.close());

  it('unfollowUser of an account deleted meanwhile answers NOT_FOUND', async () => {
    const [viewer, gone] = [await signUp(sqlite), await signUp(sqlite)];
    expect((await gqlTyped(sqlite, FOLLOW, { userId: gone.id }, viewer.token)).body.errors).toBeUndefined();
    const held = await holdUserRow(sqlite, gone.dbId);
    const [res] = await Promise.all([
      gqlTyped(sqlite, UNFOLLOW, { userId: gone.id }, viewer.token),
      held.commitDeletion(),
    ]);
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await countMismatches(sqlite)).toEqual([]);
  });

  it('unlikePost of a post deleted meanwhile (with its author) answers NOT_FOUND', async () => {
    const [viewer, author] = [await signUp(sqlite), await signUp(sqlite)];
    const post = await newPost(sqlite, author);
    expect((await gqlTyped(sqlite, LIKE, { postId: post }, viewer.token)).body.errors).toBeUndefined();
    const held = await holdUserRow(sqlite, author.dbId);
    const [res] = await Promise.all([gqlTyped(sqlite, UNLIKE, { postId: post }, viewer.token), held.commitDeletion()]);
    expect(errorCode(res)).toBe('NOT_FOUND');
    expect(await countMismatches(sqlite)).toEqual([]);
  });

  it('likePost, followUser and addComment racing the deletion answer NOT_FOUND', async () => {
    const viewer = await signUp(sqlite);
    for (const [query, variables] of [
      [LIKE, async (author: TestUser) => ({ postId: await newPost(sqlite, author) })],
      [FOLLOW, async (author: TestUser) => ({ userId: author.id })],
      [ADD_COMMENT, async (author: TestUser) => ({ postId: await newPost(sqlite, author), body: 'hi' })],
    ] as const) {
      const author = await signUp(sqlite);
      const input = await variables(author);
      const held = await holdUserRow(sqlite, author.dbId);
      const [res] = await Promise.all([gqlTyped(sqlite, query, input, viewer.token), held.commitDeletion()]);
      expect(errorCode(res)).toBe('NOT_FOUND');
    }
    expect(await countMismatches(sqlite)).toEqual([]);
  });
});
