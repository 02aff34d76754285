// Account mails without a mail server. In development each mail is a file in DATA_DIR/outbox/ that only
// its owner can read, and the log says where; production refuses to start without SMTP_URL unless
// MAIL_LOG_ONLY=true, which logs whom a mail was for and its subject. In no mode does a log line carry
// a token: a reset link in a log is an account anyone reading the log can take.
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { outboxToken, readOutbox } from './support/outbox.ts';
import { PRODUCTION, startTestServer, type TestServer } from './support/server.ts';
import { startSmtpServer, tokenFrom } from './support/smtp.ts';

const REQUEST_RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
const RESET = 'mutation($token: String!, $password: String!) { resetPassword(token: $token, password: $password) }';
const VERIFY = 'mutation($token: String!) { verifyEmail(token: $token) { isVerified } }';
/** A JWT as this server signs them (HS256, JSON header): what a leaked reset, verification or session token looks like. */
const JWT = /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/;

/** Registers a user and asks for a reset link, and waits for both mails to be handed over. */
async function registerAndRequestReset(server: TestServer): Promise<TestUser> {
  const user = await signUp(server);
  expect((await server.gql(REQUEST_RESET, { email: user.email })).body.errors).toBeUndefined();
  await server.app.services.accounts.flush();
  return user;
}

/** Log lines that carry any of the tokens, a JWT, or a link's token parameter. */
const leaks = (server: TestServer, tokens: string[] = []) =>
  server.logs.filter((line) => JWT.test(line) || line.includes('token=') || tokens.some((t) => line.includes(t)));

const servers: TestServer[] = [];
const start = async (...args: Parameters<typeof startTestServer>) => {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
};
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('without SMTP_URL, outside production', () => {
  it('writes each mail to DATA_DIR/outbox/ for its owner only, logs the file, and its links work', async () => {
    const server = await start();
    const user = await registerAndRequestReset(server);

    const mails = await readOutbox(server.dir);
    expect(mails.map((mail) => [mail.to, mail.subject, mail.mode])).toEqual([
      [user.email, 'Confirm your email address', 0o600],
      [user.email, 'Reset your password', 0o600],
    ]);
    const [verifyMail, resetMail] = mails as [(typeof mails)[0], (typeof mails)[0]];
    const logged = server.logs.map((line) => JSON.parse(line)).filter((entry) => entry.file);
    expect(logged.map((entry) => [entry.to, entry.subject, entry.file])).toEqual([
      [user.email, 'Confirm your email address', verifyMail.file],
      [user.email, 'Reset your password', resetMail.file],
    ]);

    const tokens = [outboxToken(verifyMail, '/verify'), outboxToken(resetMail, '/reset-password')];
    expect((await server.gql(VERIFY, { token: tokens[0] })).body).toEqual({
      data: { verifyEmail: { isVerified: true } },
    });
    expect((await server.gql(RESET, { token: tokens[1], password: 'a brand new password' })).body).toEqual({
      data: { resetPassword: true },
    });
    expect(leaks(server, tokens)).toEqual([]);
  });
});

describe('in production', () => {
  it('refuses to start without SMTP_URL, naming MAIL_LOG_ONLY for running without mail on purpose', async () => {
    const refused = await startTestServer({ NODE_ENV: 'production' }).catch((error) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect(refused.problems).toEqual([
      expect.stringMatching(/^SMTP_URL: required when NODE_ENV=production .*set MAIL_LOG_ONLY=true/),
    ]);
  });

  it('with MAIL_LOG_ONLY=true logs whom each mail was for and its subject, never its link, and writes no file', async () => {
    const server = await start(PRODUCTION);
    const user = await registerAndRequestReset(server);
    const logged = server.logs.map((line) => JSON.parse(line)).filter((entry) => entry.to === user.email);
    expect(logged.map((entry) => [entry.msg, entry.subject])).toEqual([
      ['mail not sent (MAIL_LOG_ONLY=true)', 'Confirm your email address'],
      ['mail not sent (MAIL_LOG_ONLY=true)', 'Reset your password'],
    ]);
    expect(await readOutbox(server.dir)).toEqual([]);
    expect(leaks(server)).toEqual([]);
  });
});

describe('no log line carries a token', () => {
  it.each(['accepts', 'refuses'] as const)('when the SMTP server %s the mails', async (smtpAnswer) => {
    const smtp = await startSmtpServer({ rejectAll: smtpAnswer === 'refuses' });
    try {
      const server = await start({ SMTP_URL: smtp.url });
      const user = await registerAndRequestReset(server);
      // flush() has waited for the SMTP server's answers: what it accepted is in smtp.mails.
      const mails = smtp.mails.filter((mail) => mail.to.includes(user.email));
      expect(mails).toHaveLength(smtpAnswer === 'accepts' ? 2 : 0);
      const tokens = mails.map((mail) =>
        tokenFrom(mail, mail.decoded.includes('/verify?') ? '/verify' : '/reset-password'),
      );
      expect(server.logs.filter((line) => line.includes('mail could not be sent'))).toHaveLength(
        smtpAnswer === 'refuses' ? 2 : 0,
      );
      expect(leaks(server, tokens)).toEqual([]);
    } finally {
      await smtp.close();
    }
  });
});
