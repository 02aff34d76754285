// Applies pending migrations at start, for both providers, keeping Prisma's layout
// (prisma/[postgres/]migrations/<name>/migration.sql) and its _prisma_migrations table with the same
// checksums, so `prisma migrate status` and `migrate deploy` agree with what ran here.
// Each migration runs in one transaction: a failure leaves nothing half-applied.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { type Provider, postgresSchemaOf, providerOf, quoteIdent, sqliteFilePath } from './client.ts';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

export function migrationsDir(provider: Provider): string {
  return path.join(projectRoot, 'prisma', ...(provider === 'postgresql' ? ['postgres'] : []), 'migrations');
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

export function readMigrations(dir: string): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
}

/** What to run: the migrations not yet applied. Throws when an earlier run failed half-way. */
function pending(all: Migration[], applied: AppliedRow[], warn: (m: string) => void): Migration[] {
  const failed = applied.find((row) => row.finished_at == null && row.rolled_back_at == null);
  if (failed) {
    throw new MigrationError(
      `Migration ${failed.migration_name} failed earlier and was not rolled back; resolve it (prisma migrate resolve) before starting.`,
    );
  }
  const done = new Map(applied.filter((row) => row.finished_at != null).map((row) => [row.migration_name, row]));
  for (const migration of all) {
    const row = done.get(migration.name);
    if (row && row.checksum !== migration.checksum) {
      warn(`Migration ${migration.name} was modified after it was applied (checksum differs).`);
    }
  }
  const known = new Set(all.map((m) => m.name));
  for (const name of done.keys()) {
    if (!known.has(name)) warn(`Migration ${name} is applied in the database but missing from the migrations folder.`);
  }
  return all.filter((migration) => !done.has(migration.name));
}

export interface MigrateOptions {
  url: string;
  log?: (message: string) => void;
  /** Overrides the migrations folder; tests use it to try a failing migration. */
  dir?: string;
}

/** Applies every pending migration and returns the names applied. */
export async function migrate({ url, log = () => {}, dir }: MigrateOptions): Promise<string[]> {
  const provider = providerOf(url);
  const migrations = readMigrations(dir ?? migrationsDir(provider));
  return provider === 'postgresql' ? migratePostgres(url, migrations, log) : migrateSqlite(url, migrations, log);
}

const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

function migrateSqlite(url: string, migrations: Migration[], log: (m: string) => void): string[] {
  const file = sqliteFilePath(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 15000 });
  try {
    // WAL lets readers go on while one writer writes; it is a property of the file, set once here.
    db.pragma('journal_mode = WAL');
    db.exec(SQLITE_TABLE);
    const appliedNames: string[] = [];
    // BEGIN IMMEDIATE takes the write lock, so two processes starting at once apply each migration once.
    const applyPending = db.transaction(() => {
      const applied = db
        .prepare('SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations')
        .all() as AppliedRow[];
      for (const migration of pending(migrations, applied, log)) {
        try {
          db.exec(migration.sql);
        } catch (error) {
          throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        db.prepare(
          `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES (?, ?, ?, ?, ?, 1)`,
        ).run(randomUUID(), migration.checksum, migration.name, Date.now(), Date.now());
        appliedNames.push(migration.name);
      }
    });
    applyPending.immediate();
    for (const name of appliedNames) log(`Applied migration ${name}`);
    return appliedNames;
  } finally {
    db.close();
  }
}

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Prisma Migrate's own lock key (prisma-engines, sql-schema-connector): this runner and
// `prisma migrate deploy` exclude each other as well as every instance of this app. The lock is
// database-wide, as Prisma's is.
export const ADVISORY_LOCK_KEY = 72_707_369;

async function migratePostgres(url: string, migrations: Migration[], log: (m: string) => void): Promise<string[]> {
  const schema = postgresSchemaOf(url);
  const client = new pg.Client({ connectionString: url });
  // A dropped connection while waiting must surface as the failure, not crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    const { host, port, database } = client;
    throw new MigrationError(
      `Cannot connect to PostgreSQL at ${host}:${port}/${database}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const appliedNames: string[] = [];
  try {
    // Instances starting together queue here; each then sees what the previous one applied.
    const lock = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      ADVISORY_LOCK_KEY,
    ]);
    if (!lock.rows[0]?.locked) {
      log('Waiting for another instance to finish migrating');
      await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK_KEY]);
    }
    // Like Prisma with ?schema=: the schema, its tables and _prisma_migrations all live in it. Created
    // only when missing: CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT EXISTS.
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (!rowCount) await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    await client.query(POSTGRES_TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    for (const migration of pending(migrations, rows, log)) {
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      appliedNames.push(migration.name);
      log(`Applied migration ${migration.name}`);
    }
    return appliedNames;
  } finally {
    // Ending the session releases the advisory lock too, should the unlock fail.
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK_KEY]).catch(() => {});
    await client.end().catch(() => {});
  }
}
