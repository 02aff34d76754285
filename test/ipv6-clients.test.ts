// Every per-IP limit counts an IPv6 client by its /64 (src/infra/rate-limits/client-key.ts): a host may
// take any address in its /64, so one /64 is one client. An IPv4 client reaching a dual-stack socket
// (::ffff:a.b.c.d) is its IPv4 address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_RESET } from './operations/accounts.ts';
import { LOGIN, REGISTER, signUp } from './support/accounts.ts';
import { codeOf, rawGql } from './support/http.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { startSmtpServer } from './support/smtp.ts';
import { gqlTyped } from './support/typed.ts';

const from = (ip: string) => ({ 'x-forwarded-for': ip });
/** An address of its own in 2001:db8:1:2::/64 (or another /64 with `net`). */
let host = 0;
const inSubnet = (net = '2001:db8:1:2') => {
  host += 1;
  return `${net}:${host.toString(16)}:a:b:${(host * 7).toString(16)}`;
};

describe('per-IP limits for IPv6 clients', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startTestServer({
      TRUST_PROXY: 'true',
      SMTP_URL: smtp.url,
      REGISTER_MAX_PER_IP: '3',
      LOGIN_MAX_FAILURES_PER_IP: '3',
      MAIL_MAX_PER_IP: '2',
      MAIL_MAX_PER_ADDRESS: '50',
    });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const register = (name: string, ip: string) =>
    server.gql(
      REGISTER,
      { input: { email: `${name}@example.com`, username: name, password: 'long enough password' } },
      null,
      from(ip),
    );

  it('count registrations from every address of one /64 together', async () => {
    for (let i = 0; i < 3; i += 1) expect(errorCode(await register(`six_${i}`, inSubnet()))).toBeUndefined();
    expect(errorCode(await register('six_3', inSubnet()))).toBe('RATE_LIMITED');
    expect(await server.db.user.count({ where: { username: 'six_3' } })).toBe(0);
    // The neighbouring /64 is another client.
    expect(errorCode(await register('six_4', inSubnet('2001:db8:1:3')))).toBeUndefined();
  });

  it('count an IPv4-mapped address as its IPv4 address', async () => {
    for (let i = 0; i < 3; i += 1)
      expect(errorCode(await register(`mapped_${i}`, i % 2 ? '::ffff:203.0.113.80' : '203.0.113.80'))).toBeUndefined();
    expect(errorCode(await register('mapped_3', '::ffff:cb00:7150'))).toBe('RATE_LIMITED');
  });

  it('count failed sign-ins from one /64 against LOGIN_MAX_FAILURES_PER_IP', async () => {
    const net = '2001:db8:2:2';
    for (let i = 0; i < 3; i += 1) {
      const res = await server.gql(
        LOGIN,
        { email: `nobody${i}@example.com`, password: 'wrong' },
        null,
        from(inSubnet(net)),
      );
      expect(errorCode(res)).toBe('LOGIN_BAD_CREDENTIALS');
    }
    const next = await server.gql(
      LOGIN,
      { email: 'nobody9@example.com', password: 'wrong' },
      null,
      from(inSubnet(net)),
    );
    expect(errorCode(next)).toBe('RATE_LIMITED');
  });

  it('count account mails asked for from one /64 against MAIL_MAX_PER_IP, answering true all the same', async () => {
    const user = await signUp(server);
    await server.app.services.accounts.flush();
    const before = smtp.mails.filter((mail) => mail.to.includes(user.email)).length;
    const dropped = () => server.logs.filter((line) => line.includes('too many asked for by this client')).length;
    const droppedBefore = dropped();
    const net = '2001:db8:3:3';
    for (let i = 0; i < 3; i += 1) {
      const res = await gqlTyped(server, REQUEST_RESET, { email: user.email }, null, from(inSubnet(net)));
      expect(res.body.data?.requestPasswordReset).toBe(true);
    }
    await server.app.services.accounts.flush();
    expect(smtp.mails.filter((mail) => mail.to.includes(user.email)).length - before).toBe(2);
    expect(dropped() - droppedBefore).toBe(1);
  });
});

describe('password checks in flight for IPv6 clients', () => {
  it('hold one /64 to PASSWORD_CHECKS_IN_FLIGHT_PER_IP', async () => {
    const server = await startTestServer({
      TRUST_PROXY: 'true',
      BCRYPT_COST: '12',
      PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '1',
    });
    try {
      const net = '2001:db8:4:4';
      const answers = await Promise.all(
        [1, 2].map((i) =>
          rawGql(server.url, LOGIN, { email: `nobody${i}@example.com`, password: 'wrong' }, from(inSubnet(net))),
        ),
      );
      expect(answers.map(codeOf).sort()).toEqual(['LOGIN_BAD_CREDENTIALS', 'RATE_LIMITED']);
    } finally {
      await server.close();
    }
  });
});
