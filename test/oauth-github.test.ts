// Sign-in with GitHub, which speaks plain OAuth 2 (no ID token): against a local fake of its endpoints
// (authorize, access_token, /user, /user/emails) that checks the client secret, the redirect URI and
// the PKCE verifier, and answers bad codes with HTTP 200 and an error body as GitHub does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './support/cookies.ts';
import { type FakeGitHub, startFakeGitHub } from './support/fake-github.ts';
import { oauthBrowser, outcomeOf, TEST_APP_URL } from './support/oauth-browser.ts';
import { startTestServer, type TestServer } from './support/server.ts';

const COMPLETE = /* GraphQL */ `
  mutation Complete($code: String!) {
    completeOAuthSignIn(code: $code) { token user { username email isVerified linkedProviders } }
  }
`;
type CompleteData = {
  completeOAuthSignIn: {
    token: string;
    user: { username: string; email: string; isVerified: boolean; linkedProviders: string[] };
  };
};

let github: FakeGitHub;
let server: TestServer;
let counter = 0;

beforeAll(async () => {
  github = await startFakeGitHub();
  server = await startTestServer({
    OAUTH_GITHUB_CLIENT_ID: github.clientId,
    OAUTH_GITHUB_CLIENT_SECRET: github.clientSecret,
    OAUTH_GITHUB_URL: github.url,
    OAUTH_GITHUB_API_URL: github.url,
    OAUTH_TIMEOUT_MS: '500',
    APP_URL: TEST_APP_URL,
  });
});
afterAll(async () => {
  await server?.close();
  await github?.stop();
});

function octocat(verified = true) {
  counter += 1;
  const login = `Octo-Cat${counter}`;
  return {
    id: 1000 + counter,
    login,
    emails: [
      { email: `${login.toLowerCase()}@users.noreply.github.com`, primary: false, verified: true, visibility: null },
      { email: `${login.toLowerCase()}@example.com`, primary: true, verified, visibility: 'private' },
    ],
  };
}

async function signIn(account: ReturnType<typeof octocat>) {
  github.signInAs(account);
  const navigation = await oauthBrowser().navigate(`${server.url}/auth/oauth/github/authorize?redirect=/home`);
  return { navigation, outcome: outcomeOf(navigation) };
}

describe('sign-in with GitHub', () => {
  it('is listed, and goes to GitHub with state and PKCE, asking for the profile and the emails', async () => {
    const listed = await server.gql('{ authProviders { id name authorizeUrl } }');
    expect(listed.body).toEqual({
      data: {
        authProviders: [{ id: 'github', name: 'GitHub', authorizeUrl: `${server.url}/auth/oauth/github/authorize` }],
      },
    });
    const res = await fetch(`${server.url}/auth/oauth/github/authorize`, { redirect: 'manual' });
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${github.url}/login/oauth/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      client_id: github.clientId,
      redirect_uri: `${server.url}/auth/oauth/github/callback`,
      scope: 'read:user user:email',
      code_challenge_method: 'S256',
    });
    expect(location.searchParams.get('state')).toBeTruthy();
    // No ID token comes back from GitHub, so no nonce goes out.
    expect(location.searchParams.has('nonce')).toBe(false);
  });

  it('creates an account from the primary verified email, named after the login, linked by GitHub’s id', async () => {
    const account = octocat();
    const { outcome } = await signIn(account);
    expect(outcome).toMatchObject({ origin: TEST_APP_URL, path: '/home', error: null });
    const res = await server.gql<CompleteData>(COMPLETE, { code: outcome.code });
    expect(res.body.data!.completeOAuthSignIn.user).toEqual({
      username: account.login.toLowerCase().replace('-', '_'),
      email: account.emails[1]!.email,
      isVerified: true,
      linkedProviders: ['github'],
    });
    const link = await server.db.linkedAccount.findFirstOrThrow({
      where: { provider: 'github', subject: String(account.id) },
    });
    expect(link.email).toBe(account.emails[1]!.email);
    // The token exchange, then the two API reads.
    expect(github.requests.slice(-3)).toEqual(['POST /login/oauth/access_token', 'GET /user', 'GET /user/emails']);
  });

  it('refuses an unverified primary email: OAUTH_EMAIL_NOT_VERIFIED', async () => {
    const before = await server.db.user.count();
    expect((await signIn(octocat(false))).outcome.error).toBe('OAUTH_EMAIL_NOT_VERIFIED');
    expect(await server.db.user.count()).toBe(before);
  });

  it('a code GitHub no longer takes (answered 200 with an error body): OAUTH_PROVIDER_ERROR', async () => {
    github.signInAs(octocat());
    const start = await fetch(`${server.url}/auth/oauth/github/authorize?redirect=/home`, { redirect: 'manual' });
    const state = new URL(start.headers.get('location')!).searchParams.get('state')!;
    const browser = oauthBrowser();
    browser.cookiesOf(new URL(server.url).host).set(`${SESSION_COOKIE}_oauth`, state);
    const navigation = await browser.navigate(
      `${server.url}/auth/oauth/github/callback?code=not-a-code&state=${state}`,
    );
    expect(outcomeOf(navigation)).toMatchObject({ path: '/home', error: 'OAUTH_PROVIDER_ERROR' });
    expect(server.logs.some((line) => line.includes('OAuth sign-in failed at the provider'))).toBe(true);
  });

  it('GitHub slower than OAUTH_TIMEOUT_MS at its token endpoint: OAUTH_PROVIDER_ERROR, in time', async () => {
    github.hangTokenEndpoint(true);
    try {
      const started = performance.now();
      expect((await signIn(octocat())).outcome.error).toBe('OAUTH_PROVIDER_ERROR');
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      github.hangTokenEndpoint(false);
    }
  });
});
