// Wires the services for one app instance from the config.
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { postgresSchemaOf, sqliteFilePath } from '../db/client.ts';
import { createDb, type Db, providerOf } from '../db/index.ts';
import { type Changes, createLocalChanges, createPostgresChanges, createRedisChanges } from '../infra/changes.ts';
import { createFileRemovals } from '../infra/jobs/file-removals.ts';
import { createMaintenance } from '../infra/jobs/maintenance.ts';
import { createMailer } from '../infra/mailer.ts';
import { createPasswordHasher } from '../infra/passwords.ts';
import { createCounterStore } from '../infra/rate-limits/counters.ts';
import { createAccountLimits, createLoginThrottle, createUploadLimits } from '../infra/rate-limits/policies.ts';
import { createStorage } from '../infra/storage/index.ts';
import { createTokens } from '../infra/tokens.ts';
import type { Logger } from '../logger.ts';
import { createAccountsService } from './accounts/accounts.ts';
import { createAuthService } from './accounts/auth.ts';
import { createUserDirectory } from './accounts/directory.ts';
import { createAccountLinking } from './accounts/oauth/linking.ts';
import { createOAuthService } from './accounts/oauth/oauth.ts';
import { createOAuthProviders } from './accounts/oauth/providers.ts';
import { createSessions } from './accounts/sessions.ts';
import { createAbandonedUploadsSweep } from './posts/abandoned-uploads.ts';
import { createFeedService } from './posts/feed.ts';
import { createImageKitDirectService } from './posts/imagekit-direct.ts';
import { createPostWriter } from './posts/post-writer.ts';
import { createPostsService } from './posts/posts.ts';
import { createCommentsService } from './social/comments.ts';
import { createFollowsService } from './social/follows.ts';
import { createLikesService } from './social/likes.ts';
import { createSocialLimits } from './social/limits.ts';

export interface ServicesDeps {
  /** Called with the SQL of each statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
  /** Namespaces the Redis login counters; tests use one per run. */
  redisKeyPrefix?: string;
}

/** Every write that makes a cache stale says so here, and every instance on the same database hears it. */
function createChanges(config: Config, logger: Logger, redisKeyPrefix = 'photo-feed:'): Changes {
  if (providerOf(config.databaseUrl) === 'postgresql') {
    return createPostgresChanges({ url: config.databaseUrl, schema: postgresSchemaOf(config.databaseUrl), logger });
  }
  if (config.redisUrl) {
    // Instances share changes when they share the database file.
    const channel = `${redisKeyPrefix}changes:${createHash('sha256').update(sqliteFilePath(config.databaseUrl)).digest('hex').slice(0, 16)}`;
    return createRedisChanges({ url: config.redisUrl, channel, logger });
  }
  return createLocalChanges();
}

export function createServices(config: Config, logger: Logger, options: ServicesDeps = {}) {
  const db: Db = createDb({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onQuery: options.onQuery,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
  });
  const changes = createChanges(config, logger, options.redisKeyPrefix);
  const storage = createStorage({ config, logger });
  const fileRemovals = createFileRemovals({ db, storage, logger, intervalMs: config.mediaCleanupIntervalMs });
  const hasher = createPasswordHasher(config.bcryptCost);
  const counters = createCounterStore(config.redisUrl, options.redisKeyPrefix);
  const uploadLimits = createUploadLimits(counters, config.uploadLimits, logger);
  const postWriter = createPostWriter({ db, fileRemovals, uploadLimits, changes });
  const posts = createPostsService({ db, storage, fileRemovals, uploadLimits, postWriter, logger, changes });
  const imagekitDirect = createImageKitDirectService({
    imagekit: storage.directUploads,
    fileRemovals,
    uploadLimits,
    postWriter,
  });
  const feed = createFeedService({ db, changes });
  const users = createUserDirectory({ db });
  const socialLimits = createSocialLimits({ store: counters, ...config.socialLimits });
  const follows = createFollowsService({ db, socialLimits });
  const likes = createLikesService({ db, socialLimits });
  const comments = createCommentsService({ db, socialLimits });
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
  const sessions = createSessions({ db, tokens, changes, logger, lifetimes: config.sessions });
  const auth = createAuthService({
    db,
    sessions,
    hasher,
    throttle,
    accountLimits,
    requireVerifiedLogin: config.requireVerifiedLogin,
    onRegistered: (user) => accounts.sendVerification(user),
    changes,
  });
  const oauth = createOAuthService({
    db,
    providers: createOAuthProviders(config.oauth.providers, config.oauth.timeoutMs),
    linking: createAccountLinking({ db, hasher, accountLimits, changes }),
    sessions,
    logger,
    publicUrl: config.publicUrl,
    appUrl: config.appUrl,
  });
  // Not started here: src/server.ts starts it, so an app built in a test runs no timers.
  const maintenance = createMaintenance({
    fileRemovals,
    // Sign-ins still at a provider, and their one-time codes, go with the expired sessions.
    pruneExpiredSessions: async () => (await Promise.all([sessions.prune(), oauth.prune()]))[0],
    sweepAbandonedUploads: createAbandonedUploadsSweep({ db, imagekit: storage.imagekit, fileRemovals, logger }),
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
    sessions,
    oauth,
    accounts,
    posts,
    feed,
    users,
    follows,
    likes,
    comments,
    changes,
    fileRemovals,
    maintenance,
    imagekitDirect,
    async close() {
      await maintenance.stop();
      await accounts.flush();
      mailer.close();
      await counters.close();
      await changes.close();
      await db.$disconnect();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
