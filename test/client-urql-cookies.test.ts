// urql with cookie sessions instead of headers, against the real server: the client is handed a fetch
// that keeps the cookies the server sets and sends them back, as a browser does with credentials:
// 'include'. No token is ever in the client's hands. And a bearer client renewing its session.
import { Client, type CombinedError, fetchExchange } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from './clients/error-code.ts';
import { fixtureFile } from './clients/files.ts';
import {
  FeedQuery,
  LoginMutation,
  LogoutMutation,
  MeQuery,
  MySessionsQuery,
  RefreshSessionMutation,
  RegisterMutation,
  UploadPostMutation,
} from './clients/operations.ts';
import { cookieJar, SESSION_COOKIE } from './support/cookies.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const APP = 'http://app.example.test';
let server: TestServer;
let counter = 0;

beforeAll(async () => {
  server = await startTestServer({ CORS_ORIGINS: APP });
});
afterAll(() => server?.close());

/** urql as a web frontend configures it for cookie sessions: its page's origin, the preflight header, the jar. */
function cookieClient() {
  const jar = cookieJar();
  const client = new Client({
    url: `${server.url}/graphql`,
    exchanges: [fetchExchange],
    // In a browser: fetchOptions: { credentials: 'include' }. In Node, the jar plays the browser.
    fetch: jar.fetch,
    fetchOptions: () => ({ headers: { 'apollo-require-preflight': 'true', origin: APP } }),
  });
  return { client, jar };
}

const firstCode = (error: CombinedError | undefined) => codeOf(error?.graphQLErrors[0]);

async function newAccount(client: Client) {
  counter += 1;
  const username = `urqlc_${process.pid}_${counter}`;
  const account = { email: `${username}@example.com`, username, password: 'correct horse battery' };
  const registered = await client.mutation(RegisterMutation, { input: account }).toPromise();
  expect(registered.error).toBeUndefined();
  return account;
}

describe('urql with the session cookie', () => {
  it('signs in with transport COOKIE, reads me, uploads, pages the feed and signs out, never holding a token', async () => {
    const { client, jar } = cookieClient();
    const account = await newAccount(client);
    const login = await client
      .mutation(LoginMutation, { email: account.email, password: account.password, transport: 'COOKIE' })
      .toPromise();
    expect(login.error).toBeUndefined();
    expect(login.data!.login).toMatchObject({
      token: null,
      tokenType: 'cookie',
      transport: 'COOKIE',
      refreshToken: null,
    });
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(true);

    const me = await client.query(MeQuery, {}).toPromise();
    expect(me.data!.me).toMatchObject({ username: account.username });

    const { file } = await fixtureFile('photo.jpg', 'image/jpeg');
    const uploaded = await client.mutation(UploadPostMutation, { file, caption: 'by cookie' }).toPromise();
    expect(uploaded.error).toBeUndefined();
    expect(uploaded.data!.uploadPost).toMatchObject({ caption: 'by cookie', isOwner: true });
    const feed = await client.query(FeedQuery, { first: 5 }).toPromise();
    expect(feed.data!.feed.edges.map((edge) => edge.node.id)).toContain(uploaded.data!.uploadPost.id);

    const sessions = await client.query(MySessionsQuery, {}).toPromise();
    expect(sessions.data!.mySessions.filter((s) => s.current).map((s) => s.transport)).toEqual(['COOKIE']);

    const out = await client.mutation(LogoutMutation, {}).toPromise();
    expect(out.data!.logout).toBe(true);
    // The server cleared the cookie, so the jar dropped it.
    expect(jar.cookies.has(SESSION_COOKIE)).toBe(false);
    expect((await client.query(MeQuery, {}).toPromise()).data!.me).toBeNull();
    expect(firstCode((await client.query(FeedQuery, {}).toPromise()).error)).toBe('UNAUTHENTICATED');
  });

  it('is refused with CSRF_REJECTED when its mutations lack the preflight header', async () => {
    const { client, jar } = cookieClient();
    const account = await newAccount(client);
    await client.mutation(LoginMutation, { ...account, transport: 'COOKIE' }).toPromise();
    const bare = new Client({
      url: `${server.url}/graphql`,
      exchanges: [fetchExchange],
      fetch: jar.fetch,
      fetchOptions: () => ({ headers: { origin: APP } }),
    });
    const out = await bare.mutation(LogoutMutation, {}).toPromise();
    expect(firstCode(out.error)).toBe('CSRF_REJECTED');
    expect(out.error!.response.status).toBe(403);
    // Queries need no such header, and the session is still there.
    expect((await bare.query(MeQuery, {}).toPromise()).data!.me).toMatchObject({ username: account.username });
  });
});

describe('urql as a bearer client that lasts', () => {
  it('renews with refreshSession and keeps going on the new pair', async () => {
    const session: { token: string | null } = { token: null };
    const client = new Client({
      url: `${server.url}/graphql`,
      exchanges: [fetchExchange],
      fetchOptions: (): RequestInit => ({
        headers: session.token ? { authorization: `Bearer ${session.token}` } : {},
      }),
    });
    const account = await newAccount(client);
    const login = (await client.mutation(LoginMutation, account).toPromise()).data!.login;
    expect(login.transport).toBe('BEARER');
    session.token = login.token;
    const renewed = await client.mutation(RefreshSessionMutation, { refreshToken: login.refreshToken! }).toPromise();
    expect(renewed.error).toBeUndefined();
    session.token = renewed.data!.refreshSession.token;
    expect((await client.query(MeQuery, {}).toPromise()).data!.me).toMatchObject({ username: account.username });
    const again = await client.mutation(RefreshSessionMutation, { refreshToken: login.refreshToken! }).toPromise();
    expect(firstCode(again.error)).toBe('REFRESH_TOKEN_INVALID');
  });
});
