// Cookie sessions: login with transport COOKIE sets an HttpOnly cookie that signs later requests; the
// CSRF rule for what it signs (trusted origin, and the preflight header on mutations); CORS credentials
// only for listed origins; sliding renewal up to the absolute cap. The real server over HTTP.
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LOGIN_TRANSPORT_NULL,
  LOGIN_TRANSPORT_OMITTED,
  LOGOUT,
  SESSION_USER as ME,
  MY_SESSIONS,
  REVOKE_SESSION,
  SET_BIO_ONLY as SET_BIO,
} from './operations/sessions.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { LOGIN_COOKIE, loginWithCookie, PREFLIGHT, SESSION_COOKIE, sessionSetCookie } from './support/cookies.ts';
import { rawRequest } from './support/http.ts';
import { dbIdOf } from './support/ids.ts';
import {
  errorCode,
  filesUnder,
  PRODUCTION,
  startTestServer,
  TEST_JWT_SECRET,
  type TestServer,
} from './support/server.ts';
import { sessionIdOf } from './support/sessions.ts';
import { gqlTyped, textOf } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

const APP = 'http://app.example.test:5173';
const DAY = 86_400;

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  // Many sign-ins to one account here: only the rules under test may refuse them.
  server = await startTestServer({ CORS_ORIGINS: APP, LOGIN_MAX_PER_MINUTE: '1000' });
  alice = await signUp(server);
});
afterAll(() => server?.close());

const me = async (headers: Record<string, string>, target = server) =>
  (await gqlTyped(target, ME, {}, null, headers)).body.data?.me ?? null;
const bioOf = async (user: TestUser) =>
  (await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).bio ?? null;

describe('login with transport COOKIE', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie for the whole site, and answers no token', async () => {
    const before = Date.now();
    const { res, set } = await loginWithCookie(server, alice, { origin: APP });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toMatchObject({
      login: { token: null, tokenType: 'cookie', transport: 'COOKIE', refreshToken: null, refreshExpiresAt: null },
    });
    expect(set.name).toBe(SESSION_COOKIE);
    expect(set.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    // Not Secure outside production, and host-only without SESSION_COOKIE_DOMAIN.
    expect(set.attributes.secure).toBeUndefined();
    expect(set.attributes.domain).toBeUndefined();
    // Max-Age is the session's lifetime (SESSION_COOKIE_LIFETIME_SECONDS), and expiresAt says the same.
    const maxAge = Number(set.attributes['max-age']);
    expect(maxAge).toBeGreaterThan(7 * DAY - 5);
    expect(maxAge).toBeLessThanOrEqual(7 * DAY);
    const expiresAt = new Date(res.body.data!.login.expiresAt).getTime();
    expect(Math.abs(expiresAt - (before + maxAge * 1000))).toBeLessThan(5000);
    // The page's origin may read the answer, with credentials.
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('is BEARER when transport is left out or null', async () => {
    for (const [transport, document] of [
      ['', LOGIN_TRANSPORT_OMITTED],
      [', transport: null', LOGIN_TRANSPORT_NULL],
    ] as const) {
      const res = await gqlTyped(server, document, { e: alice.email, p: alice.password });
      expect(res.body.data!.login.transport, transport).toBe('BEARER');
      expect(res.body.data!.login.token).toMatch(/^ey/);
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    }
  });

  it('signs in the requests that carry the cookie, as one of the viewer’s sessions', async () => {
    const { cookie, set } = await loginWithCookie(server, alice, { 'user-agent': 'Firefox/135' });
    expect(await me({ cookie })).toMatchObject({ id: alice.id });
    const sessions = await gqlTyped(server, MY_SESSIONS, {}, null, { cookie });
    expect(sessions.body.data!.mySessions.filter((s) => s.current)).toEqual([
      { transport: 'COOKIE', current: true, userAgent: 'Firefox/135' },
    ]);
    const row = await server.db.session.findUniqueOrThrow({ where: { id: sessionIdOf(set.value) } });
    expect(row.transport).toBe('COOKIE');
  });

  it('uses SESSION_COOKIE_NAME and SESSION_COOKIE_DOMAIN, and is Secure in production', async () => {
    const prod = await startTestServer({
      ...PRODUCTION,
      SESSION_COOKIE_NAME: '__Secure-sid',
      SESSION_COOKIE_DOMAIN: 'example.test',
      CORS_ORIGINS: APP,
    });
    try {
      const user = await signUp(prod);
      const res = await gqlTyped(prod, LOGIN_COOKIE, { email: user.email, password: user.password }, null, PREFLIGHT);
      const set = sessionSetCookie(res.headers, '__Secure-sid')!;
      expect(set.attributes).toMatchObject({ secure: true, domain: 'example.test', httponly: true, samesite: 'Lax' });
      expect(await me({ cookie: `__Secure-sid=${set.value}` }, prod)).toMatchObject({ id: user.id });
      // The default name means nothing there.
      expect(await me({ cookie: `${SESSION_COOKIE}=${set.value}` }, prod)).toBeNull();
    } finally {
      await prod.close();
    }
  });

  it('prefers the Authorization header when a request carries both', async () => {
    const bob = await signUp(server);
    const { cookie } = await loginWithCookie(server, alice);
    expect(await me({ cookie, authorization: `Bearer ${bob.token}` })).toMatchObject({ id: bob.id });
    // Signed by the header, the request is no cookie request: an untrusted Origin is no CSRF.
    expect(await me({ cookie, authorization: `Bearer ${bob.token}`, origin: 'https://evil.example' })).toMatchObject({
      id: bob.id,
    });
    // A header that is no bearer token signs nothing, and the cookie does not step in.
    expect(await me({ cookie, authorization: 'Basic Zm9vOmJhcg==' })).toBeNull();
  });

  it('is refused before the password is checked when asked from an untrusted page, or without a preflight header', async () => {
    const user = await signUp(server);
    const sessionsBefore = await server.db.session.count({ where: { userId: user.dbId } });
    const variables = { email: user.email, password: user.password };
    const attempts: Record<string, string>[] = [{ ...PREFLIGHT, origin: 'https://evil.example' }, { origin: APP }, {}];
    for (const headers of attempts) {
      const res = await gqlTyped(server, LOGIN_COOKIE, variables, null, headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(errorCode(res)).toBe('CSRF_REJECTED');
      expect(sessionSetCookie(res.headers)).toBeUndefined();
    }
    expect(await server.db.session.count({ where: { userId: user.dbId } })).toBe(sessionsBefore);
    // A wrong password from there gets the same refusal: no password is checked.
    const wrong = await gqlTyped(server, LOGIN_COOKIE, { ...variables, password: 'wrong password' }, null, {
      origin: 'https://evil.example',
      ...PREFLIGHT,
    });
    expect(errorCode(wrong)).toBe('CSRF_REJECTED');
  });
});

describe('logout with the cookie', () => {
  it('ends the session and clears the cookie', async () => {
    const { cookie, set } = await loginWithCookie(server, alice);
    const res = await gqlTyped(server, LOGOUT, {}, null, { cookie, ...PREFLIGHT, origin: APP });
    expect(res.body.data).toEqual({ logout: true });
    const cleared = sessionSetCookie(res.headers)!;
    expect(cleared).toMatchObject({ value: '', attributes: { 'max-age': '0', path: '/', httponly: true } });
    expect(await server.db.session.count({ where: { id: sessionIdOf(set.value) } })).toBe(0);
    // A browser that kept it anyway is signed out, and told again to drop it.
    const again = await gqlTyped(server, ME, {}, null, { cookie });
    expect(again.body.data!.me).toBeNull();
    expect(sessionSetCookie(again.headers)?.attributes['max-age']).toBe('0');
  });

  it('revokeSession of the current cookie session clears the cookie too', async () => {
    const { cookie, set } = await loginWithCookie(server, alice);
    const id = Buffer.from(`Session:${sessionIdOf(set.value)}`).toString('base64');
    const res = await gqlTyped(server, REVOKE_SESSION, { id }, null, {
      cookie,
      ...PREFLIGHT,
    });
    expect(res.body.data).toEqual({ revokeSession: true });
    expect(sessionSetCookie(res.headers)?.attributes['max-age']).toBe('0');
    expect(await me({ cookie })).toBeNull();
  });
});

describe('CSRF: what the cookie signs', () => {
  it.each([
    ['an Origin listed in CORS_ORIGINS', { origin: APP }],
    ["the API's own origin", () => ({ origin: new URL(server.url).origin })],
    ['a listed Referer when there is no Origin', { referer: `${APP}/feed?tab=new` }],
    ['neither Origin nor Referer (curl, a same-site navigation)', {}],
  ])('signs a query from %s', async (_label, extra) => {
    const { cookie } = await loginWithCookie(server, alice);
    const headers = typeof extra === 'function' ? extra() : extra;
    expect(await me({ cookie, ...headers })).toMatchObject({ id: alice.id });
  });

  it('signs a query from the Host it was sent to (a dev server proxying /graphql keeps the page’s Host)', async () => {
    const { cookie } = await loginWithCookie(server, alice);
    const res = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json', cookie, origin: 'http://localhost:5173', host: 'localhost:5173' },
      body: JSON.stringify({ query: textOf(ME) }),
    });
    expect(res.json).toEqual({ data: { me: { id: alice.id, username: alice.username } } });
  });

  it.each([
    ['an unlisted Origin', { origin: 'https://evil.example' }],
    ['an unlisted Origin with a listed Referer', { origin: 'https://evil.example', referer: `${APP}/` }],
    ['an unlisted Referer without Origin', { referer: 'https://evil.example/page' }],
    ['Origin null (a sandboxed frame, a file)', { origin: 'null' }],
    ['a Referer that is no URL', { referer: 'not a url' }],
    ['another port of a listed host', { origin: 'http://app.example.test:8080' }],
  ])('refuses everything from %s with 403 CSRF_REJECTED, and runs nothing', async (_label, headers) => {
    const user = await signUp(server);
    const { cookie } = await loginWithCookie(server, user);
    const query = await gqlTyped(server, ME, {}, null, { cookie, ...headers });
    expect(query.status).toBe(403);
    expect(errorCode(query)).toBe('CSRF_REJECTED');
    expect(query.body.data).toBeUndefined();
    const mutation = await gqlTyped(server, SET_BIO, { bio: 'pwned' }, null, { cookie, ...PREFLIGHT, ...headers });
    expect(mutation.status).toBe(403);
    expect(errorCode(mutation)).toBe('CSRF_REJECTED');
    expect(await bioOf(user)).toBeNull();
    // CORS does not let that page read the refusal either.
    expect(query.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('refuses a mutation the cookie signs without a preflight header, and runs it with one', async () => {
    const user = await signUp(server);
    const { cookie } = await loginWithCookie(server, user);
    const attempts: Record<string, string>[] = [{}, { origin: APP }];
    for (const headers of attempts) {
      const refused = await gqlTyped(server, SET_BIO, { bio: 'no header' }, null, { cookie, ...headers });
      expect(refused.status).toBe(403);
      expect(errorCode(refused)).toBe('CSRF_REJECTED');
      expect(await bioOf(user)).toBeNull();
    }
    const ran = await gqlTyped(server, SET_BIO, { bio: 'with header' }, null, { cookie, origin: APP, ...PREFLIGHT });
    expect(ran.body).toEqual({ data: { updateMe: { bio: 'with header' } } });
    // A bearer client needs no such header: nothing sends its token by itself.
    const bearer = await gqlTyped(server, SET_BIO, { bio: 'bearer' }, user.token);
    expect(bearer.body.errors).toBeUndefined();
  });

  it('refuses an upload the cookie signs from an untrusted page before storing a byte', async () => {
    const user = await signUp(server);
    const { cookie } = await loginWithCookie(server, user);
    const before = await server.db.post.count();
    const refused = await uploadPost(server.url, { headers: { cookie, origin: 'https://evil.example' } });
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe('CSRF_REJECTED');
    expect(await server.db.post.count()).toBe(before);
    // And with the cookie from the app, it is stored as the cookie's user.
    const stored = await uploadPost(server.url, { headers: { cookie, origin: APP } });
    expect(stored.body.errors).toBeUndefined();
    const post = await server.db.post.findUniqueOrThrow({ where: { id: dbIdOf(stored.body.data!.uploadPost.id) } });
    expect(post.authorId).toBe(user.dbId);
    expect((await filesUnder(server.config.uploadDir)).length).toBe(await server.db.post.count());
  });

  it('runs no mutation over GET, cookie or not', async () => {
    const { cookie } = await loginWithCookie(server, alice);
    const res = await rawRequest(server.url, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('mutation { logout }')}`,
      headers: { cookie, accept: 'application/json', ...PREFLIGHT },
    });
    // yoga refuses it before it runs, as without the cookie (BAD_REQUEST is always HTTP 400 here).
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({
      errors: [{ message: 'Can only perform a mutation operation from a POST request.' }],
    });
    expect(await me({ cookie })).toMatchObject({ id: alice.id });
  });

  it('trusts no origin with the cookie under CORS_ORIGINS=* (the development default)', async () => {
    const open = await startTestServer();
    try {
      const user = await signUp(open);
      const { cookie } = await loginWithCookie(open, user);
      const res = await gqlTyped(open, ME, {}, null, { cookie, origin: 'http://localhost:5173' });
      expect(errorCode(res)).toBe('CSRF_REJECTED');
      expect(await me({ cookie }, open)).toMatchObject({ id: user.id });
    } finally {
      await open.close();
    }
  });
});

describe('CORS with credentials', () => {
  const preflight = (target: TestServer, origin: string) =>
    rawRequest(target.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, apollo-require-preflight',
      },
    });

  it('allows credentials for a listed origin only, never for an unlisted one', async () => {
    const listed = await preflight(server, APP);
    expect(listed.status).toBe(204);
    expect(listed.headers['access-control-allow-origin']).toBe(APP);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
    const unlisted = await preflight(server, 'https://evil.example');
    expect(unlisted.headers['access-control-allow-origin']).toBeUndefined();
    expect(unlisted.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('reflects any origin without credentials under CORS_ORIGINS=*', async () => {
    const open = await startTestServer({ CORS_ORIGINS: '*' });
    try {
      const answer = await preflight(open, 'https://anywhere.example');
      expect(answer.headers['access-control-allow-origin']).toBe('https://anywhere.example');
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('sliding cookie sessions', () => {
  /** A cookie for an existing cookie session whose token expires `secondsLeft` from now, as one issued earlier would. */
  function cookieExpiringIn(user: TestUser, sessionId: string, secondsLeft: number) {
    const token = jwt.sign(
      { sub: user.dbId, jti: sessionId, exp: Math.floor(Date.now() / 1000) + secondsLeft },
      TEST_JWT_SECRET,
      { algorithm: 'HS256', issuer: 'photo-feed-api', audience: 'photo-feed-api:auth' },
    );
    return `${SESSION_COOKIE}=${token}`;
  }

  async function cookieSession(
    user: TestUser,
    { secondsLeft, absoluteInSeconds = 30 * DAY }: { secondsLeft: number; absoluteInSeconds?: number },
  ) {
    const { set } = await loginWithCookie(server, user);
    const id = sessionIdOf(set.value);
    await server.db.session.update({
      where: { id },
      data: {
        expiresAt: new Date(Date.now() + secondsLeft * 1000),
        absoluteExpiresAt: new Date(Math.floor(Date.now() / 1000) * 1000 + absoluteInSeconds * 1000),
      },
    });
    return { id, cookie: cookieExpiringIn(user, id, secondsLeft) };
  }

  it('leaves a session in the first half of its life alone', async () => {
    const { cookie } = await cookieSession(alice, { secondsLeft: 5 * DAY });
    const res = await gqlTyped(server, ME, {}, null, { cookie });
    expect(res.body.data!.me).toMatchObject({ id: alice.id });
    expect(sessionSetCookie(res.headers)).toBeUndefined();
  });

  it('renews a session in its second half: a new cookie for the full lifetime, and the row moved on', async () => {
    const { id, cookie } = await cookieSession(alice, { secondsLeft: 3 * DAY });
    const res = await gqlTyped(server, ME, {}, null, { cookie });
    expect(res.body.data!.me).toMatchObject({ id: alice.id });
    const renewed = sessionSetCookie(res.headers)!;
    expect(Number(renewed.attributes['max-age'])).toBeGreaterThan(7 * DAY - 5);
    expect(renewed.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    const row = await server.db.session.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * DAY * 1000 - 5000);
    // The renewed cookie is of the same session, and works.
    expect(sessionIdOf(renewed.value)).toBe(id);
    const next = await gqlTyped(server, ME, {}, null, { cookie: `${SESSION_COOKIE}=${renewed.value}` });
    expect(next.body.data!.me).toMatchObject({ id: alice.id });
    expect(sessionSetCookie(next.headers)).toBeUndefined();
  });

  it('never renews past the absolute cap (SESSION_ABSOLUTE_LIFETIME_SECONDS)', async () => {
    const { id, cookie } = await cookieSession(alice, { secondsLeft: 2 * 3600, absoluteInSeconds: DAY });
    const res = await gqlTyped(server, ME, {}, null, { cookie });
    const renewed = sessionSetCookie(res.headers)!;
    const maxAge = Number(renewed.attributes['max-age']);
    expect(maxAge).toBeGreaterThan(DAY - 5);
    expect(maxAge).toBeLessThanOrEqual(DAY);
    const row = await server.db.session.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime()).toBe(row.absoluteExpiresAt.getTime());
    // At the cap there is nothing left to renew: no new cookie, and at the cap the session ends.
    const capped = await gqlTyped(server, ME, {}, null, { cookie: `${SESSION_COOKIE}=${renewed.value}` });
    expect(sessionSetCookie(capped.headers)).toBeUndefined();
  });

  it('never brings back a session that ended', async () => {
    const { id, cookie } = await cookieSession(alice, { secondsLeft: 3600 });
    await server.db.session.delete({ where: { id } });
    await server.wroteBehindTheApp();
    const res = await gqlTyped(server, ME, {}, null, { cookie });
    expect(res.body.data!.me).toBeNull();
    expect(sessionSetCookie(res.headers)?.attributes['max-age']).toBe('0');
    expect(await server.db.session.count({ where: { id } })).toBe(0);
  });

  it('does not slide a bearer session, whatever carries its token', async () => {
    const pairId = randomUUID();
    const expiresAt = new Date(Date.now() + 3600_000);
    await server.db.session.create({
      data: { id: pairId, userId: alice.dbId, transport: 'BEARER', expiresAt, absoluteExpiresAt: expiresAt },
    });
    const res = await gqlTyped(server, ME, {}, null, { cookie: cookieExpiringIn(alice, pairId, 3000) });
    expect(res.body.data!.me).toMatchObject({ id: alice.id });
    expect(sessionSetCookie(res.headers)).toBeUndefined();
  });
});
