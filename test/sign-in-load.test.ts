// Sign-ins that succeed are limited too: LOGIN_MAX_PER_MINUTE per account whatever the outcome (each
// costs a password check and a session row), and PASSWORD_CHECKS_IN_FLIGHT_PER_IP password checks at
// once per client, across every field that checks or hashes one; the rest are refused at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, REGISTER, signUp, type TestUser } from './support/accounts.ts';
import { codeOf, firstError, type RawResponse, rawGql } from './support/http.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

const from = (ip: string) => ({ 'x-forwarded-for': ip });

describe('LOGIN_MAX_PER_MINUTE', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true' });
    user = await signUp(server);
  });
  afterAll(() => server?.close());

  it('counts every sign-in to an account, successful or not, from any address: the 11th in a minute is refused', async () => {
    const signIn = (password: string, i: number) =>
      server.gql<LoginData>(LOGIN, { email: user.email, password }, null, from(`198.51.100.${i}`));
    // signUp signed in once; eight more successes and one failure, each from an address of its own.
    for (let i = 0; i < 8; i += 1) expect((await signIn(user.password, i)).body.data?.login.token).toBeTruthy();
    expect(errorCode(await signIn('wrong password', 8))).toBe('LOGIN_BAD_CREDENTIALS');
    const refused = await signIn(user.password, 9);
    expect(errorCode(refused)).toBe('RATE_LIMITED');
    const retry = refused.body.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // Nine successes, nine sessions: the refused sign-in made none.
    expect(await server.db.session.count({ where: { userId: user.dbId } })).toBe(9);
    // Another account is not held back.
    const other = await signUp(server);
    const signedIn = await server.gql<LoginData>(LOGIN, { email: other.email, password: other.password });
    expect(signedIn.body.data?.login.token).toBeTruthy();
  });
});

describe('password checks in flight per client', () => {
  const DELETE_ME = 'mutation($password: String!) { deleteMe(password: $password) }';
  let server: TestServer;
  let owner: TestUser;
  beforeAll(async () => {
    // Checks at the default cost take long enough for every request below to arrive while two run.
    server = await startTestServer({ BCRYPT_COST: '12', TRUST_PROXY: 'true' });
    owner = await signUp(server);
  });
  afterAll(() => server?.close());

  it('lets PASSWORD_CHECKS_IN_FLIGHT_PER_IP run at once from one client, across fields; the rest are refused at once', async () => {
    const client = from('203.0.113.50');
    const sent = [
      rawGql(server.url, LOGIN, { email: 'nobody1@example.com', password: 'wrong password' }, client),
      rawGql(server.url, LOGIN, { email: 'nobody2@example.com', password: 'wrong password' }, client),
      rawGql(
        server.url,
        REGISTER,
        { input: { email: 'inflight@example.com', username: 'inflight', password: 'long enough password' } },
        client,
      ),
      rawGql(
        server.url,
        DELETE_ME,
        { password: owner.password },
        { ...client, authorization: `Bearer ${owner.token}` },
      ),
    ];
    // Another client meanwhile has slots of its own.
    const elsewhere = rawGql(
      server.url,
      LOGIN,
      { email: 'nobody3@example.com', password: 'wrong' },
      from('203.0.113.51'),
    );
    const answers = await Promise.all(sent);
    const refused = answers.filter((answer) => codeOf(answer) === 'RATE_LIMITED');
    const ran = answers.filter((answer) => codeOf(answer) !== 'RATE_LIMITED');
    expect(refused).toHaveLength(2);
    for (const answer of refused) {
      expect(firstError(answer)?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      // The client's doing, answered as such: never a 500.
      expect(answer.status).not.toBe(500);
      // Refused at once: before either of the checks that ran was done.
      expect(answer.ms).toBeLessThan(Math.min(...ran.map((r: RawResponse) => r.ms)));
    }
    expect(codeOf(await elsewhere)).toBe('LOGIN_BAD_CREDENTIALS');
    // What was refused did nothing: the account exists unless its registration ran, the owner unless deleteMe ran.
    const [, , registered, deleted] = answers.map((answer) => codeOf(answer) !== 'RATE_LIMITED');
    expect(await server.db.user.count({ where: { username: 'inflight' } })).toBe(registered ? 1 : 0);
    expect(await server.db.user.count({ where: { id: owner.dbId } })).toBe(deleted ? 0 : 1);
    // The slots were given back.
    const after = await rawGql(server.url, LOGIN, { email: 'nobody4@example.com', password: 'wrong password' }, client);
    expect(codeOf(after), after.text).toBe('LOGIN_BAD_CREDENTIALS');
  });
});
