// Once per `vitest run`: on SQLite, migrates the template database test servers copy. On PostgreSQL
// (every pass: tests about PostgreSQL run in the SQLite pass too), tags this run's test schemas (and
// the prisma CLI's shadow databases), and drops them afterwards, together with leftovers of runs that
// ended without cleaning up (killed) more than six hours ago. Those of a concurrent run (another
// engineer's, on the same database) are younger and are left alone.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.ts';

// As in test/support/database.ts, which runs in the workers and is not imported here.
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
const POSTGRES_TEST_URL = TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

const STALE_AFTER_MS = 6 * 3600_000;

/** Drops the test schemas (t_<tag>_<hex>) and the CLI's shadow databases (prisma_shadow_<tag>_<hex>) not kept. */
async function dropLeftovers(url: string, keep: (tag: string) => boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schemas = await client.query<{ name: string }>(
      `SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 't\\_%'`,
    );
    for (const { name } of schemas.rows) {
      const tag = /^t_([0-9a-z]+)_[0-9a-f]+$/.exec(name)?.[1];
      if (tag && !keep(tag)) await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(name)} CASCADE`);
    }
    const databases = await client.query<{ name: string }>(
      `SELECT datname AS name FROM pg_database WHERE datname LIKE 'prisma\\_shadow\\_%'`,
    );
    for (const { name } of databases.rows) {
      const tag = /^prisma_shadow_([0-9a-z]+)_[0-9a-f]+$/.exec(name)?.[1];
      if (tag && !keep(tag)) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const runTag = Date.now().toString(36);
  project.provide('testRunTag', runTag);
  const cleanUp = (keep: (tag: string) => boolean) =>
    dropLeftovers(POSTGRES_TEST_URL, keep).catch((error: Error) => {
      // The tests that need PostgreSQL fail with their own message; cleaning up is best effort.
      console.warn(`PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${error.message}).`);
    });
  await cleanUp((tag) => Date.now() - parseInt(tag, 36) < STALE_AFTER_MS);
  if (TEST_DATABASE_URL) return () => cleanUp((tag) => tag !== runTag);
  // One SQLite database migrated once, which each test server copies instead of migrating its own.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'photo-feed-template-'));
  const template = path.join(dir, 'template.db');
  await migrate({ url: `file:${template}` });
  project.provide('sqliteTemplate', template);
  return async () => {
    await rm(dir, { recursive: true, force: true });
    await cleanUp((tag) => tag !== runTag);
  };
}
