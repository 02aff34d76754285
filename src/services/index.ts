// Wires the services for one app instance from the config.
import path from 'node:path';
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { createAuthService } from './auth.ts';
import { createPasswordHasher } from './passwords.ts';
import { createPostsService } from './posts.ts';
import { createStorage } from './storage/index.ts';

export interface ServiceOptions {
  /** Called with the SQL of each statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
}

export function createServices(config: Config, logger: Logger, options: ServiceOptions = {}) {
  const db: Db = createDb({ url: config.databaseUrl, onQuery: options.onQuery });
  const storage = createStorage(config);
  const hasher = createPasswordHasher(config.bcryptCost);
  const auth = createAuthService({ db, jwt: config.jwt, hasher });
  const posts = createPostsService({
    db,
    storage,
    logger,
    spoolDir: path.join(config.uploadDir, '.incoming'),
    maxUploadBytes: config.maxUploadBytes,
  });
  return { config, db, storage, hasher, auth, posts };
}

export type Services = ReturnType<typeof createServices>;
