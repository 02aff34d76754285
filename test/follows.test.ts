// Follows and profiles (src/services/social/follows.ts, src/schema/social.ts, updateMe's bio): idempotent
// follows with both counts exact under concurrency, followers and following newest follow first,
// userByUsername in any case, and the bio's text rules.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOWERS, FOLLOWING, MY_COUNTS, PROFILE, SET_BIO } from './operations/social.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import {
  allAtOnce,
  codeIn,
  FOLLOW,
  followRows,
  LIKE,
  newPost,
  parallelGql,
  seedUsers,
  signUpMany,
  UNFOLLOW,
} from './support/social.ts';
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

const me = async (user: TestUser) => (await gqlTyped(server, MY_COUNTS, {}, user.token)).body.data!.me;
const profile = async (username: string, viewer: TestUser) => {
  const res = await gqlTyped(server, PROFILE, { username }, viewer.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!.userByUsername;
};
/** One page of an account's followers or following, as `viewer` sees it. */
const people = async (
  field: 'followers' | 'following',
  variables: { id: string; first?: number; after?: string | null },
  viewer: TestUser,
) =>
  field === 'followers'
    ? (await gqlTyped(server, FOLLOWERS, variables, viewer.token)).body.data!.node!.followers!
    : (await gqlTyped(server, FOLLOWING, variables, viewer.token)).body.data!.node!.following!;

describe('followUser and unfollowUser', () => {
  it('follow, follow again, unfollow, unfollow again: each answers the followed account with fresh counts', async () => {
    const carol = await signUp(server);
    const followed = await gqlTyped(server, FOLLOW, { userId: carol.id }, alice.token);
    expect(followed.body).toEqual({
      data: { followUser: { id: carol.id, followerCount: 1, followingCount: 0, viewerFollows: true } },
    });
    expect((await gqlTyped(server, FOLLOW, { userId: carol.id }, alice.token)).body.data!.followUser).toEqual({
      id: carol.id,
      followerCount: 1,
      followingCount: 0,
      viewerFollows: true,
    });
    expect(await me(alice)).toMatchObject({ followingCount: 1, followerCount: 0, viewerFollows: false });
    expect(await profile(carol.username, bob)).toMatchObject({ followerCount: 1, viewerFollows: false });
    expect(await followRows(server, carol.id)).toEqual({
      followers: 1,
      following: 0,
      storedFollowers: 1,
      storedFollowing: 0,
    });

    const unfollowed = await gqlTyped(server, UNFOLLOW, { userId: carol.id }, alice.token);
    expect(unfollowed.body.data!.unfollowUser).toEqual({
      id: carol.id,
      followerCount: 0,
      followingCount: 0,
      viewerFollows: false,
    });
    const again = await gqlTyped(server, UNFOLLOW, { userId: carol.id }, alice.token);
    expect(again.body.data!.unfollowUser).toMatchObject({ followerCount: 0, viewerFollows: false });
    expect(await me(alice)).toMatchObject({ followingCount: 0 });
  });

  it('refuses following yourself with BAD_USER_INPUT, and never says you follow yourself', async () => {
    for (const mutation of [FOLLOW, UNFOLLOW]) {
      const res = await gqlTyped(server, mutation, { userId: alice.id }, alice.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field: 'userId' });
    }
    expect(await me(alice)).toMatchObject({ viewerFollows: false });
    expect(await server.db.follow.count({ where: { followerId: alice.dbId, followeeId: alice.dbId } })).toBe(0);
  });

  it('answers NOT_FOUND for an account that never was or is gone, BAD_USER_INPUT for an id of another type', async () => {
    const gone = await signUp(server);
    await server.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: gone.password }, gone.token);
    const post = await newPost(server, bob);
    for (const mutation of [FOLLOW, UNFOLLOW]) {
      expect(
        errorCode(await gqlTyped(server, mutation, { userId: globalIdOf('User', randomUUID()) }, alice.token)),
      ).toBe('NOT_FOUND');
      expect(errorCode(await gqlTyped(server, mutation, { userId: 'not an id' }, alice.token))).toBe('NOT_FOUND');
      // PostgreSQL refuses a NUL in any text it compares: such an id names nothing.
      const nul = globalIdOf('User', 'a\u0000b');
      expect(errorCode(await gqlTyped(server, mutation, { userId: nul }, alice.token))).toBe('NOT_FOUND');
      expect(errorCode(await gqlTyped(server, mutation, { userId: gone.id }, alice.token))).toBe('NOT_FOUND');
      const wrongType = await gqlTyped(server, mutation, { userId: post }, alice.token);
      expect(errorCode(wrongType)).toBe('BAD_USER_INPUT');
      expect(wrongType.body.errors![0]!.extensions).toMatchObject({ field: 'userId' });
      expect(errorCode(await gqlTyped(server, mutation, { userId: bob.id }))).toBe('UNAUTHENTICATED');
    }
  });
});

describe('followers and following', () => {
  it('page newest follow first, with no duplicates or gaps among follows sharing a timestamp', async () => {
    const star = await signUp(server);
    const fans = await seedUsers(server, 23, 'fan');
    const idols = await seedUsers(server, 17, 'idol');
    const tie = new Date('2026-03-01T00:00:00.000Z');
    const at = (i: number) => (i < 12 ? tie : new Date(tie.getTime() + i * 7));
    await server.db.follow.createMany({
      data: [
        ...fans.map((followerId, i) => ({ followerId, followeeId: star.dbId, createdAt: at(i) })),
        ...idols.map((followeeId, i) => ({ followerId: star.dbId, followeeId, createdAt: at(i) })),
      ],
    });
    const newestFirst = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];
    const expected = {
      followers: (await server.db.follow.findMany({ where: { followeeId: star.dbId }, orderBy: newestFirst })).map(
        (follow) => follow.followerId,
      ),
      following: (await server.db.follow.findMany({ where: { followerId: star.dbId }, orderBy: newestFirst })).map(
        (follow) => follow.followeeId,
      ),
    };
    for (const field of ['followers', 'following'] as const) {
      for (const first of [1, 5, 50]) {
        const seen: string[] = [];
        let after: string | null = null;
        for (;;) {
          const { edges, pageInfo } = await people(field, { id: star.id, first, after }, alice);
          seen.push(...edges.map((edge) => dbIdOf(edge.node.id)));
          if (!pageInfo.hasNextPage) break;
          after = pageInfo.endCursor;
        }
        expect(seen).toEqual(expected[field]);
      }
    }
    expect(await profile(star.username, alice)).toMatchObject({ followerCount: 23, followingCount: 17 });
  });

  it('caps a page at 50', async () => {
    const star = await signUp(server);
    const fans = await seedUsers(server, 55, 'crowd');
    await server.db.follow.createMany({ data: fans.map((followerId) => ({ followerId, followeeId: star.dbId })) });
    const followers = await people('followers', { id: star.id, first: 90 }, alice);
    expect(followers.edges).toHaveLength(50);
    expect(followers.pageInfo.hasNextPage).toBe(true);
  });
});

describe('follows sent at once', () => {
  let crowd: TestUser[];
  beforeAll(async () => {
    crowd = await signUpMany(server, 50, signUp);
  });

  it('counts 50 users following one account at once as 50 followers, and each as following 1', async () => {
    const star = await signUp(server);
    const answers = await allAtOnce(crowd, (user) => parallelGql(server, FOLLOW, { userId: star.id }, user.token));
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    for (const answer of answers) expect(answer.data!.followUser.viewerFollows).toBe(true);
    expect(await followRows(server, star.id)).toEqual({
      followers: 50,
      following: 0,
      storedFollowers: 50,
      storedFollowing: 0,
    });
    expect(await profile(star.username, alice)).toMatchObject({ followerCount: 50, viewerFollows: false });
    for (const user of crowd.slice(0, 5))
      expect((await followRows(server, user.id)).storedFollowing).toBeGreaterThan(0);
  });

  it('counts one user sending followUser 20 times at once as 1', async () => {
    const star = await signUp(server);
    const follower = await signUp(server);
    const answers = await allAtOnce(Array.from({ length: 20 }), () =>
      parallelGql(server, FOLLOW, { userId: star.id }, follower.token),
    );
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    for (const answer of answers)
      expect(answer.data!.followUser).toMatchObject({ followerCount: 1, viewerFollows: true });
    expect(await followRows(server, star.id)).toMatchObject({ followers: 1, storedFollowers: 1 });
    expect(await followRows(server, follower.id)).toMatchObject({ following: 1, storedFollowing: 1 });
  });

  it('ends with both counts equal to the rows when follows and unfollows race', async () => {
    const stars = [await signUp(server), await signUp(server)];
    const racers = crowd.slice(0, 10);
    const answers = await allAtOnce(
      racers.flatMap((user) =>
        stars.flatMap((star) => [FOLLOW, UNFOLLOW, FOLLOW].map((mutation) => ({ user, star, mutation }))),
      ),
      ({ user, star, mutation }) => parallelGql(server, mutation, { userId: star.id }, user.token),
    );
    expect(answers.map(codeIn).filter(Boolean)).toEqual([]);
    for (const user of [...stars, ...racers]) {
      const rows = await followRows(server, user.id);
      expect(rows.storedFollowers).toBe(rows.followers);
      expect(rows.storedFollowing).toBe(rows.following);
    }
    for (const star of stars) {
      const follows = await server.db.follow.findMany({
        where: { followeeId: star.dbId },
        select: { followerId: true },
      });
      const followers = new Set(follows.map((follow) => follow.followerId));
      for (const user of racers) {
        expect((await profile(star.username, user))!.viewerFollows).toBe(followers.has(user.dbId));
      }
    }
  });
});

describe('SOCIAL_ACTIONS_MAX_PER_HOUR', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ SOCIAL_ACTIONS_MAX_PER_HOUR: '5', REGISTER_MAX_PER_IP: '0' });
  });
  afterAll(() => limited?.close());

  it('lets exactly 5 of 20 follows sent at once through, and writes nothing for the others', async () => {
    const follower = await signUp(limited);
    const others = await seedUsers(limited, 20, 'target');
    const answers = await allAtOnce(others, (id) =>
      parallelGql(limited, FOLLOW, { userId: globalIdOf('User', id) }, follower.token),
    );
    expect(answers.filter((answer) => answer.data?.followUser)).toHaveLength(5);
    expect(answers.filter((answer) => codeIn(answer) === 'RATE_LIMITED')).toHaveLength(15);
    expect(await followRows(limited, follower.id)).toMatchObject({ following: 5, storedFollowing: 5 });
  });

  it('counts follows, unfollows and likes together', async () => {
    const user = await signUp(limited);
    const other = await signUp(limited);
    const post = await newPost(limited, other);
    for (const [query, variables] of [
      [FOLLOW, { userId: other.id }],
      [UNFOLLOW, { userId: other.id }],
      [FOLLOW, { userId: other.id }],
      [LIKE, { postId: post }],
      [UNFOLLOW, { userId: other.id }],
    ] as const) {
      expect((await gqlTyped(limited, query, variables, user.token)).body.errors).toBeUndefined();
    }
    expect(errorCode(await gqlTyped(limited, FOLLOW, { userId: other.id }, user.token))).toBe('RATE_LIMITED');
    expect(errorCode(await gqlTyped(limited, LIKE, { postId: post }, user.token))).toBe('RATE_LIMITED');
    expect(await followRows(limited, other.id)).toMatchObject({ followers: 0, storedFollowers: 0 });
  });
});

describe('userByUsername', () => {
  it('finds an account by its username in any case, with its counts; null when there is none', async () => {
    const dana = await signUp(server, { name: 'dana.k' });
    await gqlTyped(server, FOLLOW, { userId: dana.id }, alice.token);
    await newPost(server, dana);
    for (const typed of ['dana.k', 'DANA.K', ' Dana.K ']) {
      expect(await profile(typed, alice)).toEqual({
        id: dana.id,
        username: 'dana.k',
        bio: null,
        followerCount: 1,
        followingCount: 0,
        postCount: 1,
        viewerFollows: true,
      });
    }
    expect(await profile('nobody_here', alice)).toBeNull();
    for (const impossible of ['dana.k\u0000', 'x'.repeat(31), 'dana k', 'd'])
      expect(await profile(impossible, alice)).toBeNull();
    expect(await profile('', alice)).toBeNull();
    expect(errorCode(await gqlTyped(server, PROFILE, { username: 'dana.k' }))).toBe('UNAUTHENTICATED');
  });
});

describe('bio', () => {
  it('is set, trimmed and cleared through updateMe, and shown on the profile', async () => {
    const erin = await signUp(server);
    const set = await gqlTyped(server, SET_BIO, { bio: '  Photos of\r\nthe sea.\t ' }, erin.token);
    expect(set.body.data!.updateMe.bio).toBe('Photos of\nthe sea.');
    expect((await profile(erin.username, alice))!.bio).toBe('Photos of\nthe sea.');
    // Other edits leave it alone.
    await server.gql('mutation { updateMe(input: { username: "erin_renamed" }) { id } }', {}, erin.token);
    expect((await profile('erin_renamed', alice))!.bio).toBe('Photos of\nthe sea.');
    for (const cleared of ['', '   ', null]) {
      await gqlTyped(server, SET_BIO, { bio: 'something' }, erin.token);
      expect((await gqlTyped(server, SET_BIO, { bio: cleared }, erin.token)).body.data!.updateMe.bio).toBeNull();
    }
  });

  it('holds 300 characters counted in code points, and refuses 301 or a control character with BAD_USER_INPUT', async () => {
    const frank = await signUp(server);
    const emoji = '📷'.repeat(300);
    expect((await gqlTyped(server, SET_BIO, { bio: emoji }, frank.token)).body.data!.updateMe.bio).toBe(emoji);
    for (const bad of [`${emoji}x`, 'a'.repeat(301), 'bell\u0007', 'nul\u0000', 'esc\u001b[31m', 'c1\u0085']) {
      const res = await gqlTyped(server, SET_BIO, { bio: bad }, frank.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions).toMatchObject({ field: 'bio' });
    }
    expect((await profile(frank.username, alice))!.bio).toBe(emoji);
  });
});
