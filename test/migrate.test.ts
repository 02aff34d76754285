import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MigrationError, migrate, migrationsDir, readMigrations } from '../src/db/migrate.ts';
import { newTempDir } from './support/server.ts';

const tables = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((r) => r.name);
  } finally {
    db.close();
  }
};

describe('migrations on SQLite', () => {
  it('applies every migration once, recording Prisma-compatible checksums', async () => {
    const dir = await newTempDir();
    const url = `file:${path.join(dir, 'app.db')}`;
    const applied = await migrate({ url });
    expect(applied).toEqual(readMigrations(migrationsDir('sqlite')).map((m) => m.name));
    expect(await migrate({ url })).toEqual([]);
    expect(tables(path.join(dir, 'app.db'))).toEqual(
      expect.arrayContaining(['User', 'Post', 'Session', '_prisma_migrations']),
    );
    const db = new Database(path.join(dir, 'app.db'), { readonly: true });
    const rows = db
      .prepare('SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name')
      .all() as { migration_name: string; checksum: string; finished_at: unknown }[];
    db.close();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(
      readMigrations(migrationsDir('sqlite')).map((m) => [m.name, m.checksum]),
    );
    expect(rows.every((r) => r.finished_at != null)).toBe(true);
  });

  it('stops on a failing migration with a clear message, leaving nothing half-applied', async () => {
    const dir = await newTempDir();
    const migrations = path.join(dir, 'migrations');
    cpSync(migrationsDir('sqlite'), migrations, { recursive: true });
    mkdirSync(path.join(migrations, '99990101000000_broken'));
    // The first statement would succeed on its own; the second fails, so both must roll back.
    writeFileSync(
      path.join(migrations, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE "Half" ("id" TEXT);\nALTER TABLE "Nope" ADD COLUMN "x" TEXT;\n',
    );
    const url = `file:${path.join(dir, 'app.db')}`;
    const failure = await migrate({ url, dir: migrations }).catch((error) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure.message).toMatch(/^Migration 99990101000000_broken failed: .*Nope/);
    expect(tables(path.join(dir, 'app.db'))).not.toContain('Half');
    // The good migrations before it were applied and recorded; the broken one was not.
    const db = new Database(path.join(dir, 'app.db'), { readonly: true });
    const names = (
      db.prepare('SELECT migration_name FROM _prisma_migrations').all() as { migration_name: string }[]
    ).map((r) => r.migration_name);
    db.close();
    expect(names).not.toContain('99990101000000_broken');
  });
});
