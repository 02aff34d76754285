// The account-limit cases every rate-limit store must pass: registrations per IP and account mails per
// address. test/account-limits.test.ts runs them in memory, test/instances/account-limits-redis.test.ts
// in Redis (shared by instances).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUEST_RESET } from '../operations/accounts.ts';
import { REGISTER, type RegisterData, signUp } from './accounts.ts';
import { errorCode, startTestServer, type TestServer } from './server.ts';
import { startSmtpServer } from './smtp.ts';
import { gqlTyped } from './typed.ts';

/** A store to count in: the server's settings and options for it. */
export type Store = readonly [
  name: string,
  () => { env: Record<string, string>; options: Parameters<typeof startTestServer>[1] },
];

export const register = (server: TestServer, name: string, headers: Record<string, string> = {}) =>
  server.gql<RegisterData>(
    REGISTER,
    { input: { email: `${name}@example.com`, username: name, password: 'long enough password' } },
    null,
    headers,
  );

/** Declares the cases for each store. */
export function describeAccountLimits(stores: readonly Store[]): void {
  describe.each(stores)('registrations per IP, counted in %s', (_store, store) => {
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

  describe.each(stores)('account mails, counted in %s', (_store, store) => {
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
      const answers = await Promise.all(
        Array.from({ length: 30 }, () => gqlTyped(server, REQUEST_RESET, { email: user.email })),
      );
      expect(answers.map((res) => res.body.data?.requestPasswordReset)).toEqual(Array(30).fill(true));
      await server.gql('mutation($email: String!) { requestVerification(email: $email) }', { email: user.email });
      await server.app.services.accounts.flush();
      // The verification mail of the registration counts too.
      expect(smtp.mails.filter((m) => m.to.includes(user.email))).toHaveLength(5);
      const dropped = server.logs.filter((line) => line.includes('too many to this address'));
      expect(dropped.length).toBe(27);
    });
  });
}
