// The servers the benches measure, each in a child process of its own (bench/support/server.ts):
// the in-memory ceiling, and the real app (src/server.ts, as `npm start` runs it: it applies the
// migrations with src/db/migrate.ts, then listens) on a fresh SQLite file or PostgreSQL schema.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import pg from 'pg';
import { deferCleanup } from './cleanup.ts';
import { type Seeded, type SeedOptions, seedFeed } from './seed.ts';
import { type ChildServer, startServer } from './server.ts';

// Given to the app and the ceiling alike, so both verify the same kind of token.
const JWT_SETTINGS = {
  JWT_SECRET: randomBytes(32).toString('base64url'),
  JWT_ISSUER: 'photo-feed-api',
  JWT_AUDIENCE: 'photo-feed-api:auth',
};

export interface Target extends Seeded {
  name: string;
  server: ChildServer;
}

export async function startCeiling(options: SeedOptions): Promise<Target> {
  const server = await startServer('bench/support/ceiling-server.ts', {
    ...JWT_SETTINGS,
    AUTHORS: String(options.authors),
    POSTS: String(options.posts),
    VIEWERS: String(options.viewers),
  });
  // The ceiling has no login: its viewers are viewer-<i>, with tokens shaped like the app's.
  const tokens = Array.from({ length: options.viewers }, (_, i) =>
    jwt.sign({ sub: `viewer-${i}`, jti: randomUUID() }, JWT_SETTINGS.JWT_SECRET, {
      algorithm: 'HS256',
      issuer: JWT_SETTINGS.JWT_ISSUER,
      audience: JWT_SETTINGS.JWT_AUDIENCE,
      expiresIn: 3600,
    }),
  );
  return { name: 'ceiling (in memory)', server, tokens, viewers: [] };
}

/** A temp dir, removed at the end. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  deferCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export const sqliteUrl = (dir: string) => `file:${path.join(dir, 'bench.db')}`;

export const DEFAULT_POSTGRES_URL = 'postgresql://postgres@127.0.0.1:5432/test';

/**
 * A fresh schema in TEST_DATABASE_URL's database (or the local test database): its URL with
 * ?schema=bench_<random>, which the app's migration runner creates; dropped at the end. Returns the
 * reason instead when PostgreSQL does not answer.
 */
export async function postgresSchemaUrl(): Promise<{ url: string } | { unreachable: string }> {
  const base = process.env.TEST_DATABASE_URL || DEFAULT_POSTGRES_URL;
  const client = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    return { unreachable: `${base.replace(/\/\/[^@/]*@/, '//***@')}: ${(error as Error).message}` };
  } finally {
    await client.end().catch(() => {});
  }
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  deferCleanup(async () => {
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    try {
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await admin.end();
    }
  });
  return { url: url.toString() };
}

/** src/server.ts on databaseUrl, seeded; its folder holds DATA_DIR and UPLOAD_DIR. */
export async function startApp(
  name: string,
  {
    dir,
    databaseUrl,
    bcryptCost = 4,
    seed,
    env = {},
  }: {
    dir: string;
    databaseUrl: string;
    bcryptCost?: number;
    seed: SeedOptions;
    /** More settings for the server (upload limits for a bench that uploads). */
    env?: Record<string, string>;
  },
): Promise<Target> {
  const server = await startServer('src/server.ts', {
    ...JWT_SETTINGS,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dir,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    BCRYPT_COST: String(bcryptCost),
    LOG_LEVEL: 'error',
    // The seed registers every account from this one address.
    REGISTER_MAX_PER_IP: '0',
    ...env,
  });
  const seeded = await seedFeed(server.url, databaseUrl, seed);
  return { name, server, ...seeded };
}
