// Password guessing limits (src/infra/rate-limits/login-limits.ts): counted before the password is checked, so
// requests racing on separate connections cannot get more guesses than the limit; keyed so that an
// attacker cannot lock an owner out from elsewhere.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, signUp, type TestUser } from './support/accounts.ts';
import { codeOf, firstError, rawGql } from './support/http.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

const DELETE_ME = 'mutation($password: String!) { deleteMe(password: $password) }';
const UPDATE_ME = 'mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } }';

let ipCounter = 0;
/** A client address of its own: TRUST_PROXY=1 takes the right-most X-Forwarded-For entry. */
const newIp = () => {
  ipCounter += 1;
  return { 'x-forwarded-for': `198.51.100.${ipCounter}` };
};

/** Sends `count` logins at once, each on its own connection, and tallies the answers by code. */
async function raceLogins(urls: string[], email: string, count: number, headers: Record<string, string>) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      rawGql(urls[i % urls.length]!, LOGIN, { email, password: `wrong guess ${i}` }, headers),
    ),
  );
  const tally: Record<string, number> = {};
  for (const answer of answers) {
    const code = codeOf(answer) ?? 'OK';
    tally[code] = (tally[code] ?? 0) + 1;
  }
  return tally;
}

async function failLogins(server: TestServer, email: string, times: number, headers: Record<string, string>) {
  for (let i = 0; i < times; i += 1) {
    expect(errorCode(await server.gql(LOGIN, { email, password: 'wrong password' }, null, headers))).toBe(
      'LOGIN_BAD_CREDENTIALS',
    );
  }
}

const signIn = (server: TestServer, user: TestUser, headers: Record<string, string>) =>
  server.gql<LoginData>(LOGIN, { email: user.email, password: user.password }, null, headers);

describe('login limits in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      LOGIN_MAX_FAILURES: '3',
      LOGIN_MAX_FAILURES_PER_EMAIL: '8',
      LOGIN_MAX_FAILURES_PER_IP: '6',
      // One test here signs an account in 16 times within a minute; LOGIN_MAX_PER_MINUTE has tests of its own.
      LOGIN_MAX_PER_MINUTE: '20',
      TRUST_PROXY: 'true',
    });
  });
  afterAll(() => server?.close());

  it('checks at most LOGIN_MAX_FAILURES passwords of 24 sent at once on separate connections, then refuses the right one', async () => {
    // At cost 11 a check takes over 100 ms, long enough for the others to arrive while it runs, as at
    // the default cost 12. (Cheaper checks run to the end in one go on SQLite, hiding the race.)
    // Every check may run at once and the account may be tried 24 times, so only the failure count decides.
    const racer = await startTestServer({
      LOGIN_MAX_FAILURES: '3',
      BCRYPT_COST: '11',
      LOGIN_MAX_PER_MINUTE: '24',
      PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '24',
    });
    try {
      const user = await signUp(racer);
      const tally = await raceLogins([racer.url], user.email, 24, {});
      expect(tally).toEqual({ LOGIN_BAD_CREDENTIALS: 3, RATE_LIMITED: 21 });
      const right = await rawGql(racer.url, LOGIN, { email: user.email, password: user.password });
      expect(codeOf(right)).toBe('RATE_LIMITED');
      expect(firstError(right)?.extensions?.retryAfterSeconds).toBeGreaterThan(800);
    } finally {
      await racer.close();
    }
  });

  it('answers RATE_LIMITED with a retry-after hint after too many failures for one email from one IP, even with the right password', async () => {
    const user = await signUp(server);
    const ip = newIp();
    await failLogins(server, user.email, 3, ip);
    const res = await signIn(server, user, ip);
    expect(errorCode(res)).toBe('RATE_LIMITED');
    const retry = res.body.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
  });

  it('does not lock the owner out from another IP', async () => {
    const user = await signUp(server);
    const attacker = newIp();
    await failLogins(server, user.email, 3, attacker);
    // The attacker goes on guessing; refused guesses count nowhere else.
    for (let i = 0; i < 10; i += 1) expect(errorCode(await signIn(server, user, attacker))).toBe('RATE_LIMITED');
    expect((await signIn(server, user, newIp())).body.data!.login.token).toBeTruthy();
  });

  it('stops a guessing spread over many IPs at LOGIN_MAX_FAILURES_PER_EMAIL', async () => {
    const user = await signUp(server);
    for (let i = 0; i < 4; i += 1) await failLogins(server, user.email, 2, newIp());
    expect(errorCode(await signIn(server, user, newIp()))).toBe('RATE_LIMITED');
  });

  it('stops one IP trying many emails at LOGIN_MAX_FAILURES_PER_IP', async () => {
    const user = await signUp(server);
    const ip = newIp();
    for (let i = 0; i < 6; i += 1) await failLogins(server, `nobody${i}.${randomUUID()}@example.com`, 1, ip);
    expect(errorCode(await signIn(server, user, ip))).toBe('RATE_LIMITED');
    expect((await signIn(server, user, newIp())).body.data!.login.token).toBeTruthy();
  });

  it('clears the email+IP count after a successful login, and successful logins use up no failure limit', async () => {
    const user = await signUp(server);
    const ip = newIp();
    // Four failures in all, above LOGIN_MAX_FAILURES (3) only if the success between did not clear them.
    for (let round = 0; round < 2; round += 1) {
      await failLogins(server, user.email, 2, ip);
      expect((await signIn(server, user, ip)).body.data!.login.token).toBeTruthy();
    }
    // Ten successes from one IP: far above LOGIN_MAX_FAILURES_PER_IP, and still signing in.
    for (let i = 0; i < 10; i += 1) expect((await signIn(server, user, ip)).body.data!.login).toBeTruthy();
  });

  it('counts wrong passwords given to deleteMe and updateMe as failed logins', async () => {
    const user = await signUp(server);
    const ip = newIp();
    expect(errorCode(await server.gql(DELETE_ME, { password: 'wrong password' }, user.token, ip))).toBe(
      'DELETE_USER_INVALID_PASSWORD',
    );
    expect(
      errorCode(
        await server.gql(
          UPDATE_ME,
          { input: { password: 'a new password', currentPassword: 'wrong password' } },
          user.token,
          ip,
        ),
      ),
    ).toBe('UPDATE_USER_INVALID_PASSWORD');
    expect(errorCode(await server.gql(DELETE_ME, { password: 'wrong again' }, user.token, ip))).toBe(
      'DELETE_USER_INVALID_PASSWORD',
    );
    // Three guesses used: the right password is refused now, for deleteMe and for login.
    expect(errorCode(await server.gql(DELETE_ME, { password: user.password }, user.token, ip))).toBe('RATE_LIMITED');
    expect(errorCode(await signIn(server, user, ip))).toBe('RATE_LIMITED');
    expect(await server.db.user.count({ where: { id: user.dbId } })).toBe(1);
  });

  it('refuses an oversized email before counting it', async () => {
    const ip = newIp();
    for (let i = 0; i < 8; i += 1) {
      const res = await server.gql(
        LOGIN,
        { email: `${'x'.repeat(300_000)}${i}@example.com`, password: 'whatever1' },
        null,
        ip,
      );
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
    }
    const user = await signUp(server);
    expect((await signIn(server, user, ip)).body.data!.login).toBeTruthy();
  });
});
