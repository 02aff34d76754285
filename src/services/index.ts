// Wires the services for one app instance from the config.
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/index.ts';
import { createHealth } from '../infra/health.ts';
import { createFileRemovals } from '../infra/jobs/file-removals.ts';
import { createMaintenance } from '../infra/jobs/maintenance.ts';
import { createMailer } from '../infra/mailer.ts';
import { createPasswordHasher } from '../infra/passwords.ts';
import { createCounterStore } from '../infra/rate-limits/counters.ts';
import { createAccountLimits, createLoginThrottle, createUploadLimits } from '../infra/rate-limits/policies.ts';
import { createRedisClient } from '../infra/redis.ts';
import { createStorage } from '../infra/storage/index.ts';
import { createTokens } from '../infra/tokens.ts';
import type { Logger } from '../logger.ts';
import { createAccountsService } from './accounts/accounts.ts';
import { createAuthService } from './accounts/auth.ts';
import { createFeedService } from './posts/feed.ts';
import { createImageKitDirectService } from './posts/imagekit-direct.ts';
import { createPostsService } from './posts/posts.ts';
import { createChanges, createHeartbeat } from './shared-database.ts';

export interface ServicesDeps {
  /** Called with the SQL of each statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
  /** Namespaces the Redis login counters; tests use one per run. */
  redisKeyPrefix?: string;
}

export function createServices(config: Config, logger: Logger, options: ServicesDeps = {}) {
  const db: Db = createDb({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onQuery: options.onQuery,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
    timeoutMs: config.databaseTimeoutMs,
  });
  // One client for the counters; the changes channel and /health open their own.
  const countersRedis = config.redisUrl
    ? {
        client: createRedisClient({
          url: config.redisUrl,
          timeoutMs: config.redisTimeoutMs,
          purpose: 'rate limits',
          logger,
        }),
        timeoutMs: config.redisTimeoutMs,
      }
    : null;
  const changes = createChanges(db, config, logger, options.redisKeyPrefix);
  // Started by whoever serves the app (src/server.ts, the tests), before it takes requests.
  const heartbeat = createHeartbeat(db, config, logger, options.redisKeyPrefix);
  const storage = createStorage({ config, logger });
  const fileRemovals = createFileRemovals({ db, storage, logger, intervalMs: config.mediaCleanupIntervalMs });
  const hasher = createPasswordHasher(config.bcryptCost);
  const counters = createCounterStore(countersRedis, options.redisKeyPrefix);
  const uploadLimits = createUploadLimits(counters, config.uploadLimits, logger);
  const posts = createPostsService({ db, storage, fileRemovals, uploadLimits, logger, changes });
  const imagekitDirect = createImageKitDirectService({
    db,
    imagekit: storage.directUploads,
    fileRemovals,
    uploadLimits,
    changes,
  });
  const feed = createFeedService({ db, changes });
  const tokens = createTokens({ ...config.jwt, ...config.accountTokens });
  const throttle = createLoginThrottle(counters, config.loginThrottle);
  const accountLimits = createAccountLimits(counters, config.accountLimits);
  const mailer = createMailer(config.mail, logger);
  const accounts = createAccountsService({
    db,
    hasher,
    tokens,
    mailer,
    logger,
    appUrl: config.appUrl,
    resetLifetimeSeconds: config.accountTokens.resetLifetimeSeconds,
    fileRemovals,
    throttle,
    accountLimits,
    changes,
  });
  const auth = createAuthService({
    db,
    tokens,
    sessionLifetimeSeconds: config.jwt.lifetimeSeconds,
    hasher,
    throttle,
    accountLimits,
    requireVerifiedLogin: config.requireVerifiedLogin,
    onRegistered: (user) => accounts.sendVerification(user),
    changes,
  });
  const health = createHealth({ db, redisUrl: config.redisUrl, redisTimeoutMs: config.redisTimeoutMs, logger });
  // Not started here: src/server.ts starts it, so an app built in a test runs no timers.
  const maintenance = createMaintenance({
    fileRemovals,
    pruneExpiredSessions: () => auth.pruneExpiredSessions(),
    uploadDir: config.uploadDir,
    sweepTmpDir: config.sweepTmpDir,
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
    feed,
    changes,
    fileRemovals,
    maintenance,
    imagekitDirect,
    health,
    heartbeat,
    async close() {
      await maintenance.stop();
      await heartbeat.stop();
      health.close();
      await accounts.flush();
      mailer.close();
      await counters.close();
      await changes.close();
      await db.$disconnect();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
