// The migration histories agree with prisma/schema.prisma (no drift), and the Prisma CLI agrees with
// our runner about what is applied, on SQLite and on PostgreSQL (test/support/database.ts), in every pass.
// The CLI runs offline on the JS engine through test/support/prisma.config.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema } from '../../scripts/lib/schema-files.ts';
import { migrate, migrationsDir, readMigrations } from '../../src/db/migrate.ts';
import { newPostgresTestUrl, POSTGRES_TEST_URL } from '../support/database.ts';
import { prismaCli } from '../support/prisma-cli.ts';
import { newTempDir } from '../support/server.ts';

const root = path.join(import.meta.dirname, '..', '..');
const sqliteSchema = readFileSync(path.join(root, 'prisma', 'schema.prisma'), 'utf8');

/** schema.prisma with one more field on Post, as a branch that forgot its migration would have it. */
function withExtraField(schema: string): string {
  const changed = schema.replace(/^model Post \{\n/m, 'model Post {\n  driftProbe String?\n');
  if (changed === schema) throw new Error('model Post not found in schema.prisma');
  return changed;
}

interface ProviderCase {
  name: 'sqlite' | 'postgresql';
  schemaFile: string;
  schemaText: () => string;
  /** A fresh, empty database. */
  newUrl: () => Promise<string>;
  /** Where `migrate diff --from-migrations` connects; it only reads the server version there. */
  diffUrl: () => Promise<string>;
}

const providers: ProviderCase[] = [
  {
    name: 'sqlite',
    schemaFile: path.join(root, 'prisma', 'schema.prisma'),
    schemaText: () => sqliteSchema,
    newUrl: async () => `file:${path.join(await newTempDir(), 'cli.db')}`,
    diffUrl: async () => `file:${path.join(await newTempDir(), 'cli.db')}`,
  },
  {
    name: 'postgresql',
    schemaFile: path.join(root, 'prisma', 'postgres', 'schema.prisma'),
    schemaText: () => derivePostgresSchema(sqliteSchema),
    newUrl: async () => newPostgresTestUrl(),
    // Without ?schema=: the engine applies the history to a shadow database, where it lands in public,
    // and describes the schema the connection names; with ?schema=t_... it would find that one empty.
    diffUrl: async () => POSTGRES_TEST_URL,
  },
];

it('prisma/postgres/schema.prisma is derived from prisma/schema.prisma (npm run db:generate)', () => {
  expect(readFileSync(path.join(root, 'prisma', 'postgres', 'schema.prisma'), 'utf8')).toBe(
    derivePostgresSchema(sqliteSchema),
  );
});

// Each case is a few seconds of prisma CLI, independent of the others: they run side by side. On
// PostgreSQL the CLI replays the whole history in a shadow database, which takes longer on a busy
// machine than the default 30 s allows.
describe.concurrent.each(providers)(
  '$name migration history',
  { timeout: 120_000 },
  ({ name, schemaFile, schemaText, newUrl, diffUrl }) => {
    const history = migrationsDir(name);

    it('builds exactly the schema schema.prisma describes (no drift)', async ({ expect }) => {
      const diff = await prismaCli(
        ['migrate', 'diff', '--from-migrations', history, '--to-schema-datamodel', schemaFile, '--exit-code'],
        await diffUrl(),
      );
      expect(diff.stderr).not.toMatch(/Error/);
      expect(diff.stdout).toMatch(/No difference detected/);
      expect(diff.code).toBe(0);
    });

    it('is reported as drifting when schema.prisma gains a field without a migration', async ({ expect }) => {
      const branch = path.join(await newTempDir(), 'schema.prisma');
      writeFileSync(branch, withExtraField(schemaText()));
      const diff = await prismaCli(
        ['migrate', 'diff', '--from-migrations', history, '--to-schema-datamodel', branch, '--exit-code'],
        await diffUrl(),
      );
      expect(diff.stdout).toMatch(/Changed the `Post` table[\s\S]*Added column `driftProbe`/);
      expect(diff.code).toBe(2);
    });

    it('is what prisma migrate status sees as fully applied after our runner ran', async ({ expect }) => {
      const url = await newUrl();
      await migrate({ url });
      const status = await prismaCli(['migrate', 'status'], url);
      expect(status.stdout).toMatch(/Database schema is up to date!/);
      expect(status.code).toBe(0);
    });

    it('needs nothing more from our runner after prisma migrate deploy, with identical checksums', async ({
      expect,
    }) => {
      const url = await newUrl();
      const deploy = await prismaCli(['migrate', 'deploy'], url);
      expect(deploy.stdout).toMatch(/All migrations have been successfully applied|No pending migrations/);
      const warnings: string[] = [];
      // The runner warns about a checksum that differs from the file's, or an unknown migration.
      expect(await migrate({ url, log: (message) => warnings.push(message) })).toEqual([]);
      expect(warnings).toEqual([]);
      expect(readMigrations(history).length).toBeGreaterThan(0);
    });
  },
);
