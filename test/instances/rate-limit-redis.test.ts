// Password guessing limits counted in Redis (src/infra/rate-limits/login-limits.ts): instances share them,
// and requests racing on separate connections to either cannot get more guesses than the limit.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { LOGIN, signUp } from '../support/accounts.ts';
import { codeOf, rawGql } from '../support/http.ts';
import { errorCode, startTestServer } from '../support/server.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Sends `count` logins at once, each on its own connection, and tallies the answers by code. */
async function raceLogins(urls: string[], email: string, count: number, headers: Record<string, string>) {
  const answers = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      rawGql(urls[i % urls.length]!, LOGIN, { email, password: `wrong guess ${i}` }, headers),
    ),
  );
  const tally: Record<string, number> = {};
  for (const answer of answers) {
    const code = codeOf(answer) ?? 'OK';
    tally[code] = (tally[code] ?? 0) + 1;
  }
  return tally;
}

describe('login limits through Redis', () => {
  it('hold for parallel logins spread over two instances, with hashed keys that expire', async () => {
    const redisKeyPrefix = `test:${randomUUID()}:`;
    // Only the failure count decides (see the test of 24 logins at once).
    const env = {
      LOGIN_MAX_FAILURES: '5',
      LOGIN_MAX_PER_MINUTE: '40',
      PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '40',
      REDIS_URL,
    };
    const a = await startTestServer(env, { redisKeyPrefix });
    const b = await startTestServer({ ...env, DATABASE_URL: a.config.databaseUrl }, { dir: a.dir, redisKeyPrefix });
    const redis = new Redis(REDIS_URL);
    try {
      const user = await signUp(a);
      const tally = await raceLogins([a.url, b.url], user.email, 40, {});
      expect(tally).toEqual({ LOGIN_BAD_CREDENTIALS: 5, RATE_LIMITED: 35 });
      expect(errorCode(await b.gql(LOGIN, { email: user.email, password: user.password }))).toBe('RATE_LIMITED');

      const keys = await redis.keys(`${redisKeyPrefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(key).not.toContain(user.email);
        expect(key.length).toBeLessThan(redisKeyPrefix.length + 60);
        expect(await redis.ttl(key)).toBeGreaterThan(0);
      }
    } finally {
      await redis.quit();
      await a.close();
      await b.close();
    }
  });
});
