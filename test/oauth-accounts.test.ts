// Linked providers: who may see them, and unlinking, never the account's last way to sign in, also
// when two unlinks race on parallel connections. Accounts linked through real sign-ins (a local OpenID
// provider and a GitHub fake).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPLETE_OAUTH_TOKEN as COMPLETE,
  MY_LINKED_PROVIDERS as LINKED,
  LOGIN_TOKEN,
  UNLINK_PROVIDER as UNLINK,
} from './operations/sessions.ts';
import { signUp } from './support/accounts.ts';
import { type FakeGitHub, startFakeGitHub } from './support/fake-github.ts';
import { dbIdOf } from './support/ids.ts';
import { oauthBrowser, outcomeOf, TEST_APP_URL } from './support/oauth-browser.ts';
import { startOidcProvider, type TestOidcProvider } from './support/oidc-provider.ts';
import { outboxToken, readOutbox } from './support/outbox.ts';
import { holdLinkedAccounts } from './support/row-lock.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped, rawGqlTyped } from './support/typed.ts';

let provider: TestOidcProvider;
let github: FakeGitHub;
let server: TestServer;
let counter = 0;

beforeAll(async () => {
  provider = await startOidcProvider();
  github = await startFakeGitHub();
  server = await startTestServer({
    OAUTH_OIDC_ISSUER: provider.issuer,
    OAUTH_OIDC_CLIENT_ID: 'photo-feed',
    OAUTH_OIDC_CLIENT_SECRET: 'photo-feed-secret',
    OAUTH_GITHUB_CLIENT_ID: github.clientId,
    OAUTH_GITHUB_CLIENT_SECRET: github.clientSecret,
    OAUTH_GITHUB_URL: github.url,
    OAUTH_GITHUB_API_URL: github.url,
    APP_URL: TEST_APP_URL,
  });
});
afterAll(async () => {
  await server?.close();
  await github?.stop();
  await provider?.stop();
});

/** Signs in at both providers as one person (one verified email): one account, two links. */
async function personAtBoth() {
  counter += 1;
  const email = `both_${process.pid}_${counter}@example.com`;
  const signInVia = async (id: string) => {
    const navigation = await oauthBrowser().navigate(`${server.url}/auth/oauth/${id}/authorize?redirect=/`);
    const res = await gqlTyped(server, COMPLETE, { code: outcomeOf(navigation).code! });
    if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
    return res.body.data.completeOAuthSignIn;
  };
  provider.signInAs({ sub: `oidc|${counter}`, email, email_verified: true, preferred_username: `both${counter}` });
  const first = await signInVia('oidc');
  github.signInAs({
    id: 5000 + counter,
    login: `both${counter}`,
    emails: [{ email, primary: true, verified: true, visibility: null }],
  });
  const second = await signInVia('github');
  expect(second.user.id).toBe(first.user.id);
  return { token: second.token!, id: first.user.id, email };
}

const linked = async (token: string) => (await gqlTyped(server, LINKED, {}, token)).body.data!.me!.linkedProviders;

describe('User.linkedProviders', () => {
  it('shows the user and superusers the providers linked, and refuses anyone else', async () => {
    const person = await personAtBoth();
    expect(await linked(person.token)).toEqual(['github', 'oidc']);
    const query = 'query($id: ID!) { node(id: $id) { ... on User { linkedProviders } } }';
    const admin = await signUp(server, { superuser: true });
    expect((await server.gql(query, { id: person.id }, admin.token)).body.data).toEqual({
      node: { linkedProviders: ['github', 'oidc'] },
    });
    const stranger = await signUp(server);
    expect(errorCode(await server.gql(query, { id: person.id }, stranger.token))).toBe('FORBIDDEN');
    // An account that signs in with a password only has none.
    expect(await linked(stranger.token)).toEqual([]);
  });
});

describe('unlinkProvider', () => {
  it('unlinks one provider while another remains, then refuses the last: OAUTH_LAST_SIGN_IN_METHOD', async () => {
    const person = await personAtBoth();
    expect((await gqlTyped(server, UNLINK, { provider: 'github' }, person.token)).body.data).toEqual({
      unlinkProvider: true,
    });
    expect(await linked(person.token)).toEqual(['oidc']);
    const last = await gqlTyped(server, UNLINK, { provider: 'oidc' }, person.token);
    expect(errorCode(last)).toBe('OAUTH_LAST_SIGN_IN_METHOD');
    expect(await linked(person.token)).toEqual(['oidc']);
    expect(errorCode(await gqlTyped(server, UNLINK, { provider: 'github' }, person.token))).toBe('NOT_FOUND');
  });

  it('unlinks the last provider once the account has a password of its own (a reset)', async () => {
    const person = await personAtBoth();
    await gqlTyped(server, UNLINK, { provider: 'github' }, person.token);
    await server.gql('mutation($e: String!) { requestPasswordReset(email: $e) }', { e: person.email });
    await server.app.services.accounts.flush();
    const mail = (await readOutbox(server.dir)).find(
      (entry) => entry.to === person.email && /reset-password/.test(entry.text),
    );
    const token = outboxToken(mail!, '/reset-password');
    const reset = await server.gql('mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }', {
      t: token,
      p: 'my very own password',
    });
    expect(reset.body.errors).toBeUndefined();
    const login = await gqlTyped(server, LOGIN_TOKEN, { e: person.email, p: 'my very own password' });
    const fresh = login.body.data!.login.token!;
    expect((await gqlTyped(server, UNLINK, { provider: 'oidc' }, fresh)).body.data).toEqual({ unlinkProvider: true });
    expect(await linked(fresh)).toEqual([]);
  });

  it('leaves one way in when the last two links are unlinked on parallel connections', async () => {
    const person = await personAtBoth();
    // Both requests reach their delete while the links are held, and go on together when they are let go.
    const held = await holdLinkedAccounts(server, dbIdOf(person.id));
    const sent = Promise.all(
      ['github', 'oidc'].map((name) =>
        rawGqlTyped(server.url, UNLINK, { provider: name }, { authorization: `Bearer ${person.token}` }),
      ),
    );
    await held.release();
    const answers = await sent;
    const codes = answers.map((a) => a.body.errors?.[0]?.extensions?.code ?? 'OK').sort();
    expect(codes).toEqual(['OAUTH_LAST_SIGN_IN_METHOD', 'OK']);
    expect(await server.db.linkedAccount.count({ where: { userId: dbIdOf(person.id) } })).toBe(1);
  });

  it('needs a viewer', async () => {
    expect(errorCode(await gqlTyped(server, UNLINK, { provider: 'oidc' }))).toBe('UNAUTHENTICATED');
  });
});
