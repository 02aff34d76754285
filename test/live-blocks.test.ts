// Blocks and live updates (issues 18 and 19): a block removes the notifications between the two
// accounts, and neither hears of the other through feedEvents, postActivity or notificationAdded; an
// unblock lets the events through again. Over real SSE streams on one instance (the block reaches the
// other instances as a 'user' change, like every other block effect: test/instances/safety-caches.test.ts).
import type { DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import {
  FEED_EVENTS,
  type FeedEvent,
  NOTIFICATION_ADDED,
  NOTIFICATIONS,
  type NotificationsData,
  POST_ACTIVITY,
} from './support/live.ts';
import { BLOCK, UNBLOCK } from './support/safety.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { FOLLOW, LIKE } from './support/social.ts';
import { openSse, type SseStream } from './support/sse.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;
let bob: TestUser;
let carol: TestUser;
const open: SseStream[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = [await signUp(server), await signUp(server), await signUp(server)];
});
afterAll(async () => {
  for (const s of open) s.close();
  await server?.close();
});

async function ok<T>(query: string | DocumentNode, variables: Record<string, unknown>, user: TestUser): Promise<T> {
  const res = await server.gql<T>(query, variables, user.token);
  expect(res.body.errors).toBeUndefined();
  return res.body.data!;
}

async function post(user: TestUser, caption: string): Promise<string> {
  const res = await uploadPost(server.url, { token: user.token, caption });
  if (!res.body.data) throw new Error(JSON.stringify(res.body));
  return res.body.data.uploadPost.id;
}

async function stream(query: string, variables: Record<string, unknown>, user: TestUser): Promise<SseStream> {
  const s = await openSse(server.url, query, variables, { token: user.token });
  expect(s.status).toBe(200);
  open.push(s);
  return s;
}

/** The captions of the next `count` PostAdded events on the stream. */
async function nextCaptions(s: SseStream, count: number): Promise<string[]> {
  const captions: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = (await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents;
    captions.push(event?.__typename === 'PostAdded' ? event.post.caption : `(${event?.__typename})`);
  }
  return captions;
}

const actorsOf = (data: NotificationsData) => data.notifications.edges.map((edge) => edge.node.actor.id);

describe('a block and live updates', () => {
  it('removes the notifications between the two, both ways, and the unread count with them', async () => {
    const photo = await post(alice, 'alice photo');
    await ok(LIKE, { postId: photo }, bob);
    await ok(FOLLOW, { userId: bob.id }, alice);
    await ok(LIKE, { postId: photo }, carol);
    expect(actorsOf(await ok<NotificationsData>(NOTIFICATIONS, {}, alice)).sort()).toEqual([bob.id, carol.id].sort());
    expect(actorsOf(await ok<NotificationsData>(NOTIFICATIONS, {}, bob))).toEqual([alice.id]);

    await ok(BLOCK, { userId: bob.id }, alice);
    const alices = await ok<NotificationsData>(NOTIFICATIONS, {}, alice);
    expect(actorsOf(alices)).toEqual([carol.id]);
    expect(alices.unreadNotificationCount).toBe(1);
    const bobs = await ok<NotificationsData>(NOTIFICATIONS, {}, bob);
    expect(bobs).toMatchObject({ unreadNotificationCount: 0, notifications: { edges: [] } });
    await ok(UNBLOCK, { userId: bob.id }, alice);
  });

  it("feedEvents: neither hears of the other's posts while the block holds, both ways; an unblock lets them through", async () => {
    const alices = await stream(FEED_EVENTS, {}, alice);
    const bobs = await stream(FEED_EVENTS, {}, bob);
    await ok(BLOCK, { userId: alice.id }, bob);
    // Changes are sent in the order they came: a post that reached a stream would come before carol's.
    await post(bob, 'bob while blocked');
    await post(alice, 'alice while blocked');
    await post(carol, 'carol after both');
    expect(await nextCaptions(alices, 2)).toEqual(['alice while blocked', 'carol after both']);
    expect(await nextCaptions(bobs, 2)).toEqual(['bob while blocked', 'carol after both']);

    await ok(UNBLOCK, { userId: alice.id }, bob);
    await post(bob, 'bob after the unblock');
    expect(await nextCaptions(alices, 1)).toEqual(['bob after the unblock']);
    expect(await nextCaptions(bobs, 1)).toEqual(['bob after the unblock']);
  });

  it('notificationAdded: a stream open before the block hears nothing of the other after it (their likes are refused)', async () => {
    const photo = await post(carol, 'carol photo');
    const carols = await stream(NOTIFICATION_ADDED, {}, carol);
    await ok(BLOCK, { userId: bob.id }, carol);
    const refused = await server.gql(LIKE, { postId: photo }, bob.token);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await ok(LIKE, { postId: photo }, alice);
    const first = await carols.next<{ notificationAdded: { actor: { id: string } } }>();
    expect(first.data?.notificationAdded.actor.id).toBe(alice.id);
    await ok(UNBLOCK, { userId: bob.id }, carol);
  });

  it("postActivity on the other's post is NOT_FOUND while the block holds, and an open one stops hearing", async () => {
    const photo = await post(alice, 'watched');
    const watching = await stream(POST_ACTIVITY, { postId: photo }, bob);
    await ok(BLOCK, { userId: alice.id }, bob);
    const refused = await openSse(server.url, POST_ACTIVITY, { postId: photo }, { token: bob.token });
    open.push(refused);
    expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await refused.ended).toMatchObject({ complete: true });

    // Carol's like changes the counts: the open stream of bob, who blocks the author, does not hear it;
    // alice's own stream does.
    const alices = await stream(POST_ACTIVITY, { postId: photo }, alice);
    await ok(LIKE, { postId: photo }, carol);
    const counts = await alices.next<{ postActivity: { __typename: string; post: { likeCount: number } } }>();
    expect(counts.data?.postActivity).toMatchObject({ __typename: 'PostCountsChanged', post: { likeCount: 1 } });
    await ok(UNBLOCK, { userId: alice.id }, bob);
    await ok(LIKE, { postId: photo }, bob);
    // The first event bob's stream has is the one after the unblock: his own like.
    const after = await watching.next<{ postActivity: { __typename: string; post: { likeCount: number } } }>();
    expect(after.data?.postActivity).toMatchObject({ __typename: 'PostCountsChanged', post: { likeCount: 2 } });
  });
});
