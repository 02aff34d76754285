// Blocking (src/services/safety/blocks.ts, src/services/safety/visibility.ts, src/schema/safety.ts):
// blockUser and unblockUser, idempotent; User.viewerBlocks; blockedUsers newest first; two accounts
// invisible to each other in every read path (feed, homeFeed, User.posts, post, node, userByUsername,
// comments, followers, following, likers), follows removed both ways, follows, likes and comments
// across a block FORBIDDEN; unblocking restores visibility but not follows; superusers see everything.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { BLOCK, type BlockData, UNBLOCK, type UnblockData } from './support/safety.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import {
  ADD_COMMENT,
  type AddCommentData,
  codeIn,
  FOLLOW,
  LIKE,
  newPost,
  parallelGql,
  signUpMany,
} from './support/social.ts';

const FEED = '{ feed(first: 100) { edges { node { id author { id } } } } }';
const HOME = '{ homeFeed(first: 100) { edges { node { id } } } }';
const POST = /* GraphQL */ `
  query($id: ID!) {
    post(id: $id) { id }
    node(id: $id) { id ... on Post { commentCount comments(first: 50) { edges { node { id author { id } } } }
      likers(first: 50) { edges { node { id } } } } }
  }
`;
const USER = /* GraphQL */ `
  query($id: ID!, $username: String!) {
    userByUsername(username: $username) { id }
    node(id: $id) { id ... on User { followers(first: 50) { edges { node { id } } } following(first: 50) { edges { node { id } } } } }
  }
`;
const NODE = 'query($id: ID!) { node(id: $id) { id } }';
const BLOCKED = /* GraphQL */ `
  query($first: Int, $after: String) { blockedUsers(first: $first, after: $after) {
    edges { cursor node { id viewerBlocks posts(first: 10) { edges { node { id } } } } }
    pageInfo { hasNextPage endCursor } } }
`;
type BlockedData = {
  blockedUsers: {
    edges: { cursor: string; node: { id: string; viewerBlocks: boolean; posts: { edges: unknown[] } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ REGISTER_MAX_PER_IP: '0' });
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

async function data<T = Record<string, never>>(
  query: string | DocumentNode,
  variables: Record<string, unknown>,
  user: TestUser,
) {
  const res = await server.gql<T>(query, variables, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}
const ok = (query: string | DocumentNode, variables: Record<string, unknown>, user: TestUser) =>
  data(query, variables, user);

const feedIds = async (user: TestUser, query = FEED) =>
  ((await data<{ feed: { edges: { node: { id: string } }[] } }>(query, {}, user)).feed?.edges ?? []).map(
    (edge) => edge.node.id,
  );
const homeIds = async (user: TestUser) =>
  (await data<{ homeFeed: { edges: { node: { id: string } }[] } }>(HOME, {}, user)).homeFeed.edges.map(
    (edge) => edge.node.id,
  );
type PostData = {
  post: { id: string } | null;
  node: {
    id: string;
    commentCount: number;
    comments: { edges: { node: { id: string; author: { id: string } } }[] };
    likers: { edges: { node: { id: string } }[] };
  } | null;
};
const postAs = (user: TestUser, id: string) => data<PostData>(POST, { id }, user);
type UserData = {
  userByUsername: { id: string } | null;
  node: {
    id: string;
    followers: { edges: { node: { id: string } }[] };
    following: { edges: { node: { id: string } }[] };
  } | null;
};
const userAs = (viewer: TestUser, user: TestUser) =>
  data<UserData>(USER, { id: user.id, username: user.username }, viewer);
const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((edge) => edge.node.id);

describe('blockUser and unblockUser', () => {
  it('block, block again, unblock, unblock again: each answers the account, with viewerBlocks', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    for (let i = 0; i < 2; i++) {
      const res = await data<BlockData>(BLOCK, { userId: bob.id }, alice);
      expect(res.blockUser).toEqual({ id: bob.id, viewerBlocks: true, viewerFollows: false, followerCount: 0 });
    }
    expect(await server.db.block.count({ where: { blockerId: alice.dbId } })).toBe(1);
    for (let i = 0; i < 2; i++) {
      const res = await data<UnblockData>(UNBLOCK, { userId: bob.id }, alice);
      expect(res.unblockUser).toMatchObject({ id: bob.id, viewerBlocks: false });
    }
    expect(await server.db.block.count({ where: { blockerId: alice.dbId } })).toBe(0);
    // Both accounts' filters are back to none: their reads cost nothing more than before.
    const rows = await server.db.user.findMany({ where: { id: { in: [alice.dbId, bob.dbId] } } });
    expect(rows.map((row) => row.safetyFilters)).toEqual([0, 0]);
  });

  it('the same block sent 10 times at once writes one row and counts it once', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => parallelGql(server, BLOCK, { userId: bob.id }, alice.token)),
    );
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    expect(await server.db.block.count({ where: { blockerId: alice.dbId } })).toBe(1);
    const row = await server.db.user.findUniqueOrThrow({ where: { id: bob.dbId } });
    expect(row.safetyFilters).toBe(1);
  });

  it('refuses blocking yourself with BAD_USER_INPUT, another type of id with BAD_USER_INPUT, no such account with NOT_FOUND', async () => {
    const alice = await signUp(server);
    for (const mutation of [BLOCK, UNBLOCK]) {
      const self = await server.gql(mutation, { userId: alice.id }, alice.token);
      expect(errorCode(self)).toBe('BAD_USER_INPUT');
      expect(self.body.errors![0]!.extensions).toMatchObject({ field: 'userId' });
      const post = await newPost(server, alice);
      expect(errorCode(await server.gql(mutation, { userId: post }, alice.token))).toBe('BAD_USER_INPUT');
      const nobody = globalIdOf('User', '00000000-0000-4000-8000-000000000000');
      expect(errorCode(await server.gql(mutation, { userId: nobody }, alice.token))).toBe('NOT_FOUND');
      expect(errorCode(await server.gql(mutation, { userId: 'garbage\u0000' }, alice.token))).toBe('NOT_FOUND');
      expect(errorCode(await server.gql(mutation, { userId: alice.id }))).toBe('UNAUTHENTICATED');
    }
    expect(await server.db.block.count({ where: { blockerId: alice.dbId } })).toBe(0);
  });

  it('blockedUsers lists the blocks newest first, pages without gaps, and is the viewer’s own', async () => {
    const alice = await signUp(server);
    const others = [await signUp(server), await signUp(server), await signUp(server)];
    for (const other of others) await ok(BLOCK, { userId: other.id }, alice);
    const first = (await data<BlockedData>(BLOCKED, { first: 2 }, alice)).blockedUsers;
    expect(first.edges.map((edge) => edge.node.id)).toEqual([others[2]!.id, others[1]!.id]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    for (const edge of first.edges) expect(edge.node).toMatchObject({ viewerBlocks: true, posts: { edges: [] } });
    const rest = (await data<BlockedData>(BLOCKED, { first: 2, after: first.pageInfo.endCursor }, alice)).blockedUsers;
    expect(rest.edges.map((edge) => edge.node.id)).toEqual([others[0]!.id]);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    expect((await data<BlockedData>(BLOCKED, {}, others[0]!)).blockedUsers.edges).toEqual([]);
    expect(errorCode(await server.gql(BLOCKED, {}))).toBe('UNAUTHENTICATED');
    const bad = await server.gql(BLOCKED, { after: 'not-a-cursor' }, alice.token);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
  });
});

describe('a block makes two accounts invisible to each other, both ways', () => {
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let alicePost: string;
  let bobPost: string;
  let carolPost: string;
  let bobComment: string;
  let aliceComment: string;
  let bobOnAlice: string;

  beforeAll(async () => {
    [alice, bob, carol] = [await signUp(server), await signUp(server), await signUp(server)];
    alicePost = await newPost(server, alice);
    bobPost = await newPost(server, bob);
    carolPost = await newPost(server, carol);
    // Bob and Alice follow each other and Carol; both like and comment on Carol's post; Bob on Alice's too.
    for (const [follower, followee] of [
      [alice, bob],
      [bob, alice],
      [alice, carol],
      [bob, carol],
    ] as const) {
      await ok(FOLLOW, { userId: followee.id }, follower);
    }
    for (const user of [alice, bob]) await ok(LIKE, { postId: carolPost }, user);
    const comment = async (user: TestUser, postId: string) =>
      (await data<AddCommentData>(ADD_COMMENT, { postId, body: 'hi' }, user)).addComment.id;
    aliceComment = await comment(alice, carolPost);
    bobComment = await comment(bob, carolPost);
    bobOnAlice = await comment(bob, alicePost);
    // Everything is read once before the block, so the cached feed page holds both.
    for (const user of [alice, bob, carol]) {
      expect(await feedIds(user)).toEqual(expect.arrayContaining([alicePost, bobPost, carolPost]));
    }
    await ok(BLOCK, { userId: bob.id }, alice);
  });

  it('removes the follows between them, both ways, and leaves the others', async () => {
    expect(await server.db.follow.count({ where: { followerId: alice.dbId, followeeId: bob.dbId } })).toBe(0);
    expect(await server.db.follow.count({ where: { followerId: bob.dbId, followeeId: alice.dbId } })).toBe(0);
    expect(await server.db.follow.count({ where: { followeeId: carol.dbId } })).toBe(2);
    const [a, b] = await Promise.all([
      server.db.user.findUniqueOrThrow({ where: { id: alice.dbId } }),
      server.db.user.findUniqueOrThrow({ where: { id: bob.dbId } }),
    ]);
    expect([a.followerCount, a.followingCount, b.followerCount, b.followingCount]).toEqual([0, 1, 0, 1]);
  });

  it('feed: neither sees the other’s posts (the cached page filtered), Carol sees both', async () => {
    expect(await feedIds(alice)).not.toContain(bobPost);
    expect(await feedIds(alice)).toEqual(expect.arrayContaining([alicePost, carolPost]));
    expect(await feedIds(bob)).not.toContain(alicePost);
    expect(await feedIds(bob)).toEqual(expect.arrayContaining([bobPost, carolPost]));
    expect(await feedIds(carol)).toEqual(expect.arrayContaining([alicePost, bobPost, carolPost]));
    // The same through the feed's general path (a selection beyond posts and their authors).
    const general = '{ feed(first: 100) { edges { node { id likers(first: 1) { edges { node { id } } } } } } }';
    expect(await feedIds(alice, general)).not.toContain(bobPost);
    expect(await feedIds(bob, general)).not.toContain(alicePost);
    expect(await feedIds(carol, general)).toEqual(expect.arrayContaining([alicePost, bobPost]));
  });

  it('homeFeed: neither sees the other’s posts', async () => {
    // Follows across a block are gone; a follow left behind (written behind the app) still shows nothing.
    await server.db.follow.create({ data: { followerId: alice.dbId, followeeId: bob.dbId } });
    try {
      expect(await homeIds(alice)).toEqual(expect.arrayContaining([alicePost, carolPost]));
      expect(await homeIds(alice)).not.toContain(bobPost);
      expect(await homeIds(bob)).not.toContain(alicePost);
    } finally {
      await server.db.follow.deleteMany({ where: { followerId: alice.dbId, followeeId: bob.dbId } });
    }
  });

  it('post(id) and node(id) are null for the other’s posts, both ways', async () => {
    expect(await postAs(alice, bobPost)).toEqual({ post: null, node: null });
    expect(await postAs(bob, alicePost)).toEqual({ post: null, node: null });
    expect((await postAs(carol, bobPost)).post).toEqual({ id: bobPost });
  });

  it('userByUsername and node(id) are null for the other’s account, both ways', async () => {
    expect(await userAs(alice, bob)).toEqual({ userByUsername: null, node: null });
    expect(await userAs(bob, alice)).toEqual({ userByUsername: null, node: null });
    expect((await userAs(carol, bob)).userByUsername).toEqual({ id: bob.id });
  });

  it('comments: neither sees the other’s, in a post’s page or by id; commentCount still counts them', async () => {
    const seenBy = async (user: TestUser) => (await postAs(user, carolPost)).node!;
    const asAlice = await seenBy(alice);
    expect(ids(asAlice.comments)).toEqual([aliceComment]);
    expect(asAlice.commentCount).toBe(2);
    expect(ids((await seenBy(bob)).comments)).toEqual([bobComment]);
    expect(ids((await seenBy(carol)).comments)).toEqual([aliceComment, bobComment]);
    expect((await data<{ node: unknown }>(NODE, { id: bobComment }, alice)).node).toBeNull();
    expect((await data<{ node: unknown }>(NODE, { id: aliceComment }, bob)).node).toBeNull();
    // Bob's comment on Alice's post: gone for Bob with the post, for Alice with Bob.
    expect((await data<{ node: unknown }>(NODE, { id: bobOnAlice }, bob)).node).toBeNull();
    expect((await postAs(alice, alicePost)).node!.comments.edges).toEqual([]);
    expect((await data<{ node: unknown }>(NODE, { id: bobOnAlice }, carol)).node).toEqual({ id: bobOnAlice });
  });

  it('likers, followers and following: neither appears in a list the other reads', async () => {
    expect(ids((await postAs(alice, carolPost)).node!.likers)).toEqual([alice.id]);
    expect(ids((await postAs(bob, carolPost)).node!.likers)).toEqual([bob.id]);
    expect(ids((await postAs(carol, carolPost)).node!.likers).sort()).toEqual([alice.id, bob.id].sort());
    expect(ids((await userAs(alice, carol)).node!.followers)).toEqual([alice.id]);
    expect(ids((await userAs(bob, carol)).node!.followers)).toEqual([bob.id]);
    // Dave follows both: to Alice he follows Alice only, to Bob Bob only.
    const dave = await signUp(server);
    for (const user of [alice, bob]) await ok(FOLLOW, { userId: user.id }, dave);
    expect(ids((await userAs(alice, dave)).node!.following)).toEqual([alice.id]);
    expect(ids((await userAs(bob, dave)).node!.following)).toEqual([bob.id]);
    expect(ids((await userAs(carol, dave)).node!.following).sort()).toEqual([alice.id, bob.id].sort());
  });

  it('followUser, likePost and addComment across the block are FORBIDDEN, both ways, and write nothing', async () => {
    for (const [from, to, toPost] of [
      [alice, bob, bobPost],
      [bob, alice, alicePost],
    ] as const) {
      expect(codeIn((await server.gql(FOLLOW, { userId: to.id }, from.token)).body)).toBe('FORBIDDEN');
      expect(codeIn((await server.gql(LIKE, { postId: toPost }, from.token)).body)).toBe('FORBIDDEN');
      const comment = await server.gql(ADD_COMMENT, { postId: toPost, body: 'x' }, from.token);
      expect(codeIn(comment.body)).toBe('FORBIDDEN');
    }
    expect(
      await server.db.follow.count({
        where: { followerId: { in: [alice.dbId, bob.dbId] }, followeeId: { in: [alice.dbId, bob.dbId] } },
      }),
    ).toBe(0);
    expect(await server.db.like.count({ where: { postId: { in: [dbIdOf(alicePost), dbIdOf(bobPost)] } } })).toBe(0);
  });

  it('superusers see everything: a superuser blocked by Bob still sees Bob, his posts and comments', async () => {
    await ok(BLOCK, { userId: admin.id }, bob);
    expect(await feedIds(admin)).toEqual(expect.arrayContaining([alicePost, bobPost]));
    expect((await postAs(admin, bobPost)).post).toEqual({ id: bobPost });
    expect(ids((await postAs(admin, carolPost)).node!.comments)).toEqual([aliceComment, bobComment]);
    expect((await userAs(admin, bob)).userByUsername).toEqual({ id: bob.id });
    await ok(UNBLOCK, { userId: admin.id }, bob);
  });

  it('unblocking restores visibility both ways, but not the follows', async () => {
    const dan = await signUp(server);
    const erin = await signUp(server);
    const danPost = await newPost(server, dan);
    await ok(FOLLOW, { userId: erin.id }, dan);
    await ok(BLOCK, { userId: dan.id }, erin);
    expect(await feedIds(erin)).not.toContain(danPost);
    await ok(UNBLOCK, { userId: dan.id }, erin);
    expect(await feedIds(erin)).toContain(danPost);
    expect((await postAs(erin, danPost)).post).toEqual({ id: danPost });
    expect((await userAs(dan, erin)).userByUsername).toEqual({ id: erin.id });
    expect(await server.db.follow.count({ where: { followerId: dan.dbId } })).toBe(0);
    // And following works again.
    await ok(FOLLOW, { userId: erin.id }, dan);
  });
});

describe('a viewer’s feed page stays full with blocks in force', () => {
  it('20 posts asked, 20 shown, none of the blocked accounts’ posts, when most of the newest are theirs', async () => {
    const viewer = await signUp(server);
    const blocked = [await signUp(server), await signUp(server)];
    const other = await signUp(server);
    const start = Date.UTC(2030, 0, 1);
    const expected: string[] = [];
    // Newest first: 30 of the blocked accounts' posts above 25 of the other's.
    for (let i = 0; i < 25; i++) expected.push(await newPost(server, other, new Date(start + i * 1000)));
    for (let i = 0; i < 30; i++) await newPost(server, blocked[i % 2]!, new Date(start + 100_000 + i * 1000));
    for (const user of blocked) await ok(BLOCK, { userId: user.id }, viewer);
    const page = await data<{ feed: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean } } }>(
      '{ feed(first: 20) { edges { node { id } } pageInfo { hasNextPage } } }',
      {},
      viewer,
    );
    expect(page.feed.edges.map((edge) => edge.node.id)).toEqual(expected.slice(-20).reverse());
    expect(page.feed.pageInfo.hasNextPage).toBe(true);
  });
});

describe('races and costs', () => {
  it('a viewer whose blocks keep them from the shared page gets a page of their own, cached for them until something changes', async () => {
    const [viewer, blocked, other] = [await signUp(server), await signUp(server), await signUp(server)];
    const start = Date.UTC(2032, 0, 1);
    const theirs = await newPost(server, blocked, new Date(start + 1000));
    const visible = await newPost(server, other, new Date(start));
    await ok(BLOCK, { userId: blocked.id }, viewer);
    const first = await feedIds(viewer);
    expect(first[0]).toBe(visible);
    expect(first).not.toContain(theirs);
    server.queries.length = 0;
    expect(await feedIds(viewer)).toEqual(first);
    expect(server.queries).toEqual([]);
    // A new post (through the app) is on the next read.
    const fresh = await newPost(server, other, new Date(start + 2000));
    expect((await feedIds(viewer))[0]).toBe(fresh);
  });

  it('a block and a follow sent at once, 15 times: never a follow across the block', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    for (let round = 0; round < 15; round++) {
      await ok(UNBLOCK, { userId: bob.id }, alice);
      const [blocked, followed] = await Promise.all([
        parallelGql(server, BLOCK, { userId: bob.id }, alice.token),
        parallelGql(server, FOLLOW, { userId: alice.id }, bob.token),
      ]);
      expect(blocked.errors).toBeUndefined();
      expect([undefined, 'FORBIDDEN']).toContain(codeIn(followed));
      const between = await server.db.follow.count({
        where: { followerId: { in: [alice.dbId, bob.dbId] }, followeeId: { in: [alice.dbId, bob.dbId] } },
      });
      expect(between).toBe(0);
    }
  });

  it('a viewer with blocks: at most 9 statements for 3 posts and for 20, with comments, likers and followers nested', async () => {
    const viewer = await signUp(server);
    const authors = await signUpMany(server, 20, signUp);
    const blocked = await signUp(server);
    const start = Date.UTC(2033, 0, 1);
    for (const [i, author] of authors.entries()) {
      const post = await newPost(server, author, new Date(start + i * 1000));
      // Each post has a comment by the blocked account and one by its author, and both like it.
      await server.db.comment.createMany({
        data: [blocked, author].map((user) => ({ postId: dbIdOf(post), authorId: user.dbId, body: 'c' })),
      });
      await server.db.like.createMany({
        data: [blocked, author].map((user) => ({ postId: dbIdOf(post), userId: user.dbId })),
      });
      await server.db.follow.create({ data: { followerId: blocked.dbId, followeeId: author.dbId } });
    }
    await newPost(server, blocked, new Date(start + 100_000));
    await ok(BLOCK, { userId: blocked.id }, viewer);
    const query = /* GraphQL */ `query($first: Int) { feed(first: $first) { edges { node { id
      comments(first: 5) { edges { node { id author { id } } } } likers(first: 5) { edges { node { id } } }
      author { id followers(first: 5) { edges { node { id } } } } } } } }`;
    type Data = {
      feed: {
        edges: {
          node: {
            id: string;
            comments: { edges: { node: { author: { id: string } } }[] };
            likers: { edges: { node: { id: string } }[] };
            author: { followers: { edges: unknown[] } };
          };
        }[];
      };
    };
    const cold = async (first: number) => {
      await server.wroteBehindTheApp();
      server.queries.length = 0;
      const answer = await data<Data>(query, { first }, viewer);
      return { answer, statements: server.queries.length };
    };
    const small = await cold(3);
    const large = await cold(20);
    expect(large.answer.feed.edges).toHaveLength(20);
    for (const { node } of large.answer.feed.edges) {
      expect(node.comments.edges.map((edge) => edge.node.author.id)).not.toContain(blocked.id);
      expect(node.comments.edges).toHaveLength(1);
      expect(node.likers.edges.map((edge) => edge.node.id)).not.toContain(blocked.id);
      expect(node.author.followers.edges).toEqual([]);
    }
    // Bounded whatever the page's size: an N+1 would cost 20 or more for the page of 20. Not asserted
    // equal: how nested pages' users fall into facts batches depends on when each page's rows arrive
    // (test/social-queries.test.ts saw it vary by a statement or two on a busy machine).
    expect(small.statements).toBeLessThanOrEqual(9);
    expect(large.statements).toBeLessThanOrEqual(9);
  });
});
