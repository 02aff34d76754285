// A dependency that goes away while the server runs: PostgreSQL or Redis, each reached through a TCP
// proxy the test cuts (the machine's own services stay up for everyone else). Requests that need it
// are answered SERVICE_UNAVAILABLE, HTTP 503 with Retry-After, within 3 s, and nothing is half-written;
// /health answers 503 naming it; once it is back the same server works again within 5 s. Rate limits
// never let a request through unlimited while Redis is down.
//
// The database cases pin PostgreSQL (a SQLite file cannot become unreachable), so they run in every
// pass; the Redis cases run on the pass's database.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, REGISTER, signUp, type TestUser } from '../support/accounts.ts';
import { codeOf, firstError, rawGql } from '../support/http.ts';
import {
  expectHealthDown,
  expectUnavailable,
  FEED,
  health,
  modes,
  RECOVER_WITHIN_MS,
  rawUpload,
  timeToRecover,
} from '../support/outages.ts';
import { filesUnder, startTestServer, TEST_REDIS_URL, type TestServer } from '../support/server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

describe('with Redis unreachable', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(TEST_REDIS_URL).port || 6379) });
    server = await startTestServer(
      {
        REDIS_URL: proxy.urlFor(TEST_REDIS_URL),
        LOGIN_MAX_FAILURES: '3',
        REGISTER_MAX_PER_IP: '3',
        // The requests below race on purpose: only the outage and the failure limit may decide them.
        PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '20',
      },
      { redisKeyPrefix: `test:outages:${Date.now()}:` },
    );
    user = await signUp(server);
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it.each(modes)(
    'answers what counts against a limit SERVICE_UNAVAILABLE within 3 s while it is %s, and recovers within 5 s',
    async (_, goDown) => {
      const other = await signUp(server);
      await goDown(proxy);
      // More wrong passwords than LOGIN_MAX_FAILURES and registrations than REGISTER_MAX_PER_IP, at once:
      // without the counters none goes ahead, so none is checked or written.
      const answers = await Promise.all([
        ...Array.from({ length: 6 }, () =>
          rawGql(server.url, LOGIN, { email: other.email, password: 'a wrong guess' }),
        ),
        ...Array.from({ length: 5 }, (_, i) =>
          rawGql(server.url, REGISTER, {
            input: { email: `outage${i}@example.com`, username: `outage_${i}`, password: 'correct horse battery' },
          }),
        ),
        rawGql(server.url, LOGIN, { email: user.email, password: user.password }),
        rawUpload(server.url, user.token),
      ]);
      for (const answer of answers) expectUnavailable(answer, 'Redis');
      await expectHealthDown(server, 'Redis');
      // What needs no counter goes on.
      const feed = await rawGql(server.url, FEED, {}, { authorization: `Bearer ${user.token}` });
      expect(feed.status).toBe(200);
      expect(firstError(feed)).toBeUndefined();

      await proxy.cut();
      await proxy.restore();
      const took = await timeToRecover(async () => {
        const [login, healthy] = await Promise.all([
          rawGql(server.url, LOGIN, { email: user.email, password: user.password }),
          health(server),
        ]);
        return login.status === 200 && !firstError(login) && healthy.status === 200;
      });
      expect(took).toBeLessThan(RECOVER_WITHIN_MS);
      expect(await server.db.user.count({ where: { email: { startsWith: 'outage' } } })).toBe(0);
      expect(await server.db.post.count({ where: { author: { email: user.email } } })).toBe(0);
      expect(await filesUnder(server.config.uploadDir)).toEqual([]);
      // The limits hold as before: the guesses refused during the outage counted for nothing, and the
      // fourth wrong password now is one too many.
      const guesses = [];
      for (let i = 0; i < 4; i += 1)
        guesses.push(codeOf(await rawGql(server.url, LOGIN, { email: other.email, password: 'a wrong guess' })));
      expect(guesses).toEqual([
        'LOGIN_BAD_CREDENTIALS',
        'LOGIN_BAD_CREDENTIALS',
        'LOGIN_BAD_CREDENTIALS',
        'RATE_LIMITED',
      ]);
      expect(server.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    },
  );
});
