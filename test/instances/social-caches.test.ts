// Caches never hide a social write (src/services/posts/feed.ts caches feed pages, and
// src/services/social/facts.ts counts and the viewer's likes and follows): after a like, follow, comment,
// caption or bio edit returns, the writer's next read shows it on the same instance at once, and on
// another instance of the same database within a second. With one instance, and with two sharing
// PostgreSQL (NOTIFY) or a SQLite file (Redis pub/sub), both pinned, in every pass.
import path from 'node:path';
import type { VariablesOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_CAPTION } from '../operations/posts.ts';
import {
  FOLLOW_STATE,
  HOME_IDS,
  POST_SOCIAL_VIEW,
  SET_BIO,
  SOCIAL_FEED,
  SOCIAL_POST,
  USER_SOCIAL_VIEW,
} from '../operations/social.ts';
import { signUp, type TestUser } from '../support/accounts.ts';
import { newPostgresTestUrl } from '../support/database.ts';
import { eventually } from '../support/imagekit.ts';
import { BLOCK } from '../support/safety.ts';
import { newTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADD_COMMENT, DELETE_COMMENT, FOLLOW, LIKE, newPost, UNFOLLOW, UNLIKE } from '../support/social.ts';
import { type AnyDocument, gqlTyped, onType } from '../support/typed.ts';

async function read<D extends AnyDocument>(server: TestServer, document: D, variables: VariablesOf<D>, user: TestUser) {
  const res = await gqlTyped(server, document, variables, user.token);
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data;
}
const feedNode = async (server: TestServer, user: TestUser, postId: string) =>
  (await read(server, SOCIAL_FEED, {}, user)).feed.edges.find((edge) => edge.node.id === postId)?.node;
const postOf = async (server: TestServer, user: TestUser, postId: string) =>
  onType((await read(server, SOCIAL_POST, { id: postId }, user)).node);
const homeIds = async (server: TestServer, user: TestUser) =>
  (await read(server, HOME_IDS, {}, user)).homeFeed.edges.map((edge) => edge.node.id);

/** Whatever the other instance answers must settle on this within a second. */
const withinASecond = (check: () => Promise<void>) => eventually(check, 1000);

async function mutate<D extends AnyDocument>(
  server: TestServer,
  document: D,
  variables: VariablesOf<D>,
  user: TestUser,
) {
  const res = await gqlTyped(server, document, variables, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data;
}

describe.each([
  ['one instance', async () => ({}), false],
  ['two instances sharing PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() }), true],
  [
    'two instances sharing a SQLite file and Redis',
    async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'shared.db')}` }),
    true,
  ],
] as const)('social writes with %s', (_shape, envOf, two) => {
  let a: TestServer;
  let b: TestServer;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    const env = await envOf();
    a = await startTestServer(env, { instances: true });
    b = two ? await startTestServer(env, { dir: a.dir, instances: true }) : a;
    alice = await signUp(a);
    bob = await signUp(a);
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  /** Both instances have read the feed, the post and the people for these users, so every cache holds them. */
  async function warm(postId: string, ...users: TestUser[]) {
    for (const server of new Set([a, b])) {
      for (const user of users) {
        await read(server, SOCIAL_FEED, {}, user);
        await postOf(server, user, postId);
        await homeIds(server, user);
      }
    }
  }

  it('a like and an unlike: the count and viewerHasLiked, in the feed and on the post', async () => {
    const post = await newPost(a, alice);
    await warm(post, alice, bob);
    await mutate(a, LIKE, { postId: post }, bob);
    const liked = async (server: TestServer) => {
      // Another viewer first: the post's counts are cached again, and bob's own like must not be stale.
      expect(await feedNode(server, alice, post)).toMatchObject({ likeCount: 1, viewerHasLiked: false });
      expect(await feedNode(server, bob, post)).toMatchObject({ likeCount: 1, viewerHasLiked: true });
      expect(await postOf(server, bob, post)).toMatchObject({
        likeCount: 1,
        viewerHasLiked: true,
        likers: { edges: [{ node: { id: bob.id } }] },
      });
      expect(await feedNode(server, alice, post)).toMatchObject({ likeCount: 1, viewerHasLiked: false });
    };
    await liked(a);
    await withinASecond(() => liked(b));

    await mutate(a, UNLIKE, { postId: post }, bob);
    const unliked = async (server: TestServer) => {
      expect(await feedNode(server, alice, post)).toMatchObject({ likeCount: 0, viewerHasLiked: false });
      expect(await feedNode(server, bob, post)).toMatchObject({ likeCount: 0, viewerHasLiked: false });
      expect((await postOf(server, bob, post)).likers.edges).toEqual([]);
    };
    await unliked(a);
    await withinASecond(() => unliked(b));
  });

  it('a follow and an unfollow: both counts, viewerFollows, the lists, and the home feed gaining and losing the posts', async () => {
    const carol = await signUp(a);
    const post = await newPost(a, carol);
    await warm(post, alice, bob);
    for (const server of new Set([a, b])) await read(server, FOLLOW_STATE, { id: carol.id }, bob);

    await mutate(a, FOLLOW, { userId: carol.id }, bob);
    const following = async (server: TestServer) => {
      // Another viewer first: carol's counts are cached again, and bob's own follow must not be stale.
      expect((await feedNode(server, alice, post))!.author).toMatchObject({ followerCount: 1, viewerFollows: false });
      expect(await read(server, FOLLOW_STATE, { id: carol.id }, bob)).toEqual({
        me: { followingCount: 1, following: { edges: [{ node: { id: carol.id } }] } },
        node: { followerCount: 1, viewerFollows: true, followers: { edges: [{ node: { id: bob.id } }] } },
      });
      expect((await feedNode(server, bob, post))!.author).toMatchObject({ followerCount: 1, viewerFollows: true });
      expect(await homeIds(server, bob)).toContain(post);
    };
    await following(a);
    await withinASecond(() => following(b));

    await mutate(a, UNFOLLOW, { userId: carol.id }, bob);
    const notFollowing = async (server: TestServer) => {
      expect((await feedNode(server, alice, post))!.author).toMatchObject({ followerCount: 0, viewerFollows: false });
      expect(await read(server, FOLLOW_STATE, { id: carol.id }, bob)).toEqual({
        me: { followingCount: 0, following: { edges: [] } },
        node: { followerCount: 0, viewerFollows: false, followers: { edges: [] } },
      });
      expect((await feedNode(server, bob, post))!.author).toMatchObject({ followerCount: 0, viewerFollows: false });
      expect(await homeIds(server, bob)).not.toContain(post);
    };
    await notFollowing(a);
    await withinASecond(() => notFollowing(b));
  });

  it('a comment added and deleted: the count and the page', async () => {
    const post = await newPost(a, alice);
    await warm(post, alice, bob);
    const added = (await mutate(a, ADD_COMMENT, { postId: post, body: 'First!' }, bob))!.addComment;
    const commented = async (server: TestServer) => {
      expect(await feedNode(server, bob, post)).toMatchObject({ commentCount: 1 });
      expect(await postOf(server, bob, post)).toMatchObject({
        commentCount: 1,
        comments: { edges: [{ node: { id: added.id, body: 'First!' } }] },
      });
    };
    await commented(a);
    await withinASecond(() => commented(b));

    await mutate(a, DELETE_COMMENT, { id: added.id }, alice);
    const uncommented = async (server: TestServer) => {
      expect(await feedNode(server, bob, post)).toMatchObject({ commentCount: 0 });
      expect((await postOf(server, bob, post)).comments.edges).toEqual([]);
    };
    await uncommented(a);
    await withinASecond(() => uncommented(b));
  });

  it('a caption edit shows in the cached feed at once, even to reads racing the edit, and elsewhere within a second', async () => {
    const post = await newPost(a, alice);
    await warm(post, alice, bob);
    // Readers hammer the instance while the edit runs; a read that starts after the edit has answered
    // must show the new caption, whatever was cached or in flight.
    let editedAt = Number.POSITIVE_INFINITY;
    let stop = false;
    const stale: number[] = [];
    const reader = async () => {
      while (!stop) {
        const started = performance.now();
        const node = await feedNode(a, bob, post);
        if (started > editedAt && node?.caption !== 'Edited') stale.push(started - editedAt);
      }
    };
    const readers = Array.from({ length: 3 }, reader);
    await mutate(a, UPDATE_CAPTION, { id: post, caption: 'Edited' }, alice);
    editedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 150));
    stop = true;
    await Promise.all(readers);
    expect(stale).toEqual([]);
    expect((await postOf(a, bob, post)).caption).toBe('Edited');
    await withinASecond(async () => {
      expect((await feedNode(b, bob, post))!.caption).toBe('Edited');
      expect((await postOf(b, bob, post)).caption).toBe('Edited');
    });
  });

  it('a bio edit shows on the author of every cached feed page', async () => {
    const post = await newPost(a, alice);
    await warm(post, bob);
    await mutate(a, SET_BIO, { bio: 'Sea and sky' }, alice);
    expect((await feedNode(a, bob, post))!.author.bio).toBe('Sea and sky');
    await withinASecond(async () => expect((await feedNode(b, bob, post))!.author.bio).toBe('Sea and sky'));
  });

  it('an account deleted, a block and a post added: the counts they change, cached on both, settle within a second', async () => {
    const [carol, dave] = [await signUp(a), await signUp(a)];
    const post = await newPost(a, alice);
    await mutate(a, LIKE, { postId: post }, carol);
    await mutate(a, ADD_COMMENT, { postId: post, body: 'hi' }, carol);
    for (const fan of [carol, dave]) await mutate(a, FOLLOW, { userId: alice.id }, fan);
    const view = async (server: TestServer) => ({
      post: onType((await read(server, POST_SOCIAL_VIEW, { id: post }, bob)).node),
      alice: onType((await read(server, USER_SOCIAL_VIEW, { id: alice.id }, bob)).node),
    });
    const expectCounts = (likes: number, followers: number, posts: number) => async (server: TestServer) => {
      const { post: counts, alice: author } = await view(server);
      expect(counts).toMatchObject({ likeCount: likes, commentCount: likes });
      expect(author).toMatchObject({ followerCount: followers, postCount: posts });
    };
    const before = (await view(a)).alice;
    // Cached on both: what follows must reach both caches.
    for (const server of new Set([a, b])) {
      await withinASecond(() => expectCounts(1, before.followerCount, before.postCount)(server));
    }

    const gone = await a.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: carol.password }, carol.token);
    expect(gone.body.errors).toBeUndefined();
    const deleted = expectCounts(0, before.followerCount - 1, before.postCount);
    await deleted(a);
    await withinASecond(() => deleted(b));

    const blocked = await a.gql(BLOCK, { userId: dave.id }, alice.token);
    expect(blocked.body.errors).toBeUndefined();
    const afterBlock = expectCounts(0, before.followerCount - 2, before.postCount);
    await afterBlock(a);
    await withinASecond(() => afterBlock(b));

    await newPost(a, alice);
    const posted = expectCounts(0, before.followerCount - 2, before.postCount + 1);
    await posted(a);
    await withinASecond(() => posted(b));
  });
});
