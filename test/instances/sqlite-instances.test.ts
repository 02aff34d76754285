// Instances on one SQLite file must hear each other's changes through one Redis, or a logout on one goes
// unnoticed by the other for up to 60 s. One that would not hear an instance already running refuses to
// start, saying what to set; one that stopped without saying so does not hold the next one back.
// Pinned to SQLite, so it runs in every pass (test/slow/boot.test.ts does the same with processes).
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/index.ts';
import { MY_ID as ME } from '../operations/accounts.ts';
import { signUp } from '../support/accounts.ts';
import { prepareTestDatabase } from '../support/database.ts';
import { newTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { gqlTyped } from '../support/typed.ts';

async function sqliteFolder() {
  const dir = await newTempDir();
  return { dir, env: { DATABASE_URL: `file:${path.join(dir, 'test.db')}` } };
}

const signedIn = async (server: TestServer, token: string) =>
  (await gqlTyped(server, ME, {}, token)).body.data?.me != null;

/** A pid no process has any more: a child that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('instances on one SQLite file', () => {
  it('refuse a second instance without REDIS_URL, saying what to set, while the first keeps serving', async () => {
    const { dir, env } = await sqliteFolder();
    let first: TestServer | undefined = await startTestServer(env, { dir });
    let second: TestServer | undefined;
    try {
      const user = await signUp(first);
      const refused = await startTestServer(env, { dir }).catch((error: Error) => error);
      expect(refused).toBeInstanceOf(Error);
      expect((refused as Error).name).toBe('SharedDatabaseError');
      expect((refused as Error).message).toContain(
        `serves the SQLite database ${path.join(dir, 'test.db')} (pid ${process.pid}`,
      );
      expect((refused as Error).message).toMatch(
        /Give every instance on this file the same REDIS_URL \(e\.g\. REDIS_URL=redis:\/\/127\.0\.0\.1:6379\), or run only one/,
      );
      expect(await signedIn(first, user.token)).toBe(true);
      expect(await first.db.instanceHeartbeat.count()).toBe(1);

      // Once the first has stopped, the next one starts and serves the same accounts.
      await first.close();
      first = undefined;
      second = await startTestServer(env, { dir });
      expect(await signedIn(second, user.token)).toBe(true);
    } finally {
      await second?.close();
      await first?.close();
    }
  });

  it('start together when they share REDIS_URL, and refuse one on another channel', async () => {
    const { dir, env } = await sqliteFolder();
    const a = await startTestServer(env, { dir, instances: true });
    const b = await startTestServer(env, { dir, instances: true });
    try {
      expect(await a.db.instanceHeartbeat.count()).toBe(2);
      const user = await signUp(a);
      expect(await signedIn(b, user.token)).toBe(true);
      await a.gql('mutation { logout }', {}, user.token);
      expect(await signedIn(b, user.token)).toBe(false);

      const withoutRedis = await startTestServer(env, { dir }).catch((error: Error) => error);
      expect((withoutRedis as Error).name).toBe('SharedDatabaseError');
      const otherChannel = await startTestServer(env, {
        dir,
        instances: true,
        redisKeyPrefix: 'test:elsewhere:',
      }).catch((error: Error) => error);
      expect((otherChannel as Error).name).toBe('SharedDatabaseError');
      expect(await a.db.instanceHeartbeat.count()).toBe(2);
    } finally {
      await b.close();
      await a.close();
    }
  });

  it('are not held back by an instance that stopped without saying so', async () => {
    const { dir, env } = await sqliteFolder();
    await prepareTestDatabase(env.DATABASE_URL);
    const db = createDb({ url: env.DATABASE_URL });
    const row = (id: string, host: string, pid: number, seenMsAgo: number) => ({
      id,
      host,
      pid,
      channel: 'local',
      startedAt: new Date(Date.now() - 3600_000),
      beatAt: new Date(Date.now() - seenMsAgo),
    });
    try {
      // Killed on this host (its process is gone), and gone quiet on another host 31 s ago.
      await db.instanceHeartbeat.createMany({
        data: [row('killed-here', os.hostname(), deadPid(), 1000), row('quiet-elsewhere', 'other-host', 4242, 31_000)],
      });
      const server = await startTestServer(env, { dir });
      try {
        expect((await db.instanceHeartbeat.findMany()).map((r) => r.pid)).toEqual([process.pid]);
      } finally {
        await server.close();
      }

      // One on another host that was seen a moment ago may well be running: it holds.
      await db.instanceHeartbeat.create({ data: row('running-elsewhere', 'other-host', 4242, 1000) });
      const refused = await startTestServer(env, { dir }).catch((error: Error) => error);
      expect((refused as Error).message).toMatch(/\(pid 4242 on other-host, seen [0-9]+ s ago\)/);
    } finally {
      await db.$disconnect();
    }
  });
});
