// What ends a session ends all of it, on every instance within a second: logout, a password reset, a
// deactivation and deleteMe end refresh tokens and cookie sessions as they end access tokens. Two
// instances on one database (PostgreSQL NOTIFY, or Redis pub/sub on one SQLite file), each having
// cached the cookie session before the change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MY_ID } from '../operations/accounts.ts';
import { MY_SESSIONS_TRANSPORTS } from '../operations/sessions.ts';
import { signUp, type TestUser } from '../support/accounts.ts';
import { loginWithCookie, PREFLIGHT } from '../support/cookies.ts';
import { eventually } from '../support/imagekit.ts';
import { outboxToken, readOutbox } from '../support/outbox.ts';
import { errorCode, startTestServer, type TestServer } from '../support/server.ts';
import { loginWithRefresh, type Pair, refreshSession } from '../support/sessions.ts';
import { gqlTyped } from '../support/typed.ts';

let a: TestServer;
let b: TestServer;
let admin: TestUser;

beforeAll(async () => {
  a = await startTestServer({}, { instances: true });
  b = await startTestServer({}, { dir: a.dir, instances: true });
  admin = await signUp(a, { superuser: true });
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const cookieSignedIn = async (server: TestServer, cookie: string) =>
  (await gqlTyped(server, MY_ID, {}, null, { cookie })).body.data?.me != null;

/** A user signed in three ways: a bearer pair, and a cookie session both instances have cached. */
async function signedInEverywhere() {
  const user = await signUp(a);
  const pair = await loginWithRefresh(a, user);
  const { cookie } = await loginWithCookie(a, user);
  expect(await cookieSignedIn(a, cookie)).toBe(true);
  expect(await cookieSignedIn(b, cookie)).toBe(true);
  return { user, pair, cookie };
}

/** On the other instance, within a second: the refresh token and the cookie are refused. */
async function endedOnB(pair: Pair | null, cookie: string | null) {
  await eventually(async () => {
    if (cookie) expect(await cookieSignedIn(b, cookie)).toBe(false);
  }, 1000);
  if (pair) expect(errorCode(await refreshSession(b, pair.refreshToken))).toBe('REFRESH_TOKEN_INVALID');
  if (cookie)
    expect(errorCode(await b.gql('{ feed { edges { cursor } } }', {}, null, { cookie }))).toBe('UNAUTHENTICATED');
}

describe('ending sessions across instances', () => {
  it('logout with a bearer token ends its refresh token; the cookie session goes on', async () => {
    const { pair, cookie } = await signedInEverywhere();
    await a.gql('mutation { logout }', {}, pair.token);
    await endedOnB(pair, null);
    expect(await cookieSignedIn(b, cookie)).toBe(true);
  });

  it('logout with the cookie ends the cookie session; the bearer session goes on', async () => {
    const { pair, cookie } = await signedInEverywhere();
    const res = await a.gql('mutation { logout }', {}, null, { cookie, ...PREFLIGHT });
    expect(res.body.data).toEqual({ logout: true });
    await endedOnB(null, cookie);
    expect((await refreshSession(b, pair.refreshToken)).body.data?.refreshSession.refreshToken).toBeTruthy();
  });

  it('a password reset ends every session: refresh tokens and cookies', async () => {
    const { user, pair, cookie } = await signedInEverywhere();
    await a.gql('mutation($email: String!) { requestPasswordReset(email: $email) }', { email: user.email });
    await a.app.services.accounts.flush();
    const mail = (await readOutbox(a.dir)).find(
      (entry) => entry.to === user.email && /reset-password/.test(entry.text),
    );
    const token = outboxToken(mail!, '/reset-password');
    const res = await a.gql('mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }', {
      t: token,
      p: 'a completely new password',
    });
    expect(res.body.errors).toBeUndefined();
    await endedOnB(pair, cookie);
  });

  it('a deactivation ends every session', async () => {
    const { user, pair, cookie } = await signedInEverywhere();
    await a.gql(
      'mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }',
      { id: user.id },
      admin.token,
    );
    await endedOnB(pair, cookie);
  });

  it('deleteMe ends every session', async () => {
    const { user, pair, cookie } = await signedInEverywhere();
    const res = await a.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: user.password }, null, {
      cookie,
      ...PREFLIGHT,
    });
    expect(res.body.data).toEqual({ deleteMe: true });
    await endedOnB(pair, cookie);
  });

  it('revokeSession ends the cookie session on the other instance too', async () => {
    const { user, cookie } = await signedInEverywhere();
    const listed = await gqlTyped(a, MY_SESSIONS_TRANSPORTS, {}, user.token);
    const cookieSession = listed.body.data!.mySessions.find((s) => s.transport === 'COOKIE')!;
    await a.gql('mutation($id: ID!) { revokeSession(id: $id) }', { id: cookieSession.id }, user.token);
    await endedOnB(null, cookie);
  });
});
