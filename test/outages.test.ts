// A dependency that goes away while the server runs: PostgreSQL or Redis, each reached through a TCP
// proxy the test cuts (the machine's own services stay up for everyone else). Requests that need it
// are answered SERVICE_UNAVAILABLE, HTTP 503 with Retry-After, within 3 s, and nothing is half-written;
// /health answers 503 naming it; once it is back the same server works again within 5 s. Rate limits
// never let a request through unlimited while Redis is down.
//
// The database cases pin PostgreSQL (a SQLite file cannot become unreachable), so they run in every
// pass; the Redis cases run on the pass's database.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, REGISTER, signUp, type TestUser } from './support/accounts.ts';
import { newPostgresTestUrl } from './support/database.ts';
import { firstError, rawGql } from './support/http.ts';
import {
  expectHealthDown,
  expectUnavailable,
  FEED,
  health,
  modes,
  RECOVER_WITHIN_MS,
  rawUpload,
  timeToRecover,
} from './support/outages.ts';
import { filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.ts';

describe('with the database unreachable', () => {
  let proxy: TcpProxy;
  let server: TestServer;
  let user: TestUser;

  beforeAll(async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
    server = await startTestServer({ DATABASE_URL: proxy.urlFor(newPostgresTestUrl()), REGISTER_MAX_PER_IP: '0' });
    user = await signUp(server);
  });
  afterEach(() => proxy.restore());
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  it.each(modes)(
    'answers SERVICE_UNAVAILABLE within 3 s while it is %s, and recovers within 5 s',
    async (_, goDown) => {
      await goDown(proxy);
      const [feed, login, register, upload] = await Promise.all([
        rawGql(server.url, FEED, {}, { authorization: `Bearer ${user.token}` }),
        rawGql(server.url, LOGIN, { email: user.email, password: user.password }),
        rawGql(server.url, REGISTER, {
          input: { email: 'during-outage@example.com', username: 'during_outage', password: 'correct horse battery' },
        }),
        rawUpload(server.url, user.token),
      ]);
      for (const answer of [feed, login, register, upload]) expectUnavailable(answer, 'database');
      await expectHealthDown(server, 'database');

      // Dropped routes leave their connections hanging: the proxy drops them as a restarted network would.
      await proxy.cut();
      await proxy.restore();
      const took = await timeToRecover(async () => {
        const [answer, healthy] = await Promise.all([
          rawGql(server.url, FEED, {}, { authorization: `Bearer ${user.token}` }),
          health(server),
        ]);
        return answer.status === 200 && !firstError(answer) && healthy.status === 200;
      });
      expect(took).toBeLessThan(RECOVER_WITHIN_MS);
      expect((await health(server)).json).toEqual({ status: 'ok' });
      // Nothing of the refused requests was written or kept.
      expect(await server.db.user.count({ where: { email: 'during-outage@example.com' } })).toBe(0);
      expect(await server.db.post.count()).toBe(0);
      expect(await server.db.fileRemoval.count()).toBe(0);
      expect(await filesUnder(server.config.uploadDir)).toEqual([]);
      expect(server.logs.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    },
  );
});
