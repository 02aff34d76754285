// Limits on account flows beyond passwords: registrations per client IP, account mails per address,
// and which client IP is counted behind proxies.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, REGISTER, type RegisterData, signUp } from './support/accounts.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { startSmtpServer } from './support/smtp.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// Each counter in memory and in Redis; a prefix of its own per server keeps runs apart.
const STORES = [
  ['memory', () => ({ env: {}, options: {} })],
  ['Redis', () => ({ env: { REDIS_URL }, options: { redisKeyPrefix: `test:${randomUUID()}:` } })],
] as const;

const register = (server: TestServer, name: string, headers: Record<string, string> = {}) =>
  server.gql<RegisterData>(
    REGISTER,
    { input: { email: `${name}@example.com`, username: name, password: 'long enough password' } },
    null,
    headers,
  );

describe.each(STORES)('registrations per IP, counted in %s', (_store, store) => {
  it('are limited to REGISTER_MAX_PER_IP an hour, counted per client', async () => {
    const { env, options } = store();
    const server = await startTestServer({ ...env, REGISTER_MAX_PER_IP: '3', TRUST_PROXY: 'true' }, options);
    try {
      const from = (ip: string) => ({ 'x-forwarded-for': ip });
      for (let i = 0; i < 3; i += 1)
        expect((await register(server, `reg_a${i}`, from('203.0.113.1'))).body.data!.register).toBeTruthy();
      const refused = await register(server, 'reg_a3', from('203.0.113.1'));
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.body.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(3500);
      expect(await server.db.user.count({ where: { username: 'reg_a3' } })).toBe(0);
      expect((await register(server, 'reg_b0', from('203.0.113.2'))).body.data!.register).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('are not limited with REGISTER_MAX_PER_IP=0', async () => {
    const { env, options } = store();
    const server = await startTestServer({ ...env, REGISTER_MAX_PER_IP: '0' }, options);
    try {
      for (let i = 0; i < 25; i += 1)
        expect((await register(server, `open_${_store.toLowerCase()}_${i}`)).body.data!.register).toBeTruthy();
    } finally {
      await server.close();
    }
  });
});

describe.each(STORES)('account mails, counted in %s', (_store, store) => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: TestServer;
  beforeAll(async () => {
    const { env, options } = store();
    smtp = await startSmtpServer();
    server = await startTestServer({ ...env, SMTP_URL: smtp.url, MAIL_MAX_PER_ADDRESS: '5' }, options);
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  it('go to one address at most MAIL_MAX_PER_ADDRESS times, however they are asked for; every answer is still true', async () => {
    const user = await signUp(server);
    await server.app.services.accounts.flush();
    const fields = Array.from({ length: 30 }, (_, i) => `r${i}: requestPasswordReset(email: "${user.email}")`).join(
      ' ',
    );
    const res = await server.gql<Record<string, boolean>>(`mutation { ${fields} }`);
    expect(Object.values(res.body.data!)).toEqual(Array(30).fill(true));
    await server.gql('mutation($email: String!) { requestVerification(email: $email) }', { email: user.email });
    await server.app.services.accounts.flush();
    // The verification mail of the registration counts too.
    expect(smtp.mails.filter((m) => m.to.includes(user.email))).toHaveLength(5);
    const dropped = server.logs.filter((line) => line.includes('too many to this address'));
    expect(dropped.length).toBe(27);
  });
});

describe('the client IP behind proxies', () => {
  // Failures for other emails, so only the per-IP count can refuse the owner's own login.
  const failFromIp = async (server: TestServer, forwarded: (i: number) => string) => {
    for (let i = 0; i < 2; i += 1) {
      const res = await server.gql(
        LOGIN,
        { email: `nobody${i}.${randomUUID()}@example.com`, password: 'wrong password' },
        null,
        { 'x-forwarded-for': forwarded(i) },
      );
      expect(errorCode(res)).toBe('LOGIN_BAD_CREDENTIALS');
    }
  };
  const limits = { LOGIN_MAX_FAILURES: '2', LOGIN_MAX_FAILURES_PER_IP: '2' };

  it('is the right-most X-Forwarded-For entry with TRUST_PROXY=true: a client cannot choose it', async () => {
    const server = await startTestServer({ ...limits, TRUST_PROXY: 'true' });
    try {
      const user = await signUp(server);
      // Each request claims another address; the load balancer appended the real one.
      await failFromIp(server, (i) => `10.9.9.${i}, 198.51.100.77`);
      const next = await server.gql(LOGIN, { email: user.email, password: user.password }, null, {
        'x-forwarded-for': '10.9.9.9, 198.51.100.77',
      });
      expect(errorCode(next)).toBe('RATE_LIMITED');
      const elsewhere = await server.gql<LoginData>(LOGIN, { email: user.email, password: user.password }, null, {
        'x-forwarded-for': '10.9.9.9, 198.51.100.78',
      });
      expect(elsewhere.body.data!.login.token).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('is the N-th entry from the right with TRUST_PROXY=N', async () => {
    const server = await startTestServer({ ...limits, TRUST_PROXY: '2' });
    try {
      const user = await signUp(server);
      // client-claimed, real client (added by the outer proxy), outer proxy (added by the inner one)
      await failFromIp(server, (i) => `10.9.9.${i}, 198.51.100.88, 192.0.2.1`);
      const sameClient = await server.gql(LOGIN, { email: user.email, password: user.password }, null, {
        'x-forwarded-for': '198.51.100.88, 192.0.2.2',
      });
      expect(errorCode(sameClient)).toBe('RATE_LIMITED');
      const otherClient = await server.gql<LoginData>(LOGIN, { email: user.email, password: user.password }, null, {
        'x-forwarded-for': '198.51.100.89, 192.0.2.1',
      });
      expect(otherClient.body.data!.login.token).toBeTruthy();
    } finally {
      await server.close();
    }
  });

  it('is the socket address without TRUST_PROXY, whatever the header says', async () => {
    const server = await startTestServer(limits);
    try {
      const user = await signUp(server);
      await failFromIp(server, (i) => `198.51.100.${i}`);
      expect(
        errorCode(
          await server.gql(LOGIN, { email: user.email, password: user.password }, null, {
            'x-forwarded-for': '198.51.100.99',
          }),
        ),
      ).toBe('RATE_LIMITED');
    } finally {
      await server.close();
    }
  });
});
