// The limits of live streams on one instance: SUBSCRIPTIONS_MAX_PER_USER and _PER_INSTANCE (RATE_LIMITED,
// freed when a stream closes), depth and cost limits on subscription documents, a token expiring
// mid-stream, keep-alive comments, a client that stops reading dropped after SUBSCRIPTION_BUFFER_EVENTS
// without holding up the others, and streams that body timeouts and Connection: close leave alone.
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTokens } from '../src/infra/tokens.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { FEED_EVENTS } from './support/live.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { openSse, type SseStream } from './support/sse.ts';
import { uploadPost } from './support/upload.ts';

const codeOf = async (s: SseStream) => (await s.next()).errors?.[0]?.extensions?.code;

describe('live stream limits', () => {
  let server: TestServer;
  let users: TestUser[];
  const open: SseStream[] = [];
  const stream = async (...args: Parameters<typeof openSse> extends [unknown, ...infer R] ? R : never) => {
    const s = await openSse(server.url, ...args);
    open.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startTestServer({
      SUBSCRIPTIONS_MAX_PER_USER: '2',
      SUBSCRIPTIONS_MAX_PER_INSTANCE: '4',
      SUBSCRIPTION_BUFFER_EVENTS: '20',
      UPLOAD_TIMEOUT_SECONDS: '1',
    });
    users = [];
    for (let i = 0; i < 4; i += 1) users.push(await signUp(server));
  });
  afterEach(async () => {
    for (const s of open.splice(0)) s.close();
    await expect.poll(() => server.app.services.live.size).toBe(0);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('SUBSCRIPTIONS_MAX_PER_USER: the third stream of one account is RATE_LIMITED; closing one frees its place', async () => {
    const [first] = [await stream(FEED_EVENTS, {}, { token: users[0]!.token })];
    await stream(FEED_EVENTS, {}, { token: users[0]!.token });
    await expect.poll(() => server.app.services.live.size).toBe(2);
    const third = await stream(FEED_EVENTS, {}, { token: users[0]!.token });
    expect(await codeOf(third)).toBe('RATE_LIMITED');
    expect(await third.ended).toMatchObject({ complete: true });
    first!.close();
    await expect.poll(() => server.app.services.live.size).toBe(1);
    const again = await stream(FEED_EVENTS, {}, { token: users[0]!.token });
    await expect.poll(() => server.app.services.live.size).toBe(2);
    expect(again.events.filter((e) => e.event === 'next')).toEqual([]);
  });

  it('SUBSCRIPTIONS_MAX_PER_INSTANCE: past it, RATE_LIMITED for anyone', async () => {
    for (const user of users) await stream(FEED_EVENTS, {}, { token: user.token });
    await expect.poll(() => server.app.services.live.size).toBe(4);
    const extra = await stream(FEED_EVENTS, {}, { token: users[0]!.token });
    expect(await codeOf(extra)).toBe('RATE_LIMITED');
  });

  it('depth and cost limits apply to subscription documents, before anything opens', async () => {
    const deep = `subscription { feedEvents { ... on PostAdded { post { author { posts { edges { node { author {
      posts { edges { node { author { posts { edges { node { id } } } } } } } } } } } } } } } }`;
    const costly = `subscription { feedEvents { ... on PostAdded { post { likers(first: 50) { edges { node {
      followers(first: 50) { edges { node { followers(first: 50) { edges { node { id username } } } } } } } } } } } } }`;
    for (const document of [deep, costly]) {
      const s = await stream(document, {}, { token: users[1]!.token });
      expect(await codeOf(s)).toBe('BAD_USER_INPUT');
    }
    expect(server.app.services.live.size).toBe(0);
  });

  it('a token that expires mid-stream ends it at expiry with UNAUTHENTICATED', async () => {
    const user = users[2]!;
    const { jti } = jwt.decode(user.token) as { jti: string };
    const tokens = createTokens({ ...server.config.jwt, ...server.config.accountTokens });
    const shortLived = tokens.session.sign(user.dbId, jti, new Date(Date.now() + 1500));
    const s = await stream(FEED_EVENTS, {}, { token: shortLived });
    const started = Date.now();
    expect(await codeOf(s)).toBe('UNAUTHENTICATED');
    expect(await s.ended).toMatchObject({ complete: true });
    expect(Date.now() - started).toBeGreaterThan(500);
  });

  it('keep-alive comments come while nothing happens', async () => {
    const s = await stream(FEED_EVENTS, {}, { token: users[1]!.token });
    // yoga sends one every 12 s (300 ms under NODE_ENV=test, as here), and one at once.
    await expect.poll(() => s.comments.length, { timeout: 3000 }).toBeGreaterThanOrEqual(3);
  });

  it('a client that stops reading is dropped after its buffer; the others get every event in time', async () => {
    const author = users[3]!;
    const post = (await uploadPost(server.url, { token: author.token, caption: '📷'.repeat(2200) })).body.data!
      .uploadPost.id;
    // Each event is about 250 KB (2,200 four-byte characters, 28 times): the socket's buffers fill after a few dozen.
    const big = `subscription { feedEvents { ... on PostAdded { post { ${Array.from({ length: 28 }, (_, i) => `c${i}: caption`).join(' ')} } } } }`;
    const slow = await stream(big, {}, { token: users[0]!.token });
    const reader = await stream(FEED_EVENTS, {}, { token: users[1]!.token });
    await expect.poll(() => server.app.services.live.size).toBe(2);
    slow.pause();
    const { changes } = server.app.services;
    const postId = Buffer.from(post, 'base64').toString().split(':')[1]!;
    let sent = 0;
    while (server.app.services.live.size === 2 && sent < 1000) {
      // Ten at a time, and the reader gets all ten before the next ten, whatever the other does.
      for (let i = 0; i < 10; i += 1) await changes.publish({ type: 'post-added', postId, authorId: author.dbId });
      sent += 10;
      for (let i = 0; i < 10; i += 1) {
        expect((await reader.next(5000)).data).toMatchObject({ feedEvents: { post: { id: post } } });
      }
    }
    expect(server.app.services.live.size).toBe(1);
    expect(server.logs.some((line) => line.includes('client stopped reading'))).toBe(true);
    // Its connection was cut: read again, the client finds what was buffered, then no `complete`.
    slow.resume();
    expect(await slow.ended).toMatchObject({ complete: false });
    expect(slow.events.length).toBeLessThan(sent);
  });

  it('a stream outlives UPLOAD_TIMEOUT_SECONDS, and Connection: close does not cut it short', async () => {
    const s = await stream(FEED_EVENTS, {}, { token: users[2]!.token, headers: { connection: 'close' } });
    const get = await stream(
      FEED_EVENTS,
      {},
      { token: users[3]!.token, method: 'GET', headers: { connection: 'close' } },
    );
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await uploadPost(server.url, { token: users[0]!.token, caption: `late ${randomUUID()}` });
    expect((await s.next()).data).toMatchObject({ feedEvents: { __typename: 'PostAdded' } });
    expect((await get.next()).data).toMatchObject({ feedEvents: { __typename: 'PostAdded' } });
  });
});
