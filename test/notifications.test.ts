// Stored notifications: made by likes, comments and follows of someone else's post or account, never
// for one's own; taken back with the like, comment or follow; like, unlike, like within a minute is
// one; listed newest first with keyset cursors and a fixed number of statements; marked read all or
// up to one; and pushed to notificationAdded streams.
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import {
  MARK_READ,
  NOTIFICATION_ADDED,
  NOTIFICATIONS,
  type NotificationNode,
  type NotificationsData,
} from './support/live.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import {
  ADD_COMMENT,
  type AddCommentData,
  allAtOnce,
  DELETE_COMMENT,
  FOLLOW,
  LIKE,
  newPost,
  parallelGql,
  UNFOLLOW,
  UNLIKE,
} from './support/social.ts';
import { nothingWithin, openSse } from './support/sse.ts';

describe('notifications', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function ok<T = unknown>(
    query: string | DocumentNode,
    variables: Record<string, unknown>,
    user: TestUser,
  ): Promise<T> {
    const res = await server.gql<T>(query, variables, user.token);
    if (res.body.errors) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data!;
  }
  const listOf = async (user: TestUser, variables: Record<string, unknown> = {}) =>
    ok<NotificationsData>(NOTIFICATIONS, variables, user);
  const nodes = async (user: TestUser) => (await listOf(user)).notifications.edges.map((e) => e.node);

  it('a like, a comment and a follow notify the author, newest first, unread; nothing for one’s own', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, alice);
    await ok(LIKE, { postId: post }, alice);
    await ok(ADD_COMMENT, { postId: post, body: 'me' }, alice);
    expect(await nodes(alice)).toEqual([]);

    await ok(LIKE, { postId: post }, bob);
    const comment = await ok<AddCommentData>(ADD_COMMENT, { postId: post, body: 'nice' }, bob);
    await ok(FOLLOW, { userId: alice.id }, bob);
    const list = await listOf(alice);
    expect(list.unreadNotificationCount).toBe(3);
    expect(list.notifications.edges.map((e) => e.node)).toMatchObject([
      { kind: 'FOLLOW', read: false, actor: { id: bob.id }, post: null, comment: null },
      {
        kind: 'COMMENT',
        actor: { id: bob.id },
        post: { id: post },
        comment: { id: comment.addComment.id, body: 'nice' },
      },
      { kind: 'LIKE', actor: { id: bob.id }, post: { id: post, likeCount: 2 }, comment: null },
    ]);
    expect(await nodes(bob)).toEqual([]);
  });

  it('unlike, deleting the comment and unfollow take their notification back', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, alice);
    await ok(LIKE, { postId: post }, bob);
    const comment = await ok<AddCommentData>(ADD_COMMENT, { postId: post, body: 'hm' }, bob);
    await ok(FOLLOW, { userId: alice.id }, bob);
    expect(await nodes(alice)).toHaveLength(3);
    await ok(UNLIKE, { postId: post }, bob);
    await ok(DELETE_COMMENT, { id: comment.addComment.id }, bob);
    await ok(UNFOLLOW, { userId: alice.id }, bob);
    expect(await listOf(alice)).toMatchObject({ unreadNotificationCount: 0, notifications: { edges: [] } });
  });

  it('like, unlike, like within a minute is one notification, announced once; 10 likes sent at once are one', async () => {
    const [alice, bob, carol] = [await signUp(server), await signUp(server), await signUp(server)];
    const post = await newPost(server, alice);
    const stream = await openSse(server.url, NOTIFICATION_ADDED, {}, { token: alice.token });
    try {
      await ok(LIKE, { postId: post }, bob);
      await ok(UNLIKE, { postId: post }, bob);
      await ok(LIKE, { postId: post }, bob);
      expect(await nodes(alice)).toMatchObject([{ kind: 'LIKE', actor: { id: bob.id } }]);
      expect((await stream.next<{ notificationAdded: NotificationNode }>()).data?.notificationAdded).toMatchObject({
        kind: 'LIKE',
        actor: { id: bob.id },
        post: { id: post },
        read: false,
      });
      await allAtOnce(Array.from({ length: 10 }), () => parallelGql(server, LIKE, { postId: post }, carol.token));
      expect((await nodes(alice)).filter((n) => n.actor.id === carol.id)).toHaveLength(1);
      await stream.next();
      await nothingWithin(stream, 300);
    } finally {
      stream.close();
    }
  });

  it('a like taken back more than a minute ago makes a new notification', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, alice);
    await ok(LIKE, { postId: post }, bob);
    const [first] = await nodes(alice);
    await ok(UNLIKE, { postId: post }, bob);
    await server.db.notification.updateMany({
      where: { userId: alice.dbId },
      data: { removedAt: new Date(Date.now() - 61_000) },
    });
    await ok(LIKE, { postId: post }, bob);
    const again = await nodes(alice);
    expect(again).toHaveLength(1);
    expect(again[0]!.id).not.toBe(first!.id);
    // Rows taken back over a minute ago go when their actor next takes something back.
    const other = await newPost(server, alice);
    await ok(LIKE, { postId: other }, bob);
    await ok(UNLIKE, { postId: other }, bob);
    await server.db.notification.updateMany({
      where: { actorId: bob.dbId, removedAt: { not: null } },
      data: { removedAt: new Date(Date.now() - 61_000) },
    });
    await ok(UNLIKE, { postId: post }, bob);
    expect(await server.db.notification.count({ where: { actorId: bob.dbId } })).toBe(1);
  });

  it('pages newest first with cursors, in a fixed number of statements; markNotificationsRead all or up to one', async () => {
    const alice = await signUp(server);
    const fans = [await signUp(server), await signUp(server), await signUp(server)];
    const posts = [await newPost(server, alice), await newPost(server, alice)];
    for (const fan of fans) for (const post of posts) await ok(LIKE, { postId: post }, fan);
    const all = await nodes(alice);
    expect(all).toHaveLength(6);
    const first = await listOf(alice, { first: 4 });
    expect(first.notifications.pageInfo.hasNextPage).toBe(true);
    const second = await listOf(alice, { first: 4, after: first.notifications.pageInfo.endCursor });
    expect([...first.notifications.edges, ...second.notifications.edges].map((e) => e.node.id)).toEqual(
      all.map((n) => n.id),
    );
    expect(second.notifications.pageInfo.hasNextPage).toBe(false);

    const statements = async (n: number) => {
      server.queries.length = 0;
      await listOf(alice, { first: n });
      return server.queries.length;
    };
    const small = await statements(1);
    expect(await statements(6)).toBe(small);

    // Up to the third newest: it and the three older ones.
    expect(await ok(MARK_READ, { upTo: all[2]!.id }, alice)).toEqual({ markNotificationsRead: 4 });
    expect((await nodes(alice)).map((n) => n.read)).toEqual([false, false, true, true, true, true]);
    expect((await listOf(alice)).unreadNotificationCount).toBe(2);
    expect(await ok(MARK_READ, {}, alice)).toEqual({ markNotificationsRead: 2 });
    expect(await ok(MARK_READ, {}, alice)).toEqual({ markNotificationsRead: 0 });
  });

  it('refuses someone else’s notification, another type’s id and no viewer, with stable codes', async () => {
    const [alice, bob] = [await signUp(server), await signUp(server)];
    const post = await newPost(server, alice);
    await ok(LIKE, { postId: post }, bob);
    const [mine] = await nodes(alice);
    expect(errorCode(await server.gql(MARK_READ, { upTo: mine!.id }, bob.token))).toBe('NOT_FOUND');
    expect(errorCode(await server.gql(MARK_READ, { upTo: post }, alice.token))).toBe('BAD_USER_INPUT');
    expect(errorCode(await server.gql(MARK_READ, { upTo: globalIdOf('Notification', 'nope') }, alice.token))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await server.gql(NOTIFICATIONS, {}, null))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.gql(MARK_READ, {}, null))).toBe('UNAUTHENTICATED');
  });
});
