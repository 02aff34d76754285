// A write that lands between a request's read and its own write, on cue: the test holds a user's row
// from a connection of its own, starts the request, and commits its change while the request's write
// waits. The request has read the row as it was; what its write then does is what the test checks.
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import pg from 'pg';
import { postgresSchemaOf, providerOf, quoteIdent, sqliteFilePath } from '../../src/db/client.ts';
import type { TestServer } from './server.ts';

export interface HeldRow {
  /** Writes `columns` to the row and commits, after giving the request `waitMs` to read and reach its write. */
  commit(columns: Record<string, string | boolean>, waitMs?: number): Promise<void>;
  /** Deletes the row and commits, likewise. */
  commitDeletion(waitMs?: number): Promise<void>;
}

/**
 * Holds one User row. SQLite: the database's write lock (reads go on; the app's writes retry, see
 * src/db/sqlite-busy.ts). PostgreSQL: the row, FOR NO KEY UPDATE, so the request can still insert rows
 * that reference the user (sessions) but not update it.
 */
export async function holdUserRow(server: TestServer, userId: string): Promise<HeldRow> {
  const url = server.config.databaseUrl;
  // The server's own database: a test may pin one provider whatever the pass runs on.
  if (providerOf(url) === 'sqlite') {
    const other = new Database(sqliteFilePath(url));
    other.exec('BEGIN IMMEDIATE');
    return {
      async commit(columns, waitMs = 300) {
        await sleep(waitMs);
        const names = Object.keys(columns);
        other
          .prepare(`UPDATE "User" SET ${names.map((name) => `${quoteIdent(name)} = ?`).join(', ')} WHERE "id" = ?`)
          .run(...Object.values(columns).map((value) => (typeof value === 'boolean' ? Number(value) : value)), userId);
        other.exec('COMMIT');
        other.close();
        await server.wroteBehindTheApp();
      },
      async commitDeletion(waitMs = 300) {
        await sleep(waitMs);
        other.prepare('DELETE FROM "User" WHERE "id" = ?').run(userId);
        other.exec('COMMIT');
        other.close();
        await server.wroteBehindTheApp();
      },
    };
  }
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${quoteIdent(postgresSchemaOf(url))}`,
  });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM "User" WHERE "id" = $1 FOR NO KEY UPDATE', [userId]);
  return {
    async commit(columns, waitMs = 300) {
      await sleep(waitMs);
      const names = Object.keys(columns);
      await client.query(
        `UPDATE "User" SET ${names.map((name, i) => `${quoteIdent(name)} = $${i + 1}`).join(', ')} WHERE "id" = $${names.length + 1}`,
        [...Object.values(columns), userId],
      );
      await client.query('COMMIT');
      await client.end();
      await server.wroteBehindTheApp();
    },
    async commitDeletion(waitMs = 300) {
      await sleep(waitMs);
      await client.query('DELETE FROM "User" WHERE "id" = $1', [userId]);
      await client.query('COMMIT');
      await client.end();
      await server.wroteBehindTheApp();
    },
  };
}

/**
 * Holds a user's LinkedAccount rows (PostgreSQL: FOR UPDATE; SQLite: the database's write lock) until
 * `release`, so requests that delete them wait there together and then run at once.
 */
export async function holdLinkedAccounts(
  server: TestServer,
  userId: string,
): Promise<{ release(waitMs?: number): Promise<void> }> {
  const url = server.config.databaseUrl;
  if (providerOf(url) === 'sqlite') {
    const other = new Database(sqliteFilePath(url));
    other.exec('BEGIN IMMEDIATE');
    return {
      async release(waitMs = 300) {
        await sleep(waitMs);
        other.exec('COMMIT');
        other.close();
      },
    };
  }
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${quoteIdent(postgresSchemaOf(url))}`,
  });
  await client.connect();
  await client.query('BEGIN');
  await client.query('SELECT 1 FROM "LinkedAccount" WHERE "userId" = $1 FOR UPDATE', [userId]);
  return {
    async release(waitMs = 300) {
      await sleep(waitMs);
      await client.query('COMMIT');
      await client.end();
    },
  };
}
