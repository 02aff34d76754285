// Live updates across instances: a post written on instance A reaches feedEvents streams open on
// instance B, through the change channel (PostgreSQL NOTIFY, or Redis beside a shared SQLite file),
// each instance reading the post it sends. Both shapes pinned, in every pass.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { newPostgresTestUrl } from '../support/database.ts';
import { FEED_EVENTS, NOTIFICATION_ADDED, POST_ACTIVITY } from '../support/live.ts';
import { newTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { ADD_COMMENT, FOLLOW, LIKE } from '../support/social.ts';
import { nothingWithin, openSse, type SseStream } from '../support/sse.ts';
import { uploadPost } from '../support/upload.ts';

describe.each([
  ['two instances sharing PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() })],
  [
    'two instances sharing a SQLite file and Redis',
    async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'shared.db')}` }),
  ],
] as const)('feedEvents with %s', (_shape, envOf) => {
  let a: TestServer;
  let b: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  const open: SseStream[] = [];

  beforeAll(async () => {
    const env = await envOf();
    a = await startTestServer(env, { instances: true });
    b = await startTestServer(env, { dir: a.dir, instances: true });
    alice = await signUp(a);
    bob = await signUp(a);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await b?.close();
    await a?.close();
  });

  it('a post written on A reaches streams on B within 500 ms, read there for each viewer; its removal too', async () => {
    const onB = await openSse(b.url, FEED_EVENTS, {}, { token: bob.token });
    const ownOnB = await openSse(b.url, FEED_EVENTS, { following: true }, { token: alice.token });
    const followingOnB = await openSse(b.url, FEED_EVENTS, { following: true }, { token: bob.token });
    open.push(onB, ownOnB, followingOnB);
    const res = await uploadPost(a.url, { token: alice.token, caption: 'from A' });
    const answered = performance.now();
    const id = res.body.data!.uploadPost.id;
    const added = await onB.next<{ feedEvents: { post: { id: string; isOwner: boolean } } }>();
    expect(performance.now() - answered).toBeLessThan(500);
    expect(added.data?.feedEvents.post).toMatchObject({ id, isOwner: false });
    expect((await ownOnB.next<{ feedEvents: { post: { isOwner: boolean } } }>()).data?.feedEvents.post.isOwner).toBe(
      true,
    );
    // Bob follows nobody: his following stream stays quiet.
    await nothingWithin(followingOnB, 300);

    expect(
      (await a.gql('mutation($id: ID!) { deletePost(id: $id) }', { id }, alice.token)).body.errors,
    ).toBeUndefined();
    expect((await onB.next()).data).toEqual({ feedEvents: { __typename: 'PostRemoved', id } });
  });

  it('following: true on B follows a follow made on A', async () => {
    const s = await openSse(b.url, FEED_EVENTS, { following: true }, { token: bob.token });
    open.push(s);
    expect((await a.gql(FOLLOW, { userId: alice.id }, bob.token)).body.errors).toBeUndefined();
    const id = (await uploadPost(a.url, { token: alice.token, caption: 'followed' })).body.data!.uploadPost.id;
    expect((await s.next<{ feedEvents: { post: { id: string } } }>()).data?.feedEvents.post.id).toBe(id);
  });

  it('a like and a comment on A: postActivity and notificationAdded on B, counts fresh there', async () => {
    const id = (await uploadPost(a.url, { token: alice.token, caption: 'watched' })).body.data!.uploadPost.id;
    const activity = await openSse(b.url, POST_ACTIVITY, { postId: id }, { token: bob.token });
    const notified = await openSse(b.url, NOTIFICATION_ADDED, {}, { token: alice.token });
    open.push(activity, notified);
    expect((await a.gql(LIKE, { postId: id }, bob.token)).body.errors).toBeUndefined();
    const counts = await activity.next<{ postActivity: { post: { likeCount: number } } }>(1000);
    expect(counts.data?.postActivity).toMatchObject({ __typename: 'PostCountsChanged', post: { likeCount: 1 } });
    const read = await b.gql<{ node: { likeCount: number } }>(
      'query($id: ID!) { node(id: $id) { ... on Post { likeCount } } }',
      { id },
      bob.token,
    );
    expect(read.body.data?.node.likeCount).toBeGreaterThanOrEqual(1);
    expect((await notified.next(1000)).data).toMatchObject({
      notificationAdded: { kind: 'LIKE', actor: { id: bob.id }, post: { id } },
    });
    expect((await a.gql(ADD_COMMENT, { postId: id, body: 'from A' }, bob.token)).body.errors).toBeUndefined();
    expect((await activity.next(1000)).data).toMatchObject({
      postActivity: { __typename: 'CommentAdded', comment: { body: 'from A' } },
    });
    expect((await notified.next(1000)).data).toMatchObject({ notificationAdded: { kind: 'COMMENT' } });
  });
});
