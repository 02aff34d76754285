// Starts the real app on a loopback port with its own database and upload folder. The database is a
// SQLite file, or with TEST_DATABASE_URL a PostgreSQL schema of its own (test/support/database.ts).

import { mkdtemp, readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { DocumentNode } from 'graphql';
import { type App, createApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { providerOf } from '../../src/db/client.ts';
import { setRequestTimeout } from '../../src/http/body-timeout.ts';
import type { LocateOptions } from '../../src/infra/media/ffmpeg.ts';
import { createLogger } from '../../src/logger.ts';
import { newTestDatabaseUrl, prepareTestDatabase } from './database.ts';
import { textOf } from './typed.ts';

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures');
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface GqlResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: {
    data?: T;
    errors?: { message: string; extensions?: { code?: string; [key: string]: unknown }; path?: string[] }[];
  };
}

export async function newTempDir(prefix = 'photo-feed-test-'): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  dir: string;
  config: Config;
  app: App;
  db: App['services']['db'];
  /** SQL of every statement the server sent, in order. */
  queries: string[];
  /** JSON log lines the server wrote. */
  logs: string[];
  /** A query as text, or a typed document (test/operations), sent as its printed text. */
  gql<T = unknown>(
    query: string | DocumentNode,
    variables?: Record<string, unknown>,
    token?: string | null,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  /**
   * For a test that writes to the database behind the app's back (seeding, a row changed by hand):
   * the app's caches drop everything, as they would for a change it made itself.
   */
  wroteBehindTheApp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A production server as the tests start one: mails are logged by address and subject (production
 * refuses to start without SMTP_URL unless MAIL_LOG_ONLY=true).
 */
export const PRODUCTION = { NODE_ENV: 'production', MAIL_LOG_ONLY: 'true' } as const;

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Every server started in this test file, for the checks test/support/setup-file.ts makes after it. */
export const startedServers = new Set<TestServer>();

/** The database of each folder a server ran in: a later server started on the folder finds the same data. */
const databases = new Map<string, string>();

export interface TestServerOptions {
  /** Another server's folder: start a second instance on (or restart on) its database. */
  dir?: string;
  redisKeyPrefix?: string;
  /**
   * Several instances on one database, which must hear each other's changes: on PostgreSQL they do
   * through it; on SQLite they need Redis, so each instance of the folder gets REDIS_URL and one prefix.
   */
  instances?: boolean;
  /** Where the server looks for ffmpeg; { searchPath: '', npmPackages: false } starts one without it. */
  ffmpeg?: LocateOptions;
}

/** Starts a server on a database of its own, or on the database of `options.dir`. */
export async function startTestServer(
  env: Record<string, string> = {},
  options: TestServerOptions = {},
): Promise<TestServer> {
  const dir = options.dir ?? (await newTempDir());
  let databaseUrl = databases.get(dir);
  if (!databaseUrl && !env.DATABASE_URL) {
    databaseUrl = newTestDatabaseUrl(dir);
    databases.set(dir, databaseUrl);
  }
  if (options.instances && providerOf(env.DATABASE_URL ?? databaseUrl!) === 'sqlite') {
    env = { REDIS_URL: TEST_REDIS_URL, ...env };
    options = { redisKeyPrefix: `test:${path.basename(dir)}:`, ...options };
  }
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let config: Config;
  try {
    config = loadConfig({
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      PUBLIC_URL: url,
      ...env,
    });
  } catch (error) {
    // A configuration the server refuses: nothing is left listening.
    server.close();
    throw error;
  }
  setRequestTimeout(server, config);
  await prepareTestDatabase(config.databaseUrl);
  const queries: string[] = [];
  const logs: string[] = [];
  const app = createApp({
    config,
    logger: createLogger('info', (line) => logs.push(line)),
    onQuery: (sql) => queries.push(sql),
    redisKeyPrefix: options.redisKeyPrefix,
    ffmpeg: options.ffmpeg,
  });
  try {
    // As src/server.ts does before it listens: on SQLite, refuses to run beside an instance it would not hear.
    await app.services.heartbeat.start();
  } catch (error) {
    server.close();
    await app.close();
    throw error;
  }
  server.on('request', app.listener);

  const testServer: TestServer = {
    url,
    dir,
    config,
    app,
    db: app.services.db,
    queries,
    logs,
    async gql(document, variables, token, headers = {}) {
      const query = typeof document === 'string' ? document : textOf(document);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, headers: response.headers, body: await response.json() };
    },
    wroteBehindTheApp: () => app.services.changes.publish({ type: 'all' }),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
  startedServers.add(testServer);
  return testServer;
}

/** Files under the upload folder (stored media and spool files), relative paths. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

export function errorCode(response: GqlResponse): string | undefined {
  return response.body.errors?.[0]?.extensions?.code;
}
