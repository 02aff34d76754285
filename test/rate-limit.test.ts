import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, signUp } from './support/accounts.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function failLogins(server: TestServer, email: string, times: number, headers: Record<string, string> = {}) {
  for (let i = 0; i < times; i += 1) {
    expect(errorCode(await server.gql(LOGIN, { email, password: 'wrong password' }, null, headers))).toBe('LOGIN_BAD_CREDENTIALS');
  }
}

describe('login rate limiting in memory', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ LOGIN_MAX_FAILURES: '3', TRUST_PROXY: 'true' });
  });
  afterAll(() => server?.close());

  it('answers RATE_LIMITED with a retry-after hint after too many failures for one email, even with the right password', async () => {
    const user = await signUp(server);
    await failLogins(server, user.email, 3, { 'x-forwarded-for': '198.51.100.1' });
    const res = await server.gql(LOGIN, { email: user.email, password: user.password }, null, { 'x-forwarded-for': '198.51.100.2' });
    expect(errorCode(res)).toBe('RATE_LIMITED');
    const retry = res.body.errors![0].extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
  });

  it('counts failures from one IP across emails', async () => {
    const user = await signUp(server);
    const ip = { 'x-forwarded-for': '203.0.113.7, 10.0.0.1' };
    await failLogins(server, 'a@example.com', 1, ip);
    await failLogins(server, 'b@example.com', 1, ip);
    await failLogins(server, 'c@example.com', 1, ip);
    expect(errorCode(await server.gql(LOGIN, { email: user.email, password: user.password }, null, ip))).toBe('RATE_LIMITED');
    // Another address is not affected.
    const other = await server.gql(LOGIN, { email: user.email, password: user.password }, null, { 'x-forwarded-for': '203.0.113.8' });
    expect(other.body.data.login.token).toBeTruthy();
  });

  it('clears the email count after a successful login', async () => {
    const user = await signUp(server);
    await failLogins(server, user.email, 2, { 'x-forwarded-for': '192.0.2.10' });
    expect((await server.gql(LOGIN, { email: user.email, password: user.password }, null, { 'x-forwarded-for': '192.0.2.11' })).body.data.login).toBeTruthy();
    await failLogins(server, user.email, 2, { 'x-forwarded-for': '192.0.2.12' });
    expect((await server.gql(LOGIN, { email: user.email, password: user.password }, null, { 'x-forwarded-for': '192.0.2.13' })).body.data.login).toBeTruthy();
  });
});

describe('login rate limiting through Redis', () => {
  it('shares the counts between instances', async () => {
    const redisKeyPrefix = `test:${randomUUID()}:`;
    const a = await startTestServer({ LOGIN_MAX_FAILURES: '3', REDIS_URL }, { redisKeyPrefix });
    const b = await startTestServer({ LOGIN_MAX_FAILURES: '3', REDIS_URL, DATABASE_URL: a.config.databaseUrl }, { dir: a.dir, redisKeyPrefix });
    try {
      const user = await signUp(a);
      await failLogins(a, user.email, 2);
      await failLogins(b, user.email, 1);
      const res = await a.gql(LOGIN, { email: user.email, password: user.password });
      expect(errorCode(res)).toBe('RATE_LIMITED');
      expect(res.body.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
      expect(errorCode(await b.gql(LOGIN, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');
    } finally {
      await a.close();
      await b.close();
    }
  });
});
