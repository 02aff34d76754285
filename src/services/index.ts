// Wires the services for one app instance from the config.
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { createAccountsService } from './accounts.ts';
import { createAuthService } from './auth.ts';
import { createImageKitUploadsService } from './imagekit-uploads.ts';
import { createMailer } from './mail/index.ts';
import { createMaintenance } from './maintenance.ts';
import { createMediaCleanup } from './media-cleanup.ts';
import { createPasswordHasher } from './passwords.ts';
import { createPostsService } from './posts.ts';
import { createCounterStore } from './rate-limit.ts';
import { createStorage } from './storage/index.ts';
import { createAccountLimits, createLoginThrottle } from './throttles.ts';
import { createTokens } from './tokens.ts';

export interface ServiceOptions {
  /** Called with the SQL of each statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
  /** Namespaces the Redis login counters; tests use one per run. */
  redisKeyPrefix?: string;
}

export function createServices(config: Config, logger: Logger, options: ServiceOptions = {}) {
  const db: Db = createDb({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onQuery: options.onQuery,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
  });
  const storage = createStorage({ config, logger });
  const mediaCleanup = createMediaCleanup({ db, storage, logger, intervalMs: config.mediaCleanupIntervalMs });
  const hasher = createPasswordHasher(config.bcryptCost);
  const posts = createPostsService({
    db,
    storage,
    cleanup: mediaCleanup,
    logger,
  });
  const imagekitUploads = createImageKitUploadsService({
    db,
    imagekit: storage.directUploads,
    cleanup: mediaCleanup,
  });
  const tokens = createTokens({ ...config.jwt, ...config.accountTokens });
  const counters = createCounterStore(config.redisUrl, options.redisKeyPrefix);
  const throttle = createLoginThrottle(counters, config.loginThrottle);
  const limits = createAccountLimits(counters, config.accountLimits);
  const mailer = createMailer(config.mail, logger);
  const accounts = createAccountsService({
    db,
    hasher,
    tokens,
    mailer,
    logger,
    appUrl: config.appUrl,
    resetLifetimeSeconds: config.accountTokens.resetLifetimeSeconds,
    cleanup: mediaCleanup,
    throttle,
    limits,
  });
  const auth = createAuthService({
    db,
    tokens,
    sessionLifetimeSeconds: config.jwt.lifetimeSeconds,
    hasher,
    throttle,
    limits,
    requireVerifiedLogin: config.requireVerifiedLogin,
    onRegistered: (user) => accounts.sendVerification(user),
  });
  // Not started here: src/server.ts starts it, so an app built in a test runs no timers.
  const maintenance = createMaintenance({
    mediaCleanup,
    pruneExpiredSessions: () => auth.pruneExpiredSessions(),
    uploadDir: config.uploadDir,
    logger,
  });
  return {
    config,
    db,
    storage,
    hasher,
    auth,
    accounts,
    posts,
    mediaCleanup,
    maintenance,
    imagekitUploads,
    async close() {
      await maintenance.stop();
      await accounts.flush();
      mailer.close();
      await counters.close();
      await db.$disconnect();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
