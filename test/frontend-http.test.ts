// What a browser on another origin sees: CORS on every answer (early refusals and media included),
// refusals as GraphQL error bodies, and fields that never wipe a whole list over one odd argument.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { startFakeImageKit } from './support/fake-imagekit.ts';
import { PRODUCTION, startTestServer, type TestServer } from './support/server.ts';
import { multipartBody, uploadPost } from './support/upload.ts';

const APP = 'https://app.example.com';

describe('CORS with CORS_ORIGINS set', () => {
  let server: TestServer;
  let alice: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ CORS_ORIGINS: `${APP}, http://localhost:5173` });
    alice = await signUp(server);
  });
  afterAll(() => server?.close());

  const post = (headers: Record<string, string>, body: BodyInit) =>
    fetch(`${server.url}/graphql`, { method: 'POST', headers: { origin: APP, ...headers }, body });

  it('answers a preflight from an allowed origin, with the headers clients send', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, apollo-require-preflight',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/apollo-require-preflight/);
  });

  it('puts the CORS headers, x-request-id exposed, on GraphQL answers', async () => {
    const res = await post(
      { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      JSON.stringify({ query: '{ me { id } }' }),
    );
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it.each([
    ['the CSRF refusal (403)', async () => post({}, await multipartBody({})), 403, 'CSRF_HEADER_REQUIRED'],
    [
      'a body over MAX_JSON_BYTES (413)',
      async () =>
        post(
          { 'content-type': 'application/json' },
          JSON.stringify({ query: `{ me { id } } #${'x'.repeat(1_100_000)}` }),
        ),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a broken multipart body (400)',
      async () =>
        post(
          { 'content-type': 'multipart/form-data; boundary=x', 'apollo-require-preflight': 'true' },
          '--x\r\nbroken',
        ),
      400,
      'BAD_REQUEST',
    ],
  ])('puts them on %s too, as a GraphQL error body', async (_label, send, status, code) => {
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect((await res.json()).errors[0].extensions.code).toBe(code);
  });

  it('puts them on /media, so pages can fetch media, not only show it', async () => {
    const posted = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost;
    const res = await fetch(posted.url, { headers: { origin: APP } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('gives an origin not on the list no CORS headers', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://evil.example.net', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS defaults', () => {
  const allowOriginOf = async (server: TestServer) =>
    (
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      })
    ).headers.get('access-control-allow-origin');

  it('allow any origin outside production, and none in production', async () => {
    const development = await startTestServer({ NODE_ENV: 'development' });
    const production = await startTestServer(PRODUCTION);
    try {
      expect(await allowOriginOf(development)).toBe('http://localhost:3000');
      expect(await allowOriginOf(production)).toBeNull();
    } finally {
      await development.close();
      await production.close();
    }
  });
});

describe('Post fields', () => {
  it('clamp a resize to 1..4096 instead of failing, so one odd argument never wipes the feed', async () => {
    const fake = await startFakeImageKit();
    const server = await startTestServer(fake.env());
    try {
      const alice = await signUp(server);
      const posted = (await uploadPost(server.url, { token: alice.token })).body.data!.uploadPost;
      const res = await server.gql<{ feed: { edges: { node: { big: string; tiny: string } }[] } }>(
        '{ feed { edges { node { big: url(width: 5000) tiny: url(width: 0, height: -3) } } } }',
        {},
        alice.token,
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.feed.edges[0]!.node).toEqual({
        big: `${posted.url}?tr=w-4096`,
        tiny: `${posted.url}?tr=w-1,h-1`,
      });
    } finally {
      await server.close();
      await fake.close();
    }
  });

  it('give a local video its poster frame as thumbnail, and a small local image itself', async () => {
    const server = await startTestServer();
    try {
      const alice = await signUp(server);
      const thumbnail = async (fixture: string) => {
        const { id } = (await uploadPost(server.url, { token: alice.token, fixture })).body.data!.uploadPost;
        const res = await server.gql<{ post: { url: string; thumbnailUrl: string | null } }>(
          'query($id: ID!) { post(id: $id) { url thumbnailUrl } }',
          { id },
          alice.token,
        );
        return res.body.data!.post;
      };
      // The JPEG made at upload (test/media.test.ts checks its pixels).
      expect((await thumbnail('clip.mp4')).thumbnailUrl).toMatch(/\.poster\.jpg$/);
      // 32 pixels wide fits the 480 box: no rendition, the original.
      const image = await thumbnail('photo.jpg');
      expect(image.thumbnailUrl).toBe(image.url);
    } finally {
      await server.close();
    }
  });
});
