// PostgreSQL specifics: the migration runner (test/migrate.test.ts covers SQLite), the database's own
// case-insensitive uniqueness, and the pool size. Runs in every pass, on TEST_DATABASE_URL or the
// local PostgreSQL (test/support/database.ts); each case works in a fresh schema of that database. Everything else runs on PostgreSQL as the
// ordinary suites do, through test/support/server.ts.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDb, isUniqueViolation } from '../../src/db/index.ts';
import { ADVISORY_LOCK_KEY, MigrationError, migrate, migrationsDir, readMigrations } from '../../src/db/migrate.ts';
import { newPostgresTestUrl, withPg } from '../support/database.ts';
import { newTempDir } from '../support/server.ts';

const root = path.join(import.meta.dirname, '..', '..');
const all = readMigrations(migrationsDir('postgresql'));

async function tablesOf(url: string): Promise<string[]> {
  const schema = new URL(url).searchParams.get('schema');
  const { rows } = await withPg(url, (c) =>
    c.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
      [schema],
    ),
  );
  return rows.map((r) => r.name);
}

async function appliedRows(url: string) {
  const { rows } = await withPg(url, (c) =>
    c.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    ),
  );
  return rows;
}

/** Runs a .ts entry point of this project as its own process, on the given database. */
function tsxProcess(
  script: string,
  url: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      [script],
      { cwd: root, env: { ...process.env, DATABASE_URL: url, JWT_SECRET: 'x'.repeat(40), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `npm run db:migrate` as a separate process. */
const migrateProcess = (url: string) => tsxProcess('scripts/migrate.ts', url);

describe('PostgreSQL', () => {
  it("applies every migration once into the URL's schema, recording Prisma's layout and checksums", async () => {
    const url = newPostgresTestUrl();
    const log: string[] = [];
    expect(await migrate({ url, log: (m) => log.push(m) })).toEqual(all.map((m) => m.name));
    // (Other test files migrating at the same moment may add "Waiting for another instance ...".)
    expect(log.filter((m) => m.startsWith('Applied'))).toEqual(all.map((m) => `Applied migration ${m.name}`));
    expect(await migrate({ url })).toEqual([]);
    expect(await tablesOf(url)).toEqual(
      expect.arrayContaining(['User', 'Post', 'Session', 'FileRemoval', '_prisma_migrations']),
    );
    const rows = await appliedRows(url);
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(all.map((m) => [m.name, m.checksum]));
    expect(rows.every((r) => r.finished_at instanceof Date && r.applied_steps_count === 1)).toBe(true);
  });

  it('stops on a failing migration with a clear message, leaving nothing of it behind', async () => {
    const dir = path.join(await newTempDir(), 'migrations');
    cpSync(migrationsDir('postgresql'), dir, { recursive: true });
    mkdirSync(path.join(dir, '99990101000000_broken'));
    // The first statement would succeed on its own; the second fails, so both must roll back.
    writeFileSync(
      path.join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n',
    );
    const url = newPostgresTestUrl();
    const failure = await migrate({ url, dir }).catch((error) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure.message).toMatch(/^Migration 99990101000000_broken failed: relation "Nope" does not exist/);
    expect(await tablesOf(url)).not.toContain('Half');
    // The good migrations before it were applied and recorded; the broken one was not.
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    // And the lock is free again: the next start can migrate.
    expect(await migrate({ url })).toEqual([]);
  });

  it('refuses to start over a migration that failed half-way earlier (as prisma migrate deploy records it)', async () => {
    const url = newPostgresTestUrl();
    await migrate({ url });
    await withPg(url, (c) =>
      c.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('x', 'y', '99990101000000_half', now())`,
      ),
    );
    await expect(migrate({ url })).rejects.toThrow(
      /Migration 99990101000000_half failed earlier and was not rolled back; resolve it/,
    );
  });

  it('stops the server at boot with a clear message, and without listening, over a half-applied migration', async () => {
    const url = newPostgresTestUrl();
    await migrate({ url });
    await withPg(url, (c) =>
      c.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ('x', 'y', '99990101000000_half', now())`,
      ),
    );
    const boot = await tsxProcess('src/server.ts', url, {
      NODE_ENV: 'production',
      MAIL_LOG_ONLY: 'true',
      PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(boot.code).toBe(1);
    expect(boot.stderr).toMatch(
      /^MigrationError: Migration 99990101000000_half failed earlier and was not rolled back; resolve it \(prisma migrate resolve\)/m,
    );
    expect(boot.stdout).not.toMatch(/listening/);
  });

  it('stops `npm run db:migrate` with a clear message when the database cannot be reached', async () => {
    const result = await migrateProcess('postgresql://postgres@127.0.0.1:1/nowhere');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /MigrationError: Cannot connect to PostgreSQL at 127\.0\.0\.1:1\/nowhere: .*ECONNREFUSED/,
    );
  });

  it('applies each migration exactly once when several processes and clients start at the same moment', async () => {
    const url = newPostgresTestUrl();
    // Hold the lock while everyone starts, so that they all really wait on it and then race.
    await withPg(url, async (holder) => {
      await holder.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
      const processes = Array.from({ length: 4 }, () => migrateProcess(url));
      const logs: string[][] = [[], [], [], []];
      const clients = logs.map((log) => migrate({ url, log: (m) => log.push(m) }));
      // Until all eight are queued behind the holder (other test files' servers may queue there too).
      let queued = false;
      for (const deadline = Date.now() + 30_000; !queued && Date.now() < deadline; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const { rows } = await holder.query<{ waiting: number }>(
          "SELECT count(*)::int AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        );
        queued = rows[0]!.waiting >= 8;
      }
      await holder.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]);
      expect(queued).toBe(true);
      const fromProcesses = await Promise.all(processes);
      const fromClients = await Promise.all(clients);
      for (const p of fromProcesses) expect(p.code, p.stderr).toBe(0);
      for (const log of logs) expect(log[0]).toBe('Waiting for another instance to finish migrating');
      const appliedByProcesses = fromProcesses.flatMap((p) =>
        [...p.stdout.matchAll(/^Applied migration (\S+)$/gm)].map((m) => m[1]),
      );
      expect([...appliedByProcesses, ...fromClients.flat()].sort()).toEqual(all.map((m) => m.name));
    });
    expect((await appliedRows(url)).map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
  });

  it('opens at most DATABASE_POOL_SIZE connections per instance', async () => {
    const url = newPostgresTestUrl();
    await migrate({ url });
    const db = createDb({ url, poolSize: 2 });
    try {
      const marker = `pool_probe_${Date.now()}`;
      let done = false;
      const sleeps = Promise.all(
        Array.from({ length: 6 }, () => db.$queryRawUnsafe(`SELECT pg_sleep(0.2)::text, '${marker}' AS marker`)),
      ).finally(() => {
        done = true;
      });
      // Sample the server's view of the pool's connections while the six queries run.
      let most = 0;
      await withPg(url, async (c) => {
        while (!done) {
          const { rows } = await c.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1 AND pid <> pg_backend_pid()',
            [`%'${marker}'%`],
          );
          most = Math.max(most, rows[0]!.n);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      });
      expect(most).toBe(2);
      await sleeps;
    } finally {
      await db.$disconnect();
    }
  });

  it('keeps email and username unique regardless of case, even for writes around the app', async () => {
    const url = newPostgresTestUrl();
    await migrate({ url });
    const db = createDb({ url });
    try {
      const base = { hashedPassword: 'x' };
      await db.user.create({ data: { ...base, email: 'ada@example.com', username: 'ada' } });
      const email = await db.user
        .create({ data: { ...base, email: 'Ada@Example.com', username: 'ada2' } })
        .catch((e) => e);
      expect(isUniqueViolation(email)).toBe(true);
      const username = await db.user
        .create({ data: { ...base, email: 'ada3@example.com', username: 'ADA' } })
        .catch((e) => e);
      expect(isUniqueViolation(username)).toBe(true);
      expect(await db.user.count()).toBe(1);
    } finally {
      await db.$disconnect();
    }
  });
});
