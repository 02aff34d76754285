// feedEvents over real HTTP streams on one instance: yoga's SSE on /graphql (POST and GET) and the
// graphql-sse protocol's endpoint; UNAUTHENTICATED first for a stream without a viewer; PostAdded with
// the post readable, PostRemoved, and following: true keeping to followed accounts and the viewer's own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { loginWithCookie } from './support/cookies.ts';
import { FEED_EVENTS, type FeedEvent } from './support/live.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { FOLLOW } from './support/social.ts';
import { nothingWithin, openSse, type SseStream } from './support/sse.ts';
import { uploadPost } from './support/upload.ts';

const DELETE_POST = 'mutation($id: ID!) { deletePost(id: $id) }';

async function post(server: TestServer, user: TestUser, caption: string) {
  const res = await uploadPost(server.url, { token: user.token, caption });
  if (!res.body.data) throw new Error(JSON.stringify(res.body));
  return res.body.data.uploadPost.id;
}

describe('feedEvents on one instance', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  const open: SseStream[] = [];
  const stream = async (...args: Parameters<typeof openSse> extends [unknown, ...infer R] ? R : never) => {
    const s = await openSse(server.url, ...args);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer();
    [alice, bob, carol] = [await signUp(server), await signUp(server), await signUp(server)];
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await server?.close();
  });

  it('without a viewer, the first event is UNAUTHENTICATED and the stream ends', async () => {
    for (const token of [null, 'not-a-token']) {
      const s = await stream(FEED_EVENTS, {}, { token });
      expect(s.status).toBe(200);
      const first = await s.next();
      expect(first.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await s.ended).toMatchObject({ complete: true });
    }
  });

  it.each([
    ['POST /graphql', { method: 'POST', path: '/graphql' }],
    ['GET /graphql', { method: 'GET', path: '/graphql' }],
    ['POST /graphql/stream (graphql-sse)', { method: 'POST', path: '/graphql/stream' }],
  ] as const)('%s: PostAdded with the post readable, then PostRemoved', async (_name, transport) => {
    const s = await stream(FEED_EVENTS, {}, { token: bob.token, ...transport });
    expect(s.status).toBe(200);
    expect(String(s.headers['content-type'])).toMatch(/^text\/event-stream/);
    const id = await post(server, alice, 'live!');
    const added = await s.next<{ feedEvents: FeedEvent }>();
    expect(added.errors).toBeUndefined();
    expect(added.data?.feedEvents).toEqual({
      __typename: 'PostAdded',
      post: {
        id,
        caption: 'live!',
        isOwner: false,
        likeCount: 0,
        commentCount: 0,
        viewerHasLiked: false,
        author: { id: alice.id, username: alice.username },
      },
    });
    const deleted = await server.gql(DELETE_POST, { id }, alice.token);
    expect(deleted.body.errors).toBeUndefined();
    expect((await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toEqual({ __typename: 'PostRemoved', id });
  });

  it('the post is read for each viewer: isOwner is true on the author’s own stream only', async () => {
    const mine = await stream(FEED_EVENTS, {}, { token: alice.token });
    const theirs = await stream(FEED_EVENTS, {}, { token: bob.token });
    await post(server, alice, 'whose?');
    const [a, b] = await Promise.all([
      mine.next<{ feedEvents: FeedEvent }>(),
      theirs.next<{ feedEvents: FeedEvent }>(),
    ]);
    expect(a.data?.feedEvents).toMatchObject({ post: { isOwner: true } });
    expect(b.data?.feedEvents).toMatchObject({ post: { isOwner: false } });
  });

  it('following: true: posts of followed accounts and the viewer’s own, not others', async () => {
    const s = await stream(FEED_EVENTS, { following: true }, { token: carol.token });
    expect((await server.gql(FOLLOW, { userId: alice.id }, carol.token)).body.errors).toBeUndefined();
    await post(server, bob, 'not followed');
    const followed = await post(server, alice, 'followed');
    const own = await post(server, carol, 'own');
    expect((await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toMatchObject({ post: { id: followed } });
    expect((await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toMatchObject({ post: { id: own } });
    await nothingWithin(s, 200);
  });

  it('following: true hears PostRemoved when a followed author deletes their account (the follow goes with it)', async () => {
    const leaving = await signUp(server);
    expect((await server.gql(FOLLOW, { userId: leaving.id }, carol.token)).body.errors).toBeUndefined();
    const s = await stream(FEED_EVENTS, { following: true }, { token: carol.token });
    const id = await post(server, leaving, 'soon gone');
    expect((await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toMatchObject({ post: { id } });
    const gone = await server.gql(
      'mutation($p: String!) { deleteMe(password: $p) }',
      { p: leaving.password },
      leaving.token,
    );
    expect(gone.body.errors).toBeUndefined();
    expect((await s.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toEqual({ __typename: 'PostRemoved', id });
  });

  it('a client that leaves frees its stream', async () => {
    const s = await stream(FEED_EVENTS, {}, { token: bob.token });
    await post(server, alice, 'before leaving');
    await s.next();
    const before = server.app.services.live.size;
    s.close();
    await expect.poll(() => server.app.services.live.size).toBe(before - 1);
  });

  it('the session cookie signs a stream from a trusted page; from another site it is refused before anything opens', async () => {
    const { cookie } = await loginWithCookie(server, bob);
    const own = await stream(FEED_EVENTS, {}, { headers: { cookie, origin: new URL(server.url).origin } });
    expect(own.status).toBe(200);
    await post(server, alice, 'for the cookie');
    expect((await own.next<{ feedEvents: FeedEvent }>()).data?.feedEvents).toMatchObject({ __typename: 'PostAdded' });
    const before = server.app.services.live.size;
    for (const method of ['POST', 'GET'] as const) {
      const evil = await stream(FEED_EVENTS, {}, { method, headers: { cookie, origin: 'https://evil.example' } });
      expect(evil.status).toBe(403);
      expect(await evil.ended).toMatchObject({ complete: false });
    }
    expect(server.app.services.live.size).toBe(before);
  });
});
