import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELETE_ME,
  LOGIN,
  ME,
  REGISTER,
  REQUEST_RESET,
  REQUEST_VERIFY,
  RESET,
  UPDATE_ME,
  UPDATE_USER,
  VERIFY,
} from './operations/accounts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { codeOf } from './support/http.ts';
import { holdUserRow } from './support/row-lock.ts';
import { errorCode, filesUnder, startTestServer, TEST_JWT_SECRET, type TestServer } from './support/server.ts';
import { startSmtpServer, tokenFrom } from './support/smtp.ts';
import { gqlTyped, rawGqlTyped } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let server: TestServer;

const APP_URL = 'https://app.example.com';
const settle = () => server.app.services.accounts.flush();
const mailsTo = (email: string) => smtp.mails.filter((m) => m.to.includes(email));

beforeAll(async () => {
  smtp = await startSmtpServer();
  // Every test here signs up fresh users and asks for their mails from one address; the registration
  // and mail limits per client have tests of their own (account-limits).
  server = await startTestServer({
    SMTP_URL: smtp.url,
    APP_URL,
    MAIL_FROM: 'Photo feed <hello@example.com>',
    REGISTER_MAX_PER_IP: '0',
    MAIL_MAX_PER_IP: '1000',
  });
});
afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

describe('verification mail', () => {
  it('is sent once on registration, as text and HTML, with a link to APP_URL', async () => {
    const user = await signUp(server);
    await settle();
    expect(mailsTo(user.email)).toHaveLength(1);
    const mail = mailsTo(user.email)[0]!;
    expect(mail.from).toBe('hello@example.com');
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.decoded).toContain(`${APP_URL}/verify?token=`);
  });

  it('verifies the email with the mailed token, once', async () => {
    const user = await signUp(server);
    const token = tokenFrom(await smtp.waitFor(user.email), '/verify');
    const res = await gqlTyped(server, VERIFY, { token });
    expect(res.body.data!.verifyEmail).toEqual({ id: user.id, email: user.email, isVerified: true });
    expect(errorCode(await gqlTyped(server, VERIFY, { token }))).toBe('VERIFY_USER_ALREADY_VERIFIED');
  });

  it('requestVerification answers true in every case and mails only a real unverified user', async () => {
    const unverified = await signUp(server);
    const verified = await signUp(server);
    await server.db.user.update({ where: { id: verified.dbId }, data: { isVerified: true } });
    const inactive = await signUp(server);
    await server.db.user.update({ where: { id: inactive.dbId }, data: { isActive: false } });
    await settle();
    const before = smtp.mails.length;
    for (const email of [unverified.email, verified.email, inactive.email, 'nobody@example.com']) {
      expect((await gqlTyped(server, REQUEST_VERIFY, { email })).body).toEqual({ data: { requestVerification: true } });
    }
    await settle();
    expect(smtp.mails.slice(before).map((m) => m.to[0])).toEqual([unverified.email]);
  });

  it('refuses a bad token, one of another purpose, and one for an email that has changed since', async () => {
    const user = await signUp(server);
    const token = tokenFrom(await smtp.waitFor(user.email), '/verify');
    expect(errorCode(await gqlTyped(server, VERIFY, { token: 'garbage' }))).toBe('VERIFY_USER_BAD_TOKEN');
    const forged = jwt.sign({ sub: user.dbId, email: user.email }, 'another-secret-another-secret-another', {
      audience: 'photo-feed-api:verify',
      issuer: 'photo-feed-api',
    });
    expect(errorCode(await gqlTyped(server, VERIFY, { token: forged }))).toBe('VERIFY_USER_BAD_TOKEN');
    const expired = jwt.sign(
      { sub: user.dbId, email: user.email, exp: Math.floor(Date.now() / 1000) - 5 },
      TEST_JWT_SECRET,
      { audience: 'photo-feed-api:verify', issuer: 'photo-feed-api' },
    );
    expect(errorCode(await gqlTyped(server, VERIFY, { token: expired }))).toBe('VERIFY_USER_BAD_TOKEN');
    // A sign-in token is not a verification token.
    expect(errorCode(await gqlTyped(server, VERIFY, { token: user.token }))).toBe('VERIFY_USER_BAD_TOKEN');

    await gqlTyped(
      server,
      UPDATE_ME,
      { input: { email: `new.${user.email}`, currentPassword: user.password } },
      user.token,
    );
    expect(errorCode(await gqlTyped(server, VERIFY, { token }))).toBe('VERIFY_USER_BAD_TOKEN');
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).isVerified).toBe(false);
  });
  it('does not verify an email that changes while the token is being checked', async () => {
    const user = await signUp(server);
    const token = tokenFrom(await smtp.waitFor(user.email), '/verify');
    const held = await holdUserRow(server, user.dbId);
    const verifying = gqlTyped(server, VERIFY, { token });
    await held.commit({ email: `elsewhere.${user.email}` });
    expect(errorCode(await verifying)).toBe('VERIFY_USER_BAD_TOKEN');
    expect(await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).toMatchObject({
      email: `elsewhere.${user.email}`,
      isVerified: false,
    });
  });
});

describe('password reset', () => {
  it('answers true alike for unknown, inactive and real emails, and mails only the real one', async () => {
    const real = await signUp(server);
    const inactive = await signUp(server);
    await server.db.user.update({ where: { id: inactive.dbId }, data: { isActive: false } });
    await settle();
    const before = smtp.mails.length;
    const answers = await Promise.all(
      [real.email, inactive.email, 'nobody@example.com'].map((email) => gqlTyped(server, REQUEST_RESET, { email })),
    );
    for (const answer of answers) expect(answer.body).toEqual({ data: { requestPasswordReset: true } });
    await settle();
    const sent = smtp.mails.slice(before);
    expect(sent.map((m) => m.to[0])).toEqual([real.email]);
    expect(sent[0]!.decoded).toContain(`${APP_URL}/reset-password?token=`);
  });

  it('sets the new password and signs out every session', async () => {
    const user = await signUp(server);
    const second = (await gqlTyped(server, LOGIN, { email: user.email, password: user.password })).body.data!.login
      .token;
    await gqlTyped(server, REQUEST_RESET, { email: user.email });
    const token = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');
    const claims = jwt.decode(token) as jwt.JwtPayload;
    expect(claims.aud).toBe('photo-feed-api:reset');
    expect(claims.exp! - claims.iat!).toBe(3600);

    expect((await gqlTyped(server, RESET, { token, password: 'a brand new password' })).body).toEqual({
      data: { resetPassword: true },
    });
    for (const old of [user.token, second]) expect((await gqlTyped(server, ME, {}, old)).body.data!.me).toBeNull();
    expect(errorCode(await gqlTyped(server, LOGIN, { email: user.email, password: user.password }))).toBe(
      'LOGIN_BAD_CREDENTIALS',
    );
    expect(
      (await gqlTyped(server, LOGIN, { email: user.email, password: 'a brand new password' })).body.data!.login.token,
    ).toBeTruthy();
    // The token was minted for the old password: it is dead now.
    expect(errorCode(await gqlTyped(server, RESET, { token, password: 'yet another password' }))).toBe(
      'RESET_PASSWORD_BAD_TOKEN',
    );
  });

  it('lets one of many parallel resets with the same token through, and only its password works', async () => {
    // At a real bcrypt cost, hashing the new password takes long enough for every request to have
    // checked the token before the first one writes.
    // All ten hash at once, and the account is then tried twelve times: only the token decides here
    // (password work in flight and sign-ins per minute have tests of their own, sign-in-load).
    const costly = await startTestServer({
      SMTP_URL: smtp.url,
      APP_URL,
      BCRYPT_COST: '10',
      PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '10',
      LOGIN_MAX_PER_MINUTE: '20',
    });
    try {
      const user = await signUp(costly);
      await gqlTyped(costly, REQUEST_RESET, { email: user.email });
      const token = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');
      const passwords = Array.from({ length: 10 }, (_, i) => `racing new password ${i}`);
      // Each on a connection of its own, so the requests really race inside the server.
      const answers = await Promise.all(
        passwords.map((password) => rawGqlTyped(costly.url, RESET, { token, password })),
      );
      const codes = answers.map((answer) => codeOf(answer) ?? 'OK');
      expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
      expect(codes.filter((code) => code !== 'OK')).toEqual(Array(9).fill('RESET_PASSWORD_BAD_TOKEN'));
      const winner = passwords[codes.indexOf('OK')]!;
      for (const password of [...passwords, user.password]) {
        const login = await gqlTyped(costly, LOGIN, { email: user.email, password });
        expect(errorCode(login) ?? 'OK', password).toBe(password === winner ? 'OK' : 'LOGIN_BAD_CREDENTIALS');
      }
    } finally {
      await costly.close();
    }
  });

  it('refuses bad, expired, wrong-audience and inactive-user tokens with RESET_PASSWORD_BAD_TOKEN', async () => {
    const user = await signUp(server);
    await gqlTyped(server, REQUEST_RESET, { email: user.email });
    const token = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');
    const claims = jwt.decode(token) as jwt.JwtPayload;
    const expired = jwt.sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 5 }, TEST_JWT_SECRET);
    const verifyToken = tokenFrom(mailsTo(user.email)[0]!, '/verify');
    for (const bad of ['garbage', expired, verifyToken, user.token]) {
      expect(errorCode(await gqlTyped(server, RESET, { token: bad, password: 'a brand new password' }))).toBe(
        'RESET_PASSWORD_BAD_TOKEN',
      );
    }
    await server.db.user.update({ where: { id: user.dbId }, data: { isActive: false } });
    expect(errorCode(await gqlTyped(server, RESET, { token, password: 'a brand new password' }))).toBe(
      'RESET_PASSWORD_BAD_TOKEN',
    );
  });

  it('refuses a weak password with RESET_PASSWORD_INVALID_PASSWORD and a reason', async () => {
    const user = await signUp(server);
    await gqlTyped(server, REQUEST_RESET, { email: user.email });
    const token = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');
    const res = await gqlTyped(server, RESET, { token, password: 'short' });
    expect(errorCode(res)).toBe('RESET_PASSWORD_INVALID_PASSWORD');
    expect(res.body.errors![0]!.extensions!.reason).toMatch(/at least 8/);
    expect((await gqlTyped(server, ME, {}, user.token)).body.data!.me!.id).toBe(user.id);
  });

  it('does not wait for the mail server, so a real email answers as fast as an unknown one', async () => {
    const slowSmtp = await startSmtpServer({ delayMs: 1500 });
    const slow = await startTestServer({ SMTP_URL: slowSmtp.url });
    try {
      const user = await signUp(slow);
      const started = performance.now();
      await gqlTyped(slow, REQUEST_RESET, { email: user.email });
      expect(performance.now() - started).toBeLessThan(1000);
      await slowSmtp.waitFor(user.email, 2);
    } finally {
      await slow.close();
      await slowSmtp.close();
    }
  });

  it('logs a failed send and still answers true', async () => {
    const refusing = await startSmtpServer({ rejectAll: true });
    const broken = await startTestServer({ SMTP_URL: refusing.url });
    try {
      const user = await signUp(broken);
      expect((await gqlTyped(broken, REQUEST_RESET, { email: user.email })).body).toEqual({
        data: { requestPasswordReset: true },
      });
      await broken.app.services.accounts.flush();
      const failures = broken.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'mail could not be sent');
      expect(failures.map((f) => f.purpose)).toEqual(['verify', 'reset']);
    } finally {
      await broken.close();
      await refusing.close();
    }
  });
});

describe('updateMe', () => {
  it('changes the email, checks it is free, and asks for verification again', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    await server.db.user.update({ where: { id: user.dbId }, data: { isVerified: true } });
    const currentPassword = user.password;
    expect(
      errorCode(
        await gqlTyped(server, UPDATE_ME, { input: { email: other.email.toUpperCase(), currentPassword } }, user.token),
      ),
    ).toBe('UPDATE_USER_EMAIL_ALREADY_EXISTS');
    expect(errorCode(await gqlTyped(server, UPDATE_ME, { input: { username: other.username } }, user.token))).toBe(
      'UPDATE_USER_USERNAME_ALREADY_EXISTS',
    );
    expect(
      errorCode(await gqlTyped(server, UPDATE_ME, { input: { email: 'not an email', currentPassword } }, user.token)),
    ).toBe('BAD_USER_INPUT');

    const res = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { email: ` Changed.${user.email} `, currentPassword } },
      user.token,
    );
    expect(res.body.data!.updateMe).toMatchObject({
      email: `changed.${user.email}`,
      isVerified: false,
      isSuperuser: false,
    });
    await smtp.waitFor(`changed.${user.email}`);
  });

  it('changes the email only with the current password, and tells the old address', async () => {
    const user = await signUp(server);
    const newEmail = `moved.${user.email}`;
    for (const currentPassword of [undefined, 'not my password']) {
      const refused = await gqlTyped(server, UPDATE_ME, { input: { email: newEmail, currentPassword } }, user.token);
      expect(errorCode(refused)).toBe('UPDATE_USER_INVALID_PASSWORD');
    }
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).email).toBe(user.email);
    await settle();
    expect(mailsTo(user.email).filter((m) => /changed/i.test(m.raw))).toHaveLength(0);

    const ok = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { email: newEmail, currentPassword: user.password } },
      user.token,
    );
    expect(ok.body.data!.updateMe.email).toBe(newEmail);
    const notice = await smtp.waitFor(user.email, 2);
    expect(notice.raw).toMatch(/Subject: Your email address was changed/);
    expect(notice.decoded).toContain(newEmail);
    // A reset link now goes to the new address only.
    await gqlTyped(server, REQUEST_RESET, { email: user.email });
    await settle();
    expect(mailsTo(user.email).filter((m) => m.decoded.includes('/reset-password'))).toHaveLength(0);
  });

  it('cannot touch the flags', async () => {
    const user = await signUp(server);
    const res = await server.gql('mutation { updateMe(input: { isSuperuser: true }) { id } }', {}, user.token);
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).isSuperuser).toBe(false);
  });

  it('changes the password only with the right current one, and signs out the other sessions', async () => {
    const user = await signUp(server);
    const other = (await gqlTyped(server, LOGIN, { email: user.email, password: user.password })).body.data!.login
      .token;
    const wrong = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { password: 'a brand new password', currentPassword: 'nope nope nope' } },
      user.token,
    );
    expect(errorCode(wrong)).toBe('UPDATE_USER_INVALID_PASSWORD');
    const missing = await gqlTyped(server, UPDATE_ME, { input: { password: 'a brand new password' } }, user.token);
    expect(errorCode(missing)).toBe('UPDATE_USER_INVALID_PASSWORD');
    const weak = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { password: 'short', currentPassword: user.password } },
      user.token,
    );
    expect(errorCode(weak)).toBe('UPDATE_USER_INVALID_PASSWORD');
    expect(weak.body.errors![0]!.extensions!.reason).toMatch(/at least 8/);
    expect((await gqlTyped(server, ME, {}, other)).body.data!.me).not.toBeNull();

    const ok = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { password: 'a brand new password', currentPassword: user.password } },
      user.token,
    );
    expect(ok.body.errors).toBeUndefined();
    expect((await gqlTyped(server, ME, {}, user.token)).body.data!.me!.id).toBe(user.id);
    expect((await gqlTyped(server, ME, {}, other)).body.data!.me).toBeNull();
    expect(
      (await gqlTyped(server, LOGIN, { email: user.email, password: 'a brand new password' })).body.data!.login,
    ).toBeTruthy();
  });
  it('refuses a change confirmed with a password that a reset replaces meanwhile', async () => {
    const user = await signUp(server);
    const held = await holdUserRow(server, user.dbId);
    const updating = gqlTyped(
      server,
      UPDATE_ME,
      { input: { password: 'a brand new password', currentPassword: user.password } },
      user.token,
    );
    await held.commit({ hashedPassword: bcrypt.hashSync('the password from the reset', 4) });
    expect(errorCode(await updating)).toBe('UPDATE_USER_INVALID_PASSWORD');
    for (const [password, code] of [
      ['the password from the reset', undefined],
      ['a brand new password', 'LOGIN_BAD_CREDENTIALS'],
    ] as const) {
      expect(errorCode(await gqlTyped(server, LOGIN, { email: user.email, password })), password).toBe(code);
    }
  });
});

describe('an email change', () => {
  /** Moves the user to another address, as they can themself or a superuser can for them. */
  const changeEmail = {
    updateMe: async (user: TestUser, email: string) =>
      gqlTyped(server, UPDATE_ME, { input: { email, currentPassword: user.password } }, user.token),
    updateUser: async (user: TestUser, email: string) =>
      gqlTyped(
        server,
        UPDATE_USER,
        { id: user.id, input: { email } },
        (await signUp(server, { superuser: true })).token,
      ),
  };

  it.each(Object.keys(changeEmail) as (keyof typeof changeEmail)[])(
    'through %s ends the reset and verification links sent to the old address',
    async (through) => {
      const user = await signUp(server);
      const verifyToken = tokenFrom(await smtp.waitFor(user.email), '/verify');
      await gqlTyped(server, REQUEST_RESET, { email: user.email });
      const resetToken = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');

      const moved = `moved.${user.email}`;
      expect((await changeEmail[through](user, moved)).body.errors).toBeUndefined();

      expect(errorCode(await gqlTyped(server, RESET, { token: resetToken, password: 'taken over at last' }))).toBe(
        'RESET_PASSWORD_BAD_TOKEN',
      );
      expect(errorCode(await gqlTyped(server, VERIFY, { token: verifyToken }))).toBe('VERIFY_USER_BAD_TOKEN');
      // The account is as the owner left it: their password, the new address, unverified.
      expect(errorCode(await gqlTyped(server, LOGIN, { email: moved, password: user.password }))).toBeUndefined();
      expect(await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).toMatchObject({
        email: moved,
        isVerified: false,
      });
      // A link sent to the new address works.
      await gqlTyped(server, REQUEST_RESET, { email: moved });
      await settle();
      const fresh = tokenFrom(
        mailsTo(moved).find((mail) => mail.decoded.includes('/reset-password'))!,
        '/reset-password',
      );
      expect((await gqlTyped(server, RESET, { token: fresh, password: 'the owner’s new password' })).body).toEqual({
        data: { resetPassword: true },
      });
    },
  );

  it('landing while a reset link is being used fails the reset', async () => {
    const user = await signUp(server);
    await gqlTyped(server, REQUEST_RESET, { email: user.email });
    const token = tokenFrom(await smtp.waitFor(user.email, 2), '/reset-password');
    const held = await holdUserRow(server, user.dbId);
    const resetting = gqlTyped(server, RESET, { token, password: 'taken over at last' });
    await held.commit({ email: `elsewhere.${user.email}` });
    expect(errorCode(await resetting)).toBe('RESET_PASSWORD_BAD_TOKEN');
    expect(
      errorCode(await gqlTyped(server, LOGIN, { email: `elsewhere.${user.email}`, password: user.password })),
    ).toBeUndefined();
  });
});

describe('another spelling of an email', () => {
  const fullwidth = (email: string) => email.replace('@example.com', '@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.com');

  it('reaches the account from the reset and verification requests', async () => {
    const user = await signUp(server);
    await settle();
    const before = mailsTo(user.email).length;
    await gqlTyped(server, REQUEST_RESET, { email: fullwidth(user.email) });
    await gqlTyped(server, REQUEST_VERIFY, { email: fullwidth(user.email).toUpperCase() });
    await settle();
    const links = mailsTo(user.email)
      .slice(before)
      .map((mail) => (mail.decoded.includes('/reset-password?token=') ? 'reset' : 'verify'));
    expect(links).toEqual(['reset', 'verify']);
  });

  it('is the same email to updateMe: taken when it is another account’s, unchanged when it is one’s own', async () => {
    const user = await signUp(server);
    const other = await signUp(server);
    const currentPassword = user.password;
    const taken = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { email: fullwidth(other.email), currentPassword } },
      user.token,
    );
    expect(errorCode(taken)).toBe('UPDATE_USER_EMAIL_ALREADY_EXISTS');
    const dotted = await gqlTyped(
      server,
      UPDATE_ME,
      { input: { email: `${user.email}.`, currentPassword } },
      user.token,
    );
    expect(errorCode(dotted)).toBe('BAD_USER_INPUT');
    expect(dotted.body.errors![0]!.extensions!.field).toBe('email');
    // Not a new email, so no password is asked and nothing needs verifying again.
    const own = await gqlTyped(server, UPDATE_ME, { input: { email: fullwidth(user.email) } }, user.token);
    expect(own.body.data?.updateMe.email).toBe(user.email);
  });
});

describe('deleteMe', () => {
  it('needs the password, then removes the user, their posts and their media', async () => {
    const user = await signUp(server);
    const bystander = await signUp(server);
    const posted = await uploadPost(server.url, { token: user.token, fixture: 'photo.png' });
    const kept = await uploadPost(server.url, { token: bystander.token, fixture: 'photo.jpg' });
    const url = posted.body.data!.uploadPost.url;

    expect(errorCode(await gqlTyped(server, DELETE_ME, { password: 'wrong password' }, user.token))).toBe(
      'DELETE_USER_INVALID_PASSWORD',
    );
    expect(await server.db.user.count({ where: { id: user.dbId } })).toBe(1);

    expect((await gqlTyped(server, DELETE_ME, { password: user.password }, user.token)).body).toEqual({
      data: { deleteMe: true },
    });
    expect(await server.db.user.count({ where: { id: user.dbId } })).toBe(0);
    expect(await server.db.post.count({ where: { authorId: user.dbId } })).toBe(0);
    expect(await server.db.session.count({ where: { userId: user.dbId } })).toBe(0);
    expect((await fetch(url)).status).toBe(404);
    expect((await fetch(kept.body.data!.uploadPost.url)).status).toBe(200);
    expect((await filesUnder(server.config.uploadDir)).filter((f) => f.startsWith(user.dbId))).toEqual([]);
    expect((await gqlTyped(server, ME, {}, user.token)).body.data!.me).toBeNull();
  });
});

describe('REQUIRE_VERIFIED_LOGIN', () => {
  it('refuses an unverified user with LOGIN_USER_NOT_VERIFIED and lets a verified one in', async () => {
    const strict = await startTestServer({ REQUIRE_VERIFIED_LOGIN: 'true' });
    try {
      const input = { email: 'strict@example.com', username: 'strict', password: 'long enough password' };
      await gqlTyped(strict, REGISTER, { input });
      expect(errorCode(await gqlTyped(strict, LOGIN, { email: input.email, password: input.password }))).toBe(
        'LOGIN_USER_NOT_VERIFIED',
      );
      // A wrong password is still just bad credentials: the flag reveals nothing without the password.
      expect(errorCode(await gqlTyped(strict, LOGIN, { email: input.email, password: 'wrong password' }))).toBe(
        'LOGIN_BAD_CREDENTIALS',
      );
      await strict.db.user.update({ where: { email: input.email }, data: { isVerified: true } });
      expect(
        (await gqlTyped(strict, LOGIN, { email: input.email, password: input.password })).body.data!.login.token,
      ).toBeTruthy();
    } finally {
      await strict.close();
    }
  });
});
