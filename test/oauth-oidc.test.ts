// Sign-in with an OpenID Connect provider, end to end against a real one on a loopback port
// (oauth2-mock-server): authorize, the provider, the callback, back to the frontend with a one-time code
// or the session cookie, and every way it can fail, each coming back as ?oauth_error=<ErrorCode>.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLETE_OAUTH as COMPLETE, MY_LINKED_PROVIDERS } from './operations/sessions.ts';
import { signUp } from './support/accounts.ts';
import { PREFLIGHT, SESSION_COOKIE } from './support/cookies.ts';
import { dbIdOf } from './support/ids.ts';
import { oauthBrowser, outcomeOf, TEST_APP_URL } from './support/oauth-browser.ts';
import { startOidcProvider, type TestOidcProvider } from './support/oidc-provider.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { signedIn } from './support/sessions.ts';
import { gqlTyped, rawGqlTyped } from './support/typed.ts';

let provider: TestOidcProvider;
let server: TestServer;
let counter = 0;

const oidcEnv = (issuer: string, extra: Record<string, string> = {}) => ({
  OAUTH_OIDC_ISSUER: issuer,
  OAUTH_OIDC_CLIENT_ID: 'photo-feed',
  OAUTH_OIDC_CLIENT_SECRET: 'photo-feed-secret',
  OAUTH_OIDC_NAME: 'Acme SSO',
  APP_URL: TEST_APP_URL,
  CORS_ORIGINS: TEST_APP_URL,
  ...extra,
});

beforeAll(async () => {
  provider = await startOidcProvider();
  server = await startTestServer(oidcEnv(provider.issuer));
});
afterAll(async () => {
  await server?.close();
  await provider?.stop();
});

/** A new person at the provider, with a verified email unless told otherwise. */
function person(overrides: Partial<{ email: string; email_verified: boolean; preferred_username: string }> = {}) {
  counter += 1;
  const name = `sso_${process.pid}_${counter}`;
  return {
    sub: `acme|${name}`,
    email: `${name}@acme.example`,
    email_verified: true,
    preferred_username: name,
    ...overrides,
  };
}

const authorizeUrl = (target: TestServer, query = 'redirect=/welcome') =>
  `${target.url}/auth/oauth/oidc/authorize${query ? `?${query}` : ''}`;

async function signIn(account: ReturnType<typeof person>, query?: string, target = server) {
  provider.signInAs(account);
  const browser = oauthBrowser();
  const navigation = await browser.navigate(authorizeUrl(target, query));
  return { browser, navigation, outcome: outcomeOf(navigation) };
}

const complete = (code: string, transport?: 'BEARER' | 'COOKIE', headers: Record<string, string> = {}) =>
  gqlTyped(server, COMPLETE, { code, ...(transport ? { transport } : {}) }, null, headers);

describe('authProviders', () => {
  it('lists the configured provider with its button name and absolute authorize URL', async () => {
    const res = await server.gql('{ authProviders { id name authorizeUrl } }');
    expect(res.body).toEqual({
      data: {
        authProviders: [{ id: 'oidc', name: 'Acme SSO', authorizeUrl: `${server.url}/auth/oauth/oidc/authorize` }],
      },
    });
  });

  it('is empty with no provider configured, and the routes answer 404', async () => {
    const bare = await startTestServer();
    try {
      expect((await bare.gql('{ authProviders { id } }')).body).toEqual({ data: { authProviders: [] } });
      for (const path of [
        '/auth/oauth/oidc/authorize',
        '/auth/oauth/oidc/callback?code=x&state=y',
        '/auth/oauth/google/authorize',
      ]) {
        const res = await fetch(`${bare.url}${path}`, { redirect: 'manual' });
        expect(res.status, path).toBe(404);
        expect(await res.json()).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
      }
    } finally {
      await bare.close();
    }
  });
});

describe('a sign-in with transport=code', () => {
  it('goes to the provider with state, PKCE (S256) and a nonce, holding the state in a cookie of its own', async () => {
    const res = await fetch(authorizeUrl(server), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(new URL(provider.issuer).origin);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: 'photo-feed',
      response_type: 'code',
      redirect_uri: `${server.url}/auth/oauth/oidc/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(location.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(location.searchParams.get('nonce')).toMatch(/^[\w-]{20,}$/);
    const state = location.searchParams.get('state')!;
    const cookie = res.headers.getSetCookie().find((line) => line.startsWith(`${SESSION_COOKIE}_oauth=`))!;
    expect(cookie).toBe(`${SESSION_COOKIE}_oauth=${state}; Max-Age=600; Path=/auth/oauth/; HttpOnly; SameSite=Lax`);
    // Kept server-side as a hash, with the verifier (never in the URL) and where to go back to.
    const row = await server.db.oAuthState.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(row).toMatchObject({ provider: 'oidc', redirectPath: '/welcome', transport: 'BEARER' });
    expect(row.id).not.toBe(state);
    expect(res.headers.get('location')).not.toContain(row.codeVerifier);
  });

  it('creates a verified account, comes back with a one-time code, and the code makes a session', async () => {
    const account = person();
    const { outcome, navigation } = await signIn(account);
    expect(outcome).toMatchObject({ origin: TEST_APP_URL, path: '/welcome', error: null });
    expect(outcome.code).toMatch(/^[\w-]{43}$/);
    // The state cookie is cleared on the way back.
    const last = navigation.hops.at(-1)!;
    expect(last.setCookies).toContain(`${SESSION_COOKIE}_oauth=; Max-Age=0; Path=/auth/oauth/; HttpOnly; SameSite=Lax`);

    const res = await complete(outcome.code!);
    expect(res.body.errors).toBeUndefined();
    const signedInAs = res.body.data!.completeOAuthSignIn;
    expect(signedInAs).toMatchObject({
      tokenType: 'bearer',
      transport: 'BEARER',
      user: { username: account.preferred_username, email: account.email, isVerified: true, linkedProviders: ['oidc'] },
    });
    expect(signedInAs.refreshToken).toBeTruthy();
    expect(await signedIn(server, signedInAs.token!)).toBe(true);
    const user = await server.db.user.findUniqueOrThrow({ where: { id: dbIdOf(signedInAs.user.id) } });
    expect(user.hasPassword).toBe(false);
    expect(await server.db.linkedAccount.findMany({ where: { userId: user.id } })).toEqual([
      expect.objectContaining({ provider: 'oidc', subject: account.sub, email: account.email }),
    ]);
  });

  it('takes the code once: a second exchange, or one after 60 s, is OAUTH_CODE_INVALID', async () => {
    const { outcome } = await signIn(person());
    expect((await complete(outcome.code!)).body.errors).toBeUndefined();
    const again = await complete(outcome.code!);
    expect(errorCode(again)).toBe('OAUTH_CODE_INVALID');

    const late = await signIn(person());
    await server.db.oAuthCode.updateMany({ data: { expiresAt: new Date(Date.now() - 1) } });
    expect(errorCode(await complete(late.outcome.code!))).toBe('OAUTH_CODE_INVALID');
    expect(errorCode(await complete('made-up'))).toBe('OAUTH_CODE_INVALID');
  });

  it('gives one session for one code sent on parallel connections', async () => {
    const { outcome } = await signIn(person());
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => rawGqlTyped(server.url, COMPLETE, { code: outcome.code! })),
    );
    const codes = answers.map((a) => a.body.errors?.[0]?.extensions?.code ?? 'OK');
    expect(codes.sort()).toEqual([
      'OAUTH_CODE_INVALID',
      'OAUTH_CODE_INVALID',
      'OAUTH_CODE_INVALID',
      'OAUTH_CODE_INVALID',
      'OK',
    ]);
  });

  it('signs in the same account again by its subject, whatever email the provider now says', async () => {
    const account = person();
    const first = (await complete((await signIn(account)).outcome.code!)).body.data!.completeOAuthSignIn.user;
    const changed = { ...account, email: `renamed_${account.email}`, email_verified: false };
    const second = (await complete((await signIn(changed)).outcome.code!)).body.data!.completeOAuthSignIn.user;
    expect(second.id).toBe(first.id);
    expect(await server.db.user.count({ where: { email: { endsWith: '@acme.example' }, id: dbIdOf(first.id) } })).toBe(
      1,
    );
  });

  it('links an existing account with the same email when the provider verified it (associate_by_email)', async () => {
    const existing = await signUp(server);
    expect((await server.db.user.findUniqueOrThrow({ where: { id: existing.dbId } })).isVerified).toBe(false);
    const before = await server.db.user.count();
    const { outcome } = await signIn(person({ email: existing.email.toUpperCase(), preferred_username: 'whatever' }));
    const user = (await complete(outcome.code!)).body.data!.completeOAuthSignIn.user;
    expect(user).toMatchObject({ id: existing.id, username: existing.username, linkedProviders: ['oidc'] });
    expect(await server.db.user.count()).toBe(before);
    // The provider proved the address; the password still works too.
    const row = await server.db.user.findUniqueOrThrow({ where: { id: existing.dbId } });
    expect(row).toMatchObject({ isVerified: true, hasPassword: true });
  });

  it('refuses an email the provider has not verified: OAUTH_EMAIL_NOT_VERIFIED, nothing linked or made', async () => {
    const existing = await signUp(server);
    const before = await server.db.user.count();
    for (const account of [
      person({ email: existing.email, email_verified: false }),
      person({ email_verified: false }),
      { sub: `acme|no-email-${counter}`, preferred_username: 'noemail' } as ReturnType<typeof person>,
    ]) {
      const { outcome } = await signIn(account);
      expect(outcome).toMatchObject({ path: '/welcome', error: 'OAUTH_EMAIL_NOT_VERIFIED', code: null });
    }
    expect(await server.db.user.count()).toBe(before);
    expect(await server.db.linkedAccount.count({ where: { userId: existing.dbId } })).toBe(0);
  });

  it('refuses a deactivated account, linked or matched by email: OAUTH_ACCOUNT_INACTIVE', async () => {
    const byEmail = await signUp(server);
    await server.db.user.update({ where: { id: byEmail.dbId }, data: { isActive: false } });
    expect(outcomeOf((await signIn(person({ email: byEmail.email }))).navigation).error).toBe('OAUTH_ACCOUNT_INACTIVE');

    const account = person();
    const code = (await signIn(account)).outcome.code!;
    const linked = (await complete(code)).body.data!.completeOAuthSignIn.user;
    await server.db.user.update({ where: { id: dbIdOf(linked.id) }, data: { isActive: false } });
    expect((await signIn(account)).outcome.error).toBe('OAUTH_ACCOUNT_INACTIVE');

    // Deactivated between the callback and the exchange.
    const racer = person();
    const pending = (await signIn(racer)).outcome.code!;
    await server.db.user.updateMany({ where: { email: racer.email }, data: { isActive: false } });
    expect(errorCode(await complete(pending))).toBe('OAUTH_ACCOUNT_INACTIVE');
  });

  it('reads the email from the userinfo endpoint when the ID token carries none', async () => {
    const account = person();
    provider.tamperOnce((payload) => {
      delete payload.email;
      delete payload.email_verified;
    });
    const { outcome } = await signIn(account);
    const user = (await complete(outcome.code!)).body.data!.completeOAuthSignIn.user;
    expect(user).toMatchObject({ email: account.email, isVerified: true });
  });

  it('makes usernames unique, and usable whatever the provider calls the person', async () => {
    // One after the other: the provider signs in one person at a time.
    const names: string[] = [];
    for (const preferred_username of ['Zoë Smith', 'zoë smith', 'x']) {
      const { outcome } = await signIn(person({ preferred_username }));
      names.push((await complete(outcome.code!)).body.data!.completeOAuthSignIn.user.username);
    }
    expect(names[0]).toMatch(/^zoe_smith(_\d+)?$/);
    expect(names[1]).toMatch(/^zoe_smith(_\d+)?$/);
    expect(names[0]).not.toBe(names[1]);
    expect(names[2]).toMatch(/^x_user(_\d+)?$/);
  });

  it('counts a new account against REGISTER_MAX_PER_IP', async () => {
    const limited = await startTestServer(oidcEnv(provider.issuer, { REGISTER_MAX_PER_IP: '1' }));
    try {
      expect((await signIn(person(), undefined, limited)).outcome.code).toBeTruthy();
      expect((await signIn(person(), undefined, limited)).outcome.error).toBe('RATE_LIMITED');
    } finally {
      await limited.close();
    }
  });
});

describe('a sign-in with transport=cookie', () => {
  it('comes back signed in by the session cookie, with no code and no token in any URL', async () => {
    const { outcome, navigation, browser } = await signIn(person(), 'redirect=/feed%3Ftab%3Dnew&transport=cookie');
    expect(outcome).toMatchObject({ path: '/feed', code: null, error: null });
    expect(outcome.url.searchParams.get('tab')).toBe('new');
    const cookie = browser.cookiesOf(new URL(server.url).host).get(SESSION_COOKIE)!;
    expect(cookie).toBeTruthy();
    const line = navigation.hops.at(-1)!.setCookies.find((l) => l.startsWith(`${SESSION_COOKIE}=`))!;
    expect(line).toMatch(/; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/);
    for (const hop of navigation.hops) expect(hop.location ?? '').not.toContain(cookie);
    const me = await gqlTyped(server, MY_LINKED_PROVIDERS, {}, null, {
      cookie: `${SESSION_COOKIE}=${cookie}`,
    });
    expect(me.body.data!.me!.linkedProviders).toEqual(['oidc']);
  });

  it('completeOAuthSignIn gives the cookie too, to a trusted page with the preflight header only', async () => {
    const { outcome } = await signIn(person());
    const refused = await complete(outcome.code!, 'COOKIE', { origin: 'https://evil.example', ...PREFLIGHT });
    expect(refused.status).toBe(403);
    expect(errorCode(refused)).toBe('CSRF_REJECTED');
    // Nothing ran: the code is still good.
    const res = await complete(outcome.code!, 'COOKIE', { origin: TEST_APP_URL, ...PREFLIGHT });
    expect(res.body.data!.completeOAuthSignIn).toMatchObject({ token: null, tokenType: 'cookie', refreshToken: null });
    expect(res.headers.getSetCookie().some((l) => l.startsWith(`${SESSION_COOKIE}=`))).toBe(true);
  });
});

describe('a sign-in that fails comes back with its code', () => {
  it.each([
    ['a redirect to another host', 'redirect=https://evil.example/'],
    ['a protocol-relative redirect', 'redirect=//evil.example/'],
    ['a backslash redirect', 'redirect=/%5Cevil.example'],
    ['a relative redirect', 'redirect=welcome'],
    ['an unknown transport', 'redirect=/welcome&transport=token'],
  ])('%s: BAD_USER_INPUT, on the frontend, never elsewhere', async (_label, query) => {
    const res = await fetch(authorizeUrl(server, query), { redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location')!);
    expect(location.origin).toBe(TEST_APP_URL);
    expect(location.searchParams.get('oauth_error')).toBe('BAD_USER_INPUT');
  });

  it('state missing, not this browser’s, or replayed: OAUTH_STATE_INVALID', async () => {
    provider.signInAs(person());
    const browser = oauthBrowser();
    const toProvider = (await fetch(authorizeUrl(server), { redirect: 'manual' })).headers.get('location')!;
    const atProvider = await fetch(toProvider, { redirect: 'manual' });
    const callback = atProvider.headers.get('location')!;
    const state = new URL(callback).searchParams.get('state')!;

    // Another browser (no state cookie) led to the callback: login CSRF.
    expect(outcomeOf(await browser.navigate(callback)).error).toBe('OAUTH_STATE_INVALID');
    // A cookie with another state.
    browser.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, 'x'.repeat(state.length));
    expect(outcomeOf(await browser.navigate(callback)).error).toBe('OAUTH_STATE_INVALID');
    // The browser that started: once.
    browser.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, state);
    expect(outcomeOf(await browser.navigate(callback)).code).toBeTruthy();
    browser.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, state);
    const replay = outcomeOf(await browser.navigate(callback));
    expect(replay).toMatchObject({ origin: TEST_APP_URL, error: 'OAUTH_STATE_INVALID', code: null });
    // No state at all.
    const noState = new URL(callback);
    noState.searchParams.delete('state');
    expect(outcomeOf(await browser.navigate(noState.href)).error).toBe('OAUTH_STATE_INVALID');
  });

  it('a state older than 10 minutes: OAUTH_STATE_INVALID', async () => {
    provider.signInAs(person());
    const browser = oauthBrowser();
    const start = await fetch(authorizeUrl(server), { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    browser.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, state);
    await server.db.oAuthState.updateMany({ data: { expiresAt: new Date(Date.now() - 1) } });
    expect(outcomeOf(await browser.navigate(start.headers.get('location')!)).error).toBe('OAUTH_STATE_INVALID');
  });

  it('the provider refuses (access_denied): OAUTH_PROVIDER_ERROR', async () => {
    provider.server.service.once('beforeAuthorizeRedirect', ({ url }: { url: URL }) => {
      url.searchParams.delete('code');
      url.searchParams.set('error', 'access_denied');
    });
    const { outcome } = await signIn(person());
    expect(outcome).toMatchObject({ path: '/welcome', error: 'OAUTH_PROVIDER_ERROR', code: null });
  });

  it('the provider’s code used twice, or refused at its token endpoint: OAUTH_PROVIDER_ERROR', async () => {
    // A first sign-in takes the provider's code; a second one, with its own state, presents it again.
    const account = person();
    provider.signInAs(account);
    const first = oauthBrowser();
    const navigation = await first.navigate(authorizeUrl(server));
    const providerCode = new URL(navigation.hops[1]!.location!).searchParams.get('code')!;
    const second = oauthBrowser();
    const start = await fetch(authorizeUrl(server), { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    second.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, state);
    const reused = await second.navigate(`${server.url}/auth/oauth/oidc/callback?code=${providerCode}&state=${state}`);
    expect(outcomeOf(reused).error).toBe('OAUTH_PROVIDER_ERROR');

    provider.server.service.once('beforeResponse', (response: { body: unknown; statusCode: number }) => {
      response.body = { error: 'invalid_grant' };
      response.statusCode = 400;
    });
    expect((await signIn(person())).outcome.error).toBe('OAUTH_PROVIDER_ERROR');
  });

  it.each([
    ['another nonce', (payload: Record<string, unknown>) => Object.assign(payload, { nonce: 'not-the-one-sent' })],
    ['another audience', (payload: Record<string, unknown>) => Object.assign(payload, { aud: 'another-client' })],
    ['another issuer', (payload: Record<string, unknown>) => Object.assign(payload, { iss: 'https://evil.example' })],
    ['an expired ID token', (payload: Record<string, unknown>) => Object.assign(payload, { exp: 1000 })],
  ])('an ID token with %s is refused by the library: OAUTH_PROVIDER_ERROR', async (_label, change) => {
    const before = await server.db.user.count();
    provider.tamperOnce(change);
    expect((await signIn(person())).outcome.error).toBe('OAUTH_PROVIDER_ERROR');
    expect(await server.db.user.count()).toBe(before);
  });

  it('the provider down, or slower than OAUTH_TIMEOUT_MS: OAUTH_PROVIDER_ERROR, in time', async () => {
    // A port nothing listens on, and a server that accepts and never answers.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const downPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const silent: Server = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const slowIssuer = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      for (const issuer of [`http://127.0.0.1:${downPort}`, slowIssuer]) {
        const target = await startTestServer(oidcEnv(issuer, { OAUTH_TIMEOUT_MS: '500' }));
        try {
          const started = performance.now();
          const res = await fetch(authorizeUrl(target), { redirect: 'manual' });
          const location = new URL(res.headers.get('location')!);
          expect(location.origin, issuer).toBe(TEST_APP_URL);
          expect(location.searchParams.get('oauth_error')).toBe('OAUTH_PROVIDER_ERROR');
          expect(performance.now() - started).toBeLessThan(5000);
          expect(target.logs.some((line) => line.includes('OAuth provider unreachable'))).toBe(true);
        } finally {
          await target.close();
        }
      }
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});

describe('the Google provider', () => {
  it('is an OpenID Connect provider with id google (its issuer pointed at the local provider)', async () => {
    const google = await startTestServer({
      OAUTH_GOOGLE_CLIENT_ID: 'google-client',
      OAUTH_GOOGLE_CLIENT_SECRET: 'google-secret',
      OAUTH_GOOGLE_ISSUER: provider.issuer,
      APP_URL: TEST_APP_URL,
    });
    try {
      const listed = await google.gql('{ authProviders { id name } }');
      expect(listed.body).toEqual({ data: { authProviders: [{ id: 'google', name: 'Google' }] } });
      provider.signInAs(person());
      const navigation = await oauthBrowser().navigate(`${google.url}/auth/oauth/google/authorize?redirect=/`);
      const code = outcomeOf(navigation).code!;
      const res = await gqlTyped(google, COMPLETE, { code });
      expect(res.body.data!.completeOAuthSignIn.user.linkedProviders).toEqual(['google']);
      // It is not the oidc route.
      expect((await fetch(`${google.url}/auth/oauth/oidc/authorize`, { redirect: 'manual' })).status).toBe(404);
    } finally {
      await google.close();
    }
  });
});
