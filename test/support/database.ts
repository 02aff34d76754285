// The database a test server runs on: a SQLite file in the server's folder by default, or, when
// TEST_DATABASE_URL=postgresql://... is set, a fresh schema in that PostgreSQL database
// (`?schema=t_...`, created by the migration runner), dropped after the test file (test/support/setup-file.ts).
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { providerOf, quoteIdent, sqliteFilePath } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || null;
if (TEST_DATABASE_URL && providerOf(TEST_DATABASE_URL) !== 'postgresql') {
  throw new Error('TEST_DATABASE_URL must be a postgresql:// URL (SQLite is the default and needs none).');
}

/** The provider the suites run on. */
export const TEST_PROVIDER = TEST_DATABASE_URL ? 'postgresql' : 'sqlite';

/**
 * Where tests about PostgreSQL itself run, in every pass (they pin their database instead of being
 * skipped on SQLite): TEST_DATABASE_URL, or the local server the README and .ci/run start.
 */
export const POSTGRES_TEST_URL = TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export const TEST_SCHEMA_PREFIX = 't_';

/** The PostgreSQL schemas this test file made; test/support/setup-file.ts drops them after the file. */
const created = new Set<string>();

/**
 * Schema names carry the run's start time (base 36), so test/support/global-setup.ts can tell this run's
 * schemas from a concurrent run's, and old leftovers from both.
 */
export function testSchemaName(runTag: string = currentRunTag()): string {
  return `${TEST_SCHEMA_PREFIX}${runTag}_${randomBytes(5).toString('hex')}`;
}

/** This `vitest run`'s tag (test/support/global-setup.ts), or a fresh one outside vitest. */
export function currentRunTag(): string {
  try {
    const tag = inject('testRunTag');
    if (tag) return tag;
  } catch {
    // Outside a vitest worker: fall through.
  }
  return Date.now().toString(36);
}

/** A PostgreSQL URL pointed at a new schema, which the migration runner creates; dropped after the test file. */
export function newPostgresTestUrl(base: string = POSTGRES_TEST_URL): string {
  const url = new URL(base);
  url.searchParams.set('schema', testSchemaName());
  created.add(url.toString());
  return url.toString();
}

/**
 * A new, empty database for one test server (and any other instance started on its folder): a SQLite
 * file in the folder, or a PostgreSQL schema that the migration runner creates on first use.
 */
export function newTestDatabaseUrl(dir: string): string {
  return TEST_DATABASE_URL ? newPostgresTestUrl() : `file:${path.join(dir, 'test.db')}`;
}

/** Drops every schema handed out in this process (one test file). */
export async function dropTestDatabases(): Promise<void> {
  const urls = [...created];
  created.clear();
  if (urls.length === 0) return;
  const schemas = urls.map((url) => new URL(url).searchParams.get('schema')!);
  await withPg(urls[0]!, (client) =>
    client.query(`DROP SCHEMA IF EXISTS ${schemas.map(quoteIdent).join(', ')} CASCADE`),
  );
}

/** Runs `fn` with a plain pg client on the url's database, its search_path set to the url's schema. */
export async function withPg<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const schema = new URL(url).searchParams.get('schema') || 'public';
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${quoteIdent(schema)}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Prepares the database at `url` for a test server: a SQLite file is copied from the run's migrated
 * template (test/support/global-setup.ts) when there is one and the file is new; anything else is
 * migrated as the server would at start.
 */
export async function prepareTestDatabase(url: string): Promise<void> {
  let template: string | undefined;
  try {
    template = inject('sqliteTemplate');
  } catch {
    // Outside a vitest worker.
  }
  if (template && providerOf(url) === 'sqlite') {
    const file = sqliteFilePath(url);
    if (!existsSync(file)) {
      await copyFile(template, file);
      return;
    }
  }
  await migrate({ url });
}

declare module 'vitest' {
  export interface ProvidedContext {
    testRunTag: string;
    sqliteTemplate?: string;
  }
}
