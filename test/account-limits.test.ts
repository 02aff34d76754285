// Limits on account flows beyond passwords: registrations per client IP, account mails per address and
// per client (one mail-sending field per operation), and which client IP is counted behind proxies.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_RESET } from './operations/accounts.ts';
import { describeAccountLimits } from './support/account-limit-cases.ts';
import { LOGIN, type LoginData, signUp } from './support/accounts.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { startSmtpServer } from './support/smtp.ts';
import { gqlTyped } from './support/typed.ts';

// Counted in memory here; in Redis in test/instances/account-limits-redis.test.ts.
const STORES = [['memory', () => ({ env: {}, options: {} })]] as const;

describeAccountLimits(STORES);

describe('account mails per client', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    // MAIL_MAX_PER_IP as it comes (30 an hour); one address may get them all.
    server = await startTestServer({ SMTP_URL: smtp.url, MAIL_MAX_PER_ADDRESS: '100', TRUST_PROXY: 'true' });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });
  const mailsTo = (email: string) => smtp.mails.filter((mail) => mail.to.includes(email)).length;

  it('refuses an operation with more than one mail-sending field before any SQL, sending nothing', async () => {
    const user = await signUp(server);
    await server.app.services.accounts.flush();
    const before = { queries: server.queries.length, mails: mailsTo(user.email) };
    for (const query of [
      `mutation { a: requestPasswordReset(email: "${user.email}") b: requestPasswordReset(email: "${user.email}") }`,
      `mutation { requestPasswordReset(email: "${user.email}") requestVerification(email: "${user.email}") }`,
      `mutation { requestVerification(email: "${user.email}") register(input: { email: "two_mails@example.com", username: "two_mails", password: "long enough password" }) { id } }`,
    ]) {
      const res = await server.gql(query);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.message).toMatch(/^One request may send one account mail; this one asks 2 fields/);
    }
    const changing = await server.gql(
      `mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } requestPasswordReset(email: "${user.email}") }`,
      { input: { email: `new.${user.email}`, currentPassword: user.password } },
      user.token,
    );
    expect(errorCode(changing)).toBe('BAD_USER_INPUT');
    expect(server.queries.length).toBe(before.queries);
    await server.app.services.accounts.flush();
    expect(mailsTo(user.email)).toBe(before.mails);
    // A profile change that mails nobody may go with one that does.
    const renaming = await server.gql<{ updateMe: { id: string }; requestPasswordReset: boolean }>(
      `mutation($input: UpdateMeInput!) { updateMe(input: $input) { id } requestPasswordReset(email: "${user.email}") }`,
      { input: { username: `renamed_${user.username}` } },
      user.token,
    );
    expect(renaming.body.data?.requestPasswordReset).toBe(true);
  });

  it('sends at most MAIL_MAX_PER_IP mails an hour asked for by one client; the answers stay true', async () => {
    const user = await signUp(server);
    await server.app.services.accounts.flush();
    const before = mailsTo(user.email);
    const client = { 'x-forwarded-for': '198.51.100.31' };
    for (let i = 0; i < 31; i += 1) {
      const res = await gqlTyped(server, REQUEST_RESET, { email: user.email }, null, client);
      expect(res.body.data?.requestPasswordReset).toBe(true);
    }
    await server.app.services.accounts.flush();
    expect(mailsTo(user.email) - before).toBe(30);
    expect(server.logs.filter((line) => line.includes('too many asked for by this client'))).toHaveLength(1);
    // Another client is not held back.
    await gqlTyped(server, REQUEST_RESET, { email: user.email }, null, { 'x-forwarded-for': '198.51.100.32' });
    await server.app.services.accounts.flush();
    expect(mailsTo(user.email) - before).toBe(31);
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
