// Another process holding SQLite's write lock (a backup, the CLI, a stuck writer): statements retry
// without freezing the server, and past SQLITE_BUSY_TIMEOUT_MS the answer is DATABASE_BUSY.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteFilePath } from '../src/db/client.ts';
import { REGISTER } from './support/accounts.ts';
import { errorCode, newTempDir, startTestServer, type TestServer } from './support/server.ts';

// On SQLite in every pass: the PostgreSQL pass runs it too.
describe('SQLite locked by another process', () => {
  let server: TestServer;
  beforeAll(async () => {
    const dir = await newTempDir();
    server = await startTestServer(
      { SQLITE_BUSY_TIMEOUT_MS: '600', DATABASE_URL: `file:${path.join(dir, 'test.db')}` },
      { dir },
    );
  });
  afterAll(() => server?.close());

  /** Holds the write lock from a connection of its own for `ms`. */
  function holdWriteLock(ms: number): Promise<void> {
    const other = new Database(sqliteFilePath(server.config.databaseUrl));
    other.exec('BEGIN IMMEDIATE');
    return new Promise((resolve) =>
      setTimeout(() => {
        other.exec('ROLLBACK');
        other.close();
        resolve();
      }, ms),
    );
  }
  const register = (name: string) =>
    server.gql(REGISTER, { input: { email: `${name}@example.com`, username: name, password: 'long enough password' } });

  it('waits for a short lock without blocking other requests, then writes', async () => {
    const released = holdWriteLock(300);
    const started = Date.now();
    const writing = register('patient');
    // The server keeps answering while the write waits.
    const health = Date.now();
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(Date.now() - health).toBeLessThan(150);
    const res = await writing;
    expect(res.body.errors).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await released;
  });

  it('answers DATABASE_BUSY when the lock outlasts SQLITE_BUSY_TIMEOUT_MS, writing nothing', async () => {
    const released = holdWriteLock(1500);
    const res = await register('impatient');
    expect(errorCode(res)).toBe('DATABASE_BUSY');
    expect(res.body.errors![0]!.message).toMatch(/busy/);
    await released;
    expect(await server.db.user.count({ where: { username: 'impatient' } })).toBe(0);
    expect((await register('impatient')).body.errors).toBeUndefined();
  });
});
