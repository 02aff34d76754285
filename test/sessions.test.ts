// Sessions that last: refresh tokens (hashed, rotated, reuse ends the session), the viewer's list of
// sessions and revoking one. Against the real server over HTTP; races on connections of their own.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MY_SESSIONS_ALL as MY_SESSIONS, REVOKE_SESSION } from './operations/sessions.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { rawGql } from './support/http.ts';
import { dbIdOf, globalIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { loginWithRefresh, type Pair, REFRESH, refreshSession, sessionIdOf, signedIn } from './support/sessions.ts';
import { gqlTyped } from './support/typed.ts';

const DAY_MS = 86_400_000;

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});
afterAll(() => server?.close());

const login = loginWithRefresh;
const refresh = refreshSession;

describe('login', () => {
  it('returns a refresh token beside the access token, valid REFRESH_TOKEN_LIFETIME_SECONDS, stored only as a hash', async () => {
    // Expiries are counted from the login's second (whole seconds, as a JWT's exp is), which may be the
    // second after `before`.
    const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
    const before = wholeSecond(Date.now());
    const pair = await login(server, alice);
    const after = wholeSecond(Date.now());
    expect(pair.refreshToken).toMatch(/^[\w-]{43}$/);
    const refreshExpiresAt = new Date(pair.refreshExpiresAt).getTime();
    expect(refreshExpiresAt).toBeGreaterThanOrEqual(before + 30 * DAY_MS);
    expect(refreshExpiresAt).toBeLessThanOrEqual(after + 30 * DAY_MS);
    // The access token still lives JWT_LIFETIME_SECONDS.
    expect(new Date(pair.expiresAt).getTime()).toBeLessThanOrEqual(after + 3600_000);

    const rows = await server.db.refreshToken.findMany({ where: { sessionId: sessionIdOf(pair.token) } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(createHash('sha256').update(pair.refreshToken).digest('hex'));
    expect(JSON.stringify(rows)).not.toContain(pair.refreshToken);
  });
});

describe('refreshSession', () => {
  it('rotates: a new pair that works, and the old refresh token dies', async () => {
    const first = await login(server, alice);
    const res = await refresh(server, first.refreshToken);
    expect(res.body.errors).toBeUndefined();
    const second = res.body.data!.refreshSession;
    expect(second).toMatchObject({ tokenType: 'bearer', user: { id: alice.id, email: alice.email } });
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await signedIn(server, second.token)).toBe(true);
    // The same session, renewed: one row, two refresh tokens of which the first is spent.
    expect(sessionIdOf(second.token)).toBe(sessionIdOf(first.token));
    const tokens = await server.db.refreshToken.findMany({ where: { sessionId: sessionIdOf(first.token) } });
    expect(tokens.map((t) => t.rotatedAt !== null).sort()).toEqual([false, true]);
    // The new one rotates in turn.
    const third = await refresh(server, second.refreshToken);
    expect(third.body.data!.refreshSession.refreshToken).toBeTruthy();
  });

  it('ends the whole session when a rotated refresh token is presented again (reuse detection)', async () => {
    const stolen = await login(server, alice);
    const owner = (await refresh(server, stolen.refreshToken)).body.data!.refreshSession;
    // The thief presents the token the owner has already rotated.
    const replay = await refresh(server, stolen.refreshToken);
    expect(errorCode(replay)).toBe('REFRESH_TOKEN_INVALID');
    // Everything of that session is dead: the owner's fresh access token and refresh token too.
    expect(await signedIn(server, owner.token)).toBe(false);
    expect(errorCode(await refresh(server, owner.refreshToken))).toBe('REFRESH_TOKEN_INVALID');
    expect(await server.db.session.count({ where: { id: sessionIdOf(stolen.token) } })).toBe(0);
    expect(server.logs.some((line) => line.includes('refresh token reused'))).toBe(true);
    // Alice's other sessions go on.
    expect(await signedIn(server, alice.token)).toBe(true);
  });

  it('gives at most one pair for one token presented on parallel connections, and then ends the session', async () => {
    const pair = await login(server, alice);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => rawGql(server.url, REFRESH, { refreshToken: pair.refreshToken })),
    );
    const bodies = answers.map((a) => a.json as { data?: { refreshSession: Pair } | null; errors?: unknown[] });
    const issued = bodies.filter((b) => b.data?.refreshSession).map((b) => b.data!.refreshSession);
    const refused = bodies.filter((b) => JSON.stringify(b.errors ?? []).includes('REFRESH_TOKEN_INVALID'));
    expect(issued.length).toBeLessThanOrEqual(1);
    expect(issued.length + refused.length, server.logs.filter((l) => l.includes('unexpected')).join('\n')).toBe(6);
    // Presented more than once: whatever was issued is dead as well.
    for (const newer of issued) {
      expect(await signedIn(server, newer.token)).toBe(false);
      expect(errorCode(await refresh(server, newer.refreshToken))).toBe('REFRESH_TOKEN_INVALID');
    }
    expect(await server.db.session.count({ where: { id: sessionIdOf(pair.token) } })).toBe(0);
  });

  it.each([
    ['unknown', async () => 'x'.repeat(43)],
    ['empty', async () => ''],
    [
      'expired',
      async () => {
        const pair = await login(server, alice);
        await server.db.refreshToken.updateMany({
          where: { sessionId: sessionIdOf(pair.token) },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        return pair.refreshToken;
      },
    ],
    [
      'of a session that has expired',
      async () => {
        const pair = await login(server, alice);
        await server.db.session.update({
          where: { id: sessionIdOf(pair.token) },
          data: { expiresAt: new Date(Date.now() - 1000) },
        });
        return pair.refreshToken;
      },
    ],
    [
      'of a signed-out session',
      async () => {
        const pair = await login(server, alice);
        await server.gql('mutation { logout }', {}, pair.token);
        return pair.refreshToken;
      },
    ],
  ])('refuses a refresh token that is %s with REFRESH_TOKEN_INVALID', async (_label, make) => {
    const token = await make();
    const res = await refresh(server, token);
    expect(errorCode(res)).toBe('REFRESH_TOKEN_INVALID');
    expect(res.body.data).toBeNull();
  });

  it('refuses the refresh token of a deactivated account', async () => {
    const user = await signUp(server);
    const pair = await login(server, user);
    await server.db.user.update({ where: { id: user.dbId }, data: { isActive: false } });
    expect(errorCode(await refresh(server, pair.refreshToken))).toBe('REFRESH_TOKEN_INVALID');
  });

  it('never takes a session past its absolute expiry (SESSION_ABSOLUTE_LIFETIME_SECONDS)', async () => {
    const pair = await login(server, alice);
    const cap = new Date(Math.floor(Date.now() / 1000) * 1000 + 120_000);
    await server.db.session.update({ where: { id: sessionIdOf(pair.token) }, data: { absoluteExpiresAt: cap } });
    const renewed = (await refresh(server, pair.refreshToken)).body.data!.refreshSession;
    expect(new Date(renewed.refreshExpiresAt).getTime()).toBe(cap.getTime());
    expect(new Date(renewed.expiresAt).getTime()).toBe(cap.getTime());
  });

  it('starts from SESSION_ABSOLUTE_LIFETIME_SECONDS when it is shorter than the refresh lifetime', async () => {
    const short = await startTestServer({ SESSION_ABSOLUTE_LIFETIME_SECONDS: '600' });
    try {
      const user = await signUp(short);
      // Counted from the login's whole second, which may be the one after `before`.
      const before = Date.now();
      const pair = await login(short, user);
      const after = Date.now();
      const expiresAt = new Date(pair.refreshExpiresAt).getTime();
      expect(expiresAt).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 600_000);
      expect(expiresAt).toBeLessThanOrEqual(Math.floor(after / 1000) * 1000 + 600_000);
      expect(new Date(pair.expiresAt).getTime()).toBeLessThanOrEqual(new Date(pair.refreshExpiresAt).getTime());
    } finally {
      await short.close();
    }
  });
});

describe('mySessions and revokeSession', () => {
  it("lists the viewer's live sessions, with the user agent and which one is current, and nobody else's", async () => {
    const user = await signUp(server);
    const phone = await login(server, user, { 'user-agent': 'PhotoFeed/2.1 (iPhone; iOS 18.1)' });
    const laptop = await login(server, user, { 'user-agent': `Mozilla/5.0 ${'x'.repeat(600)}` });
    const res = await gqlTyped(server, MY_SESSIONS, {}, phone.token);
    expect(res.body.errors).toBeUndefined();
    const sessions = res.body.data!.mySessions;
    // signUp's own session, and the two above.
    expect(sessions).toHaveLength(3);
    const byId = new Map(sessions.map((s) => [dbIdOf(s.id), s]));
    const phoneRow = byId.get(sessionIdOf(phone.token))!;
    expect(phoneRow).toMatchObject({
      transport: 'BEARER',
      current: true,
      userAgent: 'PhotoFeed/2.1 (iPhone; iOS 18.1)',
    });
    expect(new Date(phoneRow.expiresAt).getTime()).toBe(new Date(phone.refreshExpiresAt).getTime());
    const laptopRow = byId.get(sessionIdOf(laptop.token))!;
    expect(laptopRow.current).toBe(false);
    expect(laptopRow.userAgent).toHaveLength(512);
    // Alice's sessions are not on Bob's list, and his are not on hers.
    const hers = (await gqlTyped(server, MY_SESSIONS, {}, alice.token)).body.data!.mySessions;
    expect(hers.map((s) => s.id)).not.toContain(phoneRow.id);
    // An expired session is not listed.
    await server.db.session.update({
      where: { id: sessionIdOf(laptop.token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const after = (await gqlTyped(server, MY_SESSIONS, {}, phone.token)).body.data!.mySessions;
    expect(after).toHaveLength(2);
  });

  it('ends one session: its access token and its refresh token are refused at once', async () => {
    const user = await signUp(server);
    const keep = await login(server, user);
    const lost = await login(server, user);
    const res = await gqlTyped(
      server,
      REVOKE_SESSION,
      { id: globalIdOf('Session', sessionIdOf(lost.token)) },
      keep.token,
    );
    expect(res.body.data).toEqual({ revokeSession: true });
    expect(await signedIn(server, lost.token)).toBe(false);
    expect(errorCode(await refresh(server, lost.refreshToken))).toBe('REFRESH_TOKEN_INVALID');
    expect(await signedIn(server, keep.token)).toBe(true);
    // The current session can end itself this way too.
    await gqlTyped(server, REVOKE_SESSION, { id: globalIdOf('Session', sessionIdOf(keep.token)) }, keep.token);
    expect(await signedIn(server, keep.token)).toBe(false);
  });

  it("refuses another user's session (NOT_FOUND), an id of another type (BAD_USER_INPUT) and no viewer", async () => {
    const user = await signUp(server);
    const mine = await login(server, user);
    const hers = globalIdOf('Session', sessionIdOf(alice.token));
    const revoke = (id: string, token: string | null) => gqlTyped(server, REVOKE_SESSION, { id }, token);
    expect(errorCode(await revoke(hers, mine.token))).toBe('NOT_FOUND');
    expect(await signedIn(server, alice.token)).toBe(true);
    const other = await revoke(alice.id, mine.token);
    expect(errorCode(other)).toBe('BAD_USER_INPUT');
    expect(other.body.errors![0]!.extensions!.field).toBe('id');
    expect(errorCode(await revoke(hers, null))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gqlTyped(server, MY_SESSIONS))).toBe('UNAUTHENTICATED');
  });
});

describe('maintenance', () => {
  it('prunes refresh tokens past their expiry, and keeps live ones', async () => {
    const pair = await login(server, alice);
    const sessionId = sessionIdOf(pair.token);
    await server.db.refreshToken.create({
      data: { sessionId, tokenHash: 'expired-hash', expiresAt: new Date(Date.now() - 1000) },
    });
    await server.app.services.maintenance.runOnce();
    expect(await server.db.refreshToken.count({ where: { tokenHash: 'expired-hash' } })).toBe(0);
    expect(await server.db.refreshToken.count({ where: { sessionId } })).toBe(1);
    expect((await refresh(server, pair.refreshToken)).body.data!.refreshSession.refreshToken).toBeTruthy();
  });
});
