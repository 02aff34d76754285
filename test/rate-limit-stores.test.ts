// The stores the rate limits are counted in (src/infra/rate-limits/): the in-memory one holds at most
// RATE_LIMIT_MEMORY_MAX_KEYS windows and no flood can push out the ones that hold someone back; Redis,
// while unreachable, refuses instead of letting requests through, and counts again once it is back.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStoreFull, MemoryWindows } from '../src/infra/rate-limits/memory-store.ts';
import { LOGIN, type LoginData, REGISTER, signUp, type TestUser } from './support/accounts.ts';
import { codeOf, rawGql } from './support/http.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const login = (server: TestServer, email: string, password: string, ip: string) =>
  server.gql<LoginData>(LOGIN, { email, password }, null, from(ip));
const register = (server: TestServer, name: string, ip: string) =>
  server.gql(
    REGISTER,
    { input: { email: `${name}@example.com`, username: name, password: 'long enough password' } },
    null,
    from(ip),
  );

describe('the in-memory store under a flood of refused sign-ins', () => {
  const VICTIM_GUESSER = '198.51.100.10';
  const FLOODER = '192.0.2.66';
  const REGISTRAR = '203.0.113.9';
  let server: TestServer;
  let victim: TestUser;
  beforeAll(async () => {
    server = await startTestServer({
      // Far fewer windows than the flood below would open if refusals opened windows.
      RATE_LIMIT_MEMORY_MAX_KEYS: '40',
      // Every flooding request reaches the sign-in limits (none is turned away for checks in flight).
      PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '20',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_MAX_FAILURES_PER_IP: '5',
      REGISTER_MAX_PER_IP: '1',
      TRUST_PROXY: 'true',
    });
    victim = await signUp(server);
  });
  afterAll(() => server?.close());

  it("keeps the victim's guess count, the flooder's own window and the registration limit", async () => {
    // Two of the three guesses at the victim's password from one place.
    for (let i = 0; i < 2; i += 1)
      expect(errorCode(await login(server, victim.email, `guess ${i}`, VICTIM_GUESSER))).toBe('LOGIN_BAD_CREDENTIALS');
    // A client that used up its registrations.
    expect(errorCode(await register(server, 'flood_reg0', REGISTRAR))).toBeUndefined();
    expect(errorCode(await register(server, 'flood_reg1', REGISTRAR))).toBe('RATE_LIMITED');
    // The flooder uses up its own failures, then sends 100 sign-ins to new emails, all refused.
    for (let i = 0; i < 5; i += 1)
      expect(errorCode(await login(server, `f${i}.${randomUUID()}@example.com`, 'wrong password', FLOODER))).toBe(
        'LOGIN_BAD_CREDENTIALS',
      );
    for (let batch = 0; batch < 5; batch += 1) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          rawGql(
            server.url,
            LOGIN,
            { email: `${randomUUID()}@example.com`, password: 'wrong password' },
            from(FLOODER),
          ),
        ),
      );
      expect(answers.map(codeOf)).toEqual(Array(20).fill('RATE_LIMITED'));
    }
    expect(server.app.services.rateLimits.windows.size).toBeLessThanOrEqual(40);

    // The victim's count stands: one guess left, then even the right password is refused from there.
    expect(errorCode(await login(server, victim.email, 'guess 2', VICTIM_GUESSER))).toBe('LOGIN_BAD_CREDENTIALS');
    expect(errorCode(await login(server, victim.email, victim.password, VICTIM_GUESSER))).toBe('RATE_LIMITED');
    // The flooder is still held back, and so is the client that used up its registrations.
    expect(errorCode(await login(server, `${randomUUID()}@example.com`, 'wrong password', FLOODER))).toBe(
      'RATE_LIMITED',
    );
    expect(errorCode(await register(server, 'flood_reg2', REGISTRAR))).toBe('RATE_LIMITED');
    expect(await server.db.user.count({ where: { username: { startsWith: 'flood_reg' } } })).toBe(1);
    // The owner, from elsewhere, signs in as usual.
    expect((await login(server, victim.email, victim.password, '198.51.100.11')).body.data?.login.token).toBeTruthy();
  });
});

describe('the in-memory store when full of windows at their limit', () => {
  it('refuses what needs a new window with RATE_LIMITED, and lets through what has one', async () => {
    const server = await startTestServer({
      RATE_LIMIT_MEMORY_MAX_KEYS: '3',
      REGISTER_MAX_PER_IP: '1',
      LOGIN_MAX_FAILURES_PER_IP: '100',
      TRUST_PROXY: 'true',
    });
    try {
      for (let i = 0; i < 3; i += 1)
        expect(errorCode(await register(server, `full_${i}`, `203.0.113.${i}`))).toBeUndefined();
      // Three registration windows at their limit fill the store: a sign-in needs windows of its own.
      const refused = await login(server, 'nobody@example.com', 'wrong password', '198.51.100.1');
      expect(errorCode(refused)).toBe('RATE_LIMITED');
      expect(refused.body.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(3500);
      expect(errorCode(await login(server, 'nobody2@example.com', 'wrong password', '198.51.100.2'))).toBe(
        'RATE_LIMITED',
      );
      // Said once, not once a refusal.
      expect(server.logs.filter((line) => line.includes('the in-memory store is full'))).toHaveLength(1);
      // Nothing was let through for want of room: the full clients are still refused.
      expect(errorCode(await register(server, 'full_3', '203.0.113.0'))).toBe('RATE_LIMITED');
      expect(server.app.services.rateLimits.windows.size).toBe(3);
    } finally {
      await server.close();
    }
  });
});

describe('the in-memory store', () => {
  const MINUTE = 60_000;

  it('drops expired windows first, then the oldest below its limit, and never one at its limit', () => {
    let now = 0;
    const windows = new MemoryWindows({ maxKeys: 3, now: () => now });
    try {
      windows.upsert('full', 1, MINUTE, false, 1);
      windows.upsert('early', 1, MINUTE, false, 5);
      now = 30_000;
      windows.upsert('open', 1, MINUTE, false, 5);
      now = 61_000;
      // The store is full; "full" and "early" expired at 60 s and go first.
      windows.upsert('late', 1, MINUTE, false, 5);
      expect([windows.size, windows.get('full'), windows.get('early')]).toEqual([2, null, null]);
      windows.upsert('at-limit', 2, MINUTE, false, 2);
      // Full again, nothing expired: the oldest window below its limit ("open") makes room.
      windows.upsert('newest', 1, MINUTE, false, 5);
      expect(windows.get('open')).toBeNull();
      expect(windows.get('at-limit')).toEqual({ consumed: 2, msBeforeNext: MINUTE });
      expect(windows.get('late')).toEqual({ consumed: 1, msBeforeNext: MINUTE });
    } finally {
      windows.close();
    }
  });

  it('refuses a new window when every window is at its limit, and takes points back without opening one', () => {
    let now = 0;
    const windows = new MemoryWindows({ maxKeys: 2, now: () => now });
    try {
      windows.upsert('a', 3, MINUTE, false, 3);
      now = 10_000;
      windows.upsert('b', 1, MINUTE, false, 1);
      let refused: unknown;
      try {
        windows.upsert('c', 1, MINUTE, false, 5);
      } catch (error) {
        refused = error;
      }
      // Until "a" expires, 50 s later.
      expect(refused).toBeInstanceOf(MemoryStoreFull);
      expect((refused as MemoryStoreFull).retryAfterMs).toBe(50_000);
      // Giving back to a missing window opens none; a window given back to zero is dropped.
      expect(windows.upsert('missing', -1, MINUTE, false, 5)).toEqual({ consumed: 0, msBeforeNext: 0 });
      windows.upsert('b', -1, MINUTE, false, 1);
      expect([windows.size, windows.get('missing'), windows.get('b')]).toEqual([1, null, null]);
      now = 60_000;
      windows.prune();
      expect(windows.size).toBe(0);
    } finally {
      windows.close();
    }
  });
});
