import type { VariablesOf } from '@graphql-typed-document-node/core';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, WHO_AM_I as ME, REGISTER } from './operations/accounts.ts';
import { type RegisterData, signUp, type TestUser } from './support/accounts.ts';
import { errorCode, startTestServer, TEST_JWT_SECRET, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  // Some tests here send several logins or registrations at once from one address; the limit on
  // password work in flight has tests of its own (sign-in-load).
  server = await startTestServer({ PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '5' });
  alice = await signUp(server, { name: 'alice' });
});
afterAll(() => server?.close());

const register = (input: VariablesOf<typeof REGISTER>['input']) => gqlTyped(server, REGISTER, { input });
const FEED = '{ feed { edges { node { id } } } }';

describe('register', () => {
  it('creates an active, unverified, ordinary user with a normalised email', async () => {
    const res = await register({
      email: '  Bob.Smith@Example.COM ',
      username: 'Bob_Smith',
      password: 'long enough password',
    });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.register).toMatchObject({
      username: 'bob_smith',
      email: 'bob.smith@example.com',
      isActive: true,
      isVerified: false,
      isSuperuser: false,
    });
    const row = await server.db.user.findUniqueOrThrow({ where: { email: 'bob.smith@example.com' } });
    expect(row.hashedPassword).toMatch(/^\$2[aby]\$04\$/);
  });

  it.each([
    ['an email that is not an email', { email: 'not-an-email' }],
    ['a username that is too short', { username: 'ab' }],
    ['a username that is too long', { username: 'a'.repeat(31) }],
    ['a username with forbidden characters', { username: 'bad name!' }],
    ['an email with a zero-width space', { email: 'fresh\u200b@example.com' }],
    ['an email with a control character', { email: 'fresh\u0007@example.com' }],
    ['an email with a right-to-left override', { email: 'fresh\u202e@example.com' }],
    ['an email of 255 characters', { email: `${'f'.repeat(243)}@example.com` }],
    ['an email whose domain ends in a dot', { email: 'fresh@example.com.' }],
    ['an email whose domain ends in a fullwidth dot', { email: 'fresh@example.com\uff0e' }],
    ['an email whose domain is no domain', { email: 'fresh@exa%mple.com' }],
  ])('refuses %s with BAD_USER_INPUT', async (_label, override) => {
    const res = await register({
      email: 'fresh@example.com',
      username: 'fresh_user',
      password: 'long enough password',
      ...override,
    });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    if ('email' in override) expect(res.body.errors![0]!.extensions!.field).toBe('email');
    expect(await server.db.user.count({ where: { email: 'fresh@example.com' } })).toBe(0);
  });

  it.each([
    ['the same email, differently cased', { email: 'ALICE@example.com', username: 'someone_else' }],
    ['the same username, differently cased', { email: 'other@example.com', username: 'ALICE' }],
  ])('refuses %s with REGISTER_USER_ALREADY_EXISTS', async (_label, input) => {
    const res = await register({ password: 'long enough password', ...input });
    expect(errorCode(res)).toBe('REGISTER_USER_ALREADY_EXISTS');
  });

  it('makes one account of every spelling of one mailbox, and signs it in with any of them', async () => {
    const password = 'long enough password';
    const plain = await register({ email: 'ada@example.com', username: 'ada_plain', password });
    const accented = await register({ email: 'ada@exampl\u00e9.com', username: 'ada_accented', password });
    expect(plain.body.data!.register.email).toBe('ada@example.com');
    expect(accented.body.data!.register.email).toBe('ada@exampl\u00e9.com');
    const spellings: [string, RegisterData][] = [
      ['ada@\uff45xample.com', plain.body.data!],
      ['ADA@\uff25\uff38\uff21\uff2d\uff30\uff2c\uff25.COM', plain.body.data!],
      ['ada@example\u3002com', plain.body.data!],
      // e and a combining acute accent: what some keyboards and filesystems send for \u00e9.
      ['ada@exampl\u0065\u0301.com', accented.body.data!],
      ['ADA@EXAMPL\u00c9.COM', accented.body.data!],
      ['ada@xn--exampl-gva.com', accented.body.data!],
    ];
    for (const [i, [email, owner]] of spellings.entries()) {
      expect(errorCode(await register({ email, username: `ada_again_${i}`, password })), email).toBe(
        'REGISTER_USER_ALREADY_EXISTS',
      );
      const login = await gqlTyped(server, LOGIN, { email, password });
      expect(login.body.data?.login.user.id, email).toBe(owner.register.id);
    }
    expect(await server.db.user.count({ where: { username: { startsWith: 'ada_' } } })).toBe(2);
  });

  it('refuses a short password, or one containing the email, with a reason', async () => {
    const short = await register({ email: 'carol@example.com', username: 'carol', password: 'short' });
    expect(errorCode(short)).toBe('REGISTER_INVALID_PASSWORD');
    expect(short.body.errors![0]!.extensions!.reason).toMatch(/at least 8 characters/);
    const withEmail = await register({
      email: 'carol@example.com',
      username: 'carol',
      password: 'xxCAROL@example.comxx',
    });
    expect(errorCode(withEmail)).toBe('REGISTER_INVALID_PASSWORD');
    expect(withEmail.body.errors![0]!.extensions!.reason).toMatch(/e-mail/);
    expect(await server.db.user.count({ where: { email: 'carol@example.com' } })).toBe(0);
  });

  it('gives a client no way to make itself superuser, active or verified', async () => {
    const res = await server.gql(
      'mutation { register(input: { email: "mallory@example.com", username: "mallory", password: "long enough password", isSuperuser: true, isVerified: true }) { id } }',
    );
    expect(errorCode(res)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(await server.db.user.count({ where: { email: 'mallory@example.com' } })).toBe(0);
  });

  it('lets concurrent registrations of one email make one account', async () => {
    const input = { email: 'race@example.com', username: 'racer', password: 'long enough password' };
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => register({ ...input, username: `racer${i}` })),
    );
    const codes = results.map((r) => (r.body.errors ? errorCode(r) : 'OK')).sort();
    expect(codes).toEqual([
      'OK',
      'REGISTER_USER_ALREADY_EXISTS',
      'REGISTER_USER_ALREADY_EXISTS',
      'REGISTER_USER_ALREADY_EXISTS',
      'REGISTER_USER_ALREADY_EXISTS',
    ]);
    expect(await server.db.user.count({ where: { email: 'race@example.com' } })).toBe(1);
  });
});

describe('login', () => {
  it('returns a bearer token that signs the user in', async () => {
    const res = await gqlTyped(server, LOGIN, { email: ' ALICE@example.com', password: alice.password });
    const payload = res.body.data!.login;
    expect(payload.tokenType).toBe('bearer');
    expect(payload.user).toMatchObject({ id: alice.id, email: 'alice@example.com' });
    const lifetime = new Date(payload.expiresAt).getTime() - Date.now();
    expect(lifetime).toBeGreaterThan(3590_000);
    expect(lifetime).toBeLessThanOrEqual(3600_000);
    const claims = jwt.decode(payload.token!, { complete: true })!;
    expect(claims.header.alg).toBe('HS256');
    expect(claims.payload).toMatchObject({ iss: 'photo-feed-api', aud: 'photo-feed-api:auth', sub: alice.dbId });
    expect((claims.payload as jwt.JwtPayload).jti).toMatch(/^[0-9a-f-]{36}$/);
    const me = await gqlTyped(server, ME, {}, payload.token);
    expect(me.body.data!.me).toMatchObject({ id: alice.id, email: 'alice@example.com' });
  });

  it('answers LOGIN_BAD_CREDENTIALS alike for an unknown email, a wrong password and an inactive user', async () => {
    const inactive = await signUp(server);
    await server.db.user.update({ where: { id: inactive.dbId }, data: { isActive: false } });
    const answers = await Promise.all([
      gqlTyped(server, LOGIN, { email: 'nobody@example.com', password: 'whatever password' }),
      gqlTyped(server, LOGIN, { email: alice.email, password: 'wrong password' }),
      gqlTyped(server, LOGIN, { email: inactive.email, password: inactive.password }),
    ]);
    for (const answer of answers) {
      expect(answer.body.data).toBeNull();
      expect(answer.body.errors).toEqual([
        expect.objectContaining({ message: 'Wrong email or password.', extensions: { code: 'LOGIN_BAD_CREDENTIALS' } }),
      ]);
    }
  });

  it('spends bcrypt time on an unknown email too, so timing does not tell which emails exist', async () => {
    // Cost 10 makes one bcrypt compare take tens of milliseconds, far above the request's other work.
    const slow = await startTestServer({ BCRYPT_COST: '10', LOGIN_MAX_FAILURES: '100' });
    try {
      const user = await signUp(slow);
      const time = async (email: string) => {
        const started = performance.now();
        const res = await gqlTyped(slow, LOGIN, { email, password: 'wrong password' });
        expect(errorCode(res)).toBe('LOGIN_BAD_CREDENTIALS');
        return performance.now() - started;
      };
      await time('warm-up@example.com');
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const unknown: number[] = [];
      const known: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        unknown.push(await time(`nobody${i}@example.com`));
        known.push(await time(user.email));
      }
      // Without the dummy hash an unknown email answers in about 1 ms against tens for a known one.
      expect(median(unknown) / median(known)).toBeGreaterThan(0.5);
    } finally {
      await slow.close();
    }
  });
});

describe('tokens', () => {
  const sign = (payload: object, secret = TEST_JWT_SECRET, options: jwt.SignOptions = {}) =>
    jwt.sign({ sub: alice.dbId, jti: '00000000-0000-4000-8000-000000000000', ...payload }, secret, {
      algorithm: 'HS256',
      issuer: 'photo-feed-api',
      audience: 'photo-feed-api:auth',
      expiresIn: 600,
      ...options,
    });

  it('refuses bad tokens: me is null and guarded fields are UNAUTHENTICATED', async () => {
    const valid = alice.token;
    const [header, payload, signature] = valid.split('.');
    const decoded = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const bad = {
      'alg none': `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`,
      'another secret': jwt.sign(decoded, 'another-secret-another-secret-another-secret', { algorithm: 'HS256' }),
      expired: jwt.sign({ ...decoded, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
      }),
      tampered: `${header}.${Buffer.from(JSON.stringify({ ...decoded, sub: 'someone-else' })).toString('base64url')}.${signature}`,
      'wrong audience': jwt.sign({ ...decoded, aud: 'photo-feed-api:reset' }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
      'wrong issuer': jwt.sign({ ...decoded, iss: 'someone-else' }, TEST_JWT_SECRET, { algorithm: 'HS256' }),
      'unknown session': sign({}),
      garbage: 'not.a.token',
    };
    for (const [label, token] of Object.entries(bad)) {
      const me = await gqlTyped(server, ME, {}, token);
      expect(me.body.data, label).toEqual({ me: null });
      const feed = await server.gql(FEED, {}, token);
      expect(errorCode(feed), label).toBe('UNAUTHENTICATED');
    }
    // The untouched token still works, so the refusals above are about the tokens.
    expect((await gqlTyped(server, ME, {}, valid)).body.data!.me!.id).toBe(alice.id);
  });

  it('me is null without a token, and guarded operations are UNAUTHENTICATED', async () => {
    expect((await gqlTyped(server, ME)).body.data).toEqual({ me: null });
    for (const query of [
      FEED,
      '{ post(id: "UG9zdDox") { id } }',
      '{ node(id: "UG9zdDox") { id } }',
      'mutation { logout }',
      'mutation { deletePost(id: "UG9zdDox") }',
    ]) {
      expect(errorCode(await server.gql(query)), query).toBe('UNAUTHENTICATED');
    }
  });

  it('a deactivated user is signed out at once', async () => {
    const user = await signUp(server);
    expect((await gqlTyped(server, ME, {}, user.token)).body.data!.me).not.toBeNull();
    await server.db.user.update({ where: { id: user.dbId }, data: { isActive: false } });
    await server.wroteBehindTheApp();
    expect((await gqlTyped(server, ME, {}, user.token)).body.data!.me).toBeNull();
  });
});
