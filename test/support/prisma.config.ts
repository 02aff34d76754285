// Prisma CLI config for the tests (test/support/prisma-cli.ts), for either provider, chosen by
// DATABASE_URL. It works around three driver-adapter bugs of Prisma 6.19's JS schema engine, so that
// `migrate diff --from-migrations`, `migrate status` and `migrate deploy` run offline:
// - better-sqlite3: the shadow database receives a whole migration through executeRaw, which runs
//   one statement only ("External error"). Multi-statement scripts go to executeScript instead.
// - pg: the schema engine reads catalog columns of type `name` (and "char"), which the adapter
//   cannot map ("Column type 'name' could not be deserialized"). They are reported as text.
// - pg: connectToShadowDb connects back to the main database (connectionString wins over its
//   `database` override) and drops the shadow database while still connected to it. The shadow
//   database is made and dropped here instead.
// - pg: `migrate deploy` arms a 10 s timer (its advisory lock timeout) that it never clears, so the
//   process outlives its work by 10 s. Timers of 10 s and more are unref'd here: they no longer keep
//   the CLI alive once everything else is done.
// `?schema=` in the URL is honoured the way Prisma's native engine does: the search_path.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { defineConfig } from 'prisma/config';

const root = path.join(import.meta.dirname, '..', '..');
const url = process.env.DATABASE_URL;
if (!url) throw new Error('test/support/prisma.config.ts needs DATABASE_URL');
const postgres = /^postgres(ql)?:\/\//.test(url);

type Adapter = {
  executeRaw(q: { sql: string; args: unknown[] }): Promise<number>;
  executeScript(sql: string): Promise<void>;
  dispose(): Promise<void>;
};

class SqliteFactory {
  readonly provider = 'sqlite' as const;
  readonly adapterName = '@prisma/adapter-better-sqlite3';
  readonly inner = new PrismaBetterSQLite3({ url: url! });
  connect() {
    return this.inner.connect();
  }
  async connectToShadowDb() {
    const adapter = (await this.inner.connectToShadowDb()) as unknown as Adapter;
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      if (query.args.length > 0) return executeRaw(query);
      await adapter.executeScript(query.sql);
      return 0;
    };
    return adapter;
  }
}

function patchPgNameColumns() {
  const require = createRequire(import.meta.url);
  const resultPath = require.resolve('pg/lib/result.js', {
    paths: [path.dirname(require.resolve('@prisma/adapter-pg'))],
  });
  const Result = require(resultPath) as { prototype: { addFields(fields: { dataTypeID: number }[]): void } };
  const addFields = Result.prototype.addFields;
  const NAME = 19;
  const CHAR = 18;
  const TEXT = 25;
  Result.prototype.addFields = function (fields) {
    for (const field of fields) if (field.dataTypeID === NAME || field.dataTypeID === CHAR) field.dataTypeID = TEXT;
    return addFields.call(this, fields);
  };
}

async function adminQuery(connectionString: string, sql: string) {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

class PostgresFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  constructor(readonly url: string) {}
  connect() {
    const schema = new URL(this.url).searchParams.get('schema') || 'public';
    // allowExitOnIdle: the CLI never closes this pool, and would otherwise wait 10 s for it to idle out.
    return new PrismaPg(
      { connectionString: this.url, allowExitOnIdle: true, options: `-c search_path="${schema}"` },
      { schema },
    ).connect();
  }
  async connectToShadowDb() {
    // Named like the test schemas, so test/support/global-setup.ts can drop one the CLI left behind
    // (it may exit before the dispose below has finished).
    const runTag = process.env.TEST_RUN_TAG || Date.now().toString(36);
    const name = `prisma_shadow_${runTag}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await adminQuery(this.url, `CREATE DATABASE "${name}"`);
    const shadowUrl = new URL(this.url);
    shadowUrl.pathname = `/${name}`;
    shadowUrl.search = '';
    const adapter = (await new PrismaPg({
      connectionString: shadowUrl.toString(),
      allowExitOnIdle: true,
    }).connect()) as unknown as Adapter;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await dispose();
      await adminQuery(this.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    };
    return adapter;
  }
}

function unrefLongTimers() {
  const setTimeoutOriginal = globalThis.setTimeout;
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = setTimeoutOriginal(callback, ms, ...args);
    if ((ms ?? 0) >= 10_000) timer.unref();
    return timer;
  }) as typeof setTimeout;
}

if (postgres) {
  patchPgNameColumns();
  unrefLongTimers();
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: postgres
    ? path.join(root, 'prisma', 'postgres', 'schema.prisma')
    : path.join(root, 'prisma', 'schema.prisma'),
  migrations: {
    path: postgres ? path.join(root, 'prisma', 'postgres', 'migrations') : path.join(root, 'prisma', 'migrations'),
  },
  async adapter() {
    // The CLI only needs the factory's shape; the casts stand in for the adapter packages' own types.
    return (postgres ? new PostgresFactory(url!) : new SqliteFactory()) as unknown as PrismaPg;
  },
});
