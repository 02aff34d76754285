// Opens the database named by DATABASE_URL. The application code is the same for both providers:
// the PostgreSQL client is generated from the same models and has the same API.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient as PostgresClient } from '../generated/postgres/client.ts';
import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { SQLITE_LOCK_WAIT_MS, withBusyRetry } from './sqlite-busy.ts';

/**
 * One client type for both providers. The PostgreSQL client is generated from the same models and has
 * the same API at runtime, but TypeScript cannot relate the two generated declaration sets (their
 * $transaction isolation levels and aggregate helper types differ), so it is typed as this one here,
 * in the one place either client is made (docs/decisions/0004-two-database-providers.md).
 */
export type Db = SqliteClient;
export type Provider = 'sqlite' | 'postgresql';

export interface DbDeps {
  url: string;
  poolSize?: number;
  /** Called with the SQL of every statement sent; tests count statements with it. */
  onQuery?: (sql: string) => void;
  /** SQLite: how long a statement may keep finding the database locked before it fails (src/db/sqlite-busy.ts). */
  busyTimeoutMs?: number;
  /**
   * PostgreSQL: how long to wait for a new connection, and for a statement's answer. Without it a
   * database that stopped answering holds every request for good (pg waits forever by default).
   */
  timeoutMs?: number;
  /**
   * PostgreSQL: how long a request waits for a free connection while the pool is busy. Longer than
   * timeoutMs: a busy pool is load, not an outage, and its connections free up within timeoutMs each.
   */
  poolWaitMs?: number;
}

export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

/**
 * The PostgreSQL schema a postgresql:// URL names with `?schema=` (Prisma's convention, which
 * `prisma migrate deploy` honours too), or "public". node-postgres itself ignores the parameter.
 */
export function postgresSchemaOf(url: string): string {
  const schema = new URL(url).searchParams.get('schema');
  return schema || 'public';
}

/** The file path of a file: URL, resolved against the working directory as Prisma does. */
export function sqliteFilePath(url: string): string {
  return path.resolve(url.replace(/^file:/, '').replace(/\?.*$/, ''));
}

export function createDb({
  url,
  poolSize,
  onQuery,
  busyTimeoutMs = 5000,
  timeoutMs = 2000,
  poolWaitMs = 10_000,
}: DbDeps): Db {
  const log = onQuery ? [{ emit: 'event' as const, level: 'query' as const }] : [];
  let client: Db;
  if (providerOf(url) === 'postgresql') {
    const schema = postgresSchemaOf(url);
    // The schema option qualifies every table and enum in the SQL Prisma sends. Outside public, the
    // search_path covers raw SQL too; it is a startup option, which PgBouncer refuses unless told to
    // ignore it (ignore_startup_parameters = options), so public needs none.
    const options = schema === 'public' ? undefined : `-c search_path=${quoteIdent(schema)}`;
    const adapter = new PrismaPg(
      {
        connectionString: url,
        max: poolSize,
        options,
        // The pool's own timeout bounds the wait for a free connection (and backs up the one below);
        // each new connection is bounded by timeoutMs itself (BoundedClient), and so is each statement. A
        // connection whose statement timed out is closed by the pool, so one gone silent (a dropped route)
        // is not handed out again.
        connectionTimeoutMillis: Math.max(poolWaitMs, timeoutMs),
        Client: boundedClient(timeoutMs),
        query_timeout: timeoutMs,
        keepAlive: true,
      },
      { schema },
    );
    client = new PostgresClient({ adapter, log }) as unknown as Db;
  } else {
    const file = sqliteFilePath(url);
    mkdirSync(path.dirname(file), { recursive: true });
    const adapter = withBusyRetry(
      new PrismaBetterSQLite3({ url: `file:${file}`, timeout: SQLITE_LOCK_WAIT_MS }),
      busyTimeoutMs,
    );
    client = new SqliteClient({ adapter, log });
  }
  if (onQuery) {
    (client as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) =>
      onQuery(e.query),
    );
  }
  return client;
}

/**
 * pg's Client with its own connect timeout: the pool hands every client it makes the pool's options,
 * whose connectionTimeoutMillis also bounds the wait for a free connection, which should be longer.
 */
function boundedClient(connectTimeoutMs: number): typeof pg.Client {
  return class BoundedClient extends pg.Client {
    constructor(config?: string | pg.ClientConfig) {
      super({
        ...(typeof config === 'string' ? { connectionString: config } : config),
        connectionTimeoutMillis: connectTimeoutMs,
      });
    }
  };
}

/** A PostgreSQL identifier, quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
