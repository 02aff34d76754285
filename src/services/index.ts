// Wires the services for one app instance from the config.
import type { Config } from '../config.ts';
import { createDb, type Db } from '../db/index.ts';
import { createHealth } from '../infra/health.ts';
import { createFileRemovals } from '../infra/jobs/file-removals.ts';
import { createMaintenance } from '../infra/jobs/maintenance.ts';
import { createMailer } from '../infra/mailer.ts';
import { ffmpegTools, type LocateOptions, locateFfmpeg } from '../infra/media/ffmpeg.ts';
import { createPasswordHasher } from '../infra/passwords.ts';
import { createAccountLimits } from '../infra/rate-limits/account-limits.ts';
import { createRateLimits } from '../infra/rate-limits/limiters.ts';
import { createLoginLimits } from '../infra/rate-limits/login-limits.ts';
import { createPasswordCheckSlots } from '../infra/rate-limits/password-checks-in-flight.ts';
import { createUploadLimits } from '../infra/rate-limits/upload-limits.ts';
import { createRedisClient } from '../infra/redis.ts';
import { createStorage } from '../infra/storage/index.ts';
import { createTokens } from '../infra/tokens.ts';
import type { Logger } from '../logger.ts';
import { createAccountsService } from './accounts/accounts.ts';
import { createAuthService } from './accounts/auth.ts';
import { createAvatarsService } from './accounts/avatars.ts';
import { createUserDirectory } from './accounts/directory.ts';
import { createAccountLinking } from './accounts/oauth/linking.ts';
import { createOAuthService } from './accounts/oauth/oauth.ts';
import { createOAuthProviders } from './accounts/oauth/providers.ts';
import { createSessions } from './accounts/sessions.ts';
import { createLiveHub } from './live/hub.ts';
import { createAbandonedUploadsSweep } from './posts/abandoned-uploads.ts';
import { createFeedService } from './posts/feed.ts';
import { createImageKitDirectService } from './posts/imagekit-direct.ts';
import { createMediaBackfill } from './posts/media-backfill.ts';
import { createMediaProcessor } from './posts/media-processing.ts';
import { createPostWriter } from './posts/post-writer.ts';
import { createPostsService } from './posts/posts.ts';
import { createBlocksService } from './safety/blocks.ts';
import { createModerationService } from './safety/moderation.ts';
import { createReportsService } from './safety/reports.ts';
import { createVisibility } from './safety/visibility.ts';
import { createChanges, createHeartbeat } from './shared-database.ts';
import { createCommentsService } from './social/comments.ts';
import { createSocialFacts } from './social/facts.ts';
import { createFollowsService } from './social/follows.ts';
import { createLikesService } from './social/likes.ts';
import { createSocialLimits } from './social/limits.ts';
import { createNotificationsService } from './social/notifications.ts';

export interface ServicesDeps {
  /** Where to look for ffmpeg and ffprobe (PATH, then npm's builds); tests start servers without them. */
  ffmpeg?: LocateOptions;
  /** Called with the SQL of each statement; tests count statements with it. */
  onQuery?: (sql: string) => void;
  /** Namespaces the rate limits' keys and the Redis changes channel; tests use one per run. */
  redisKeyPrefix?: string;
}

export function createServices(config: Config, logger: Logger, options: ServicesDeps = {}) {
  const db: Db = createDb({
    url: config.databaseUrl,
    poolSize: config.databasePoolSize,
    onQuery: options.onQuery,
    busyTimeoutMs: config.sqliteBusyTimeoutMs,
    timeoutMs: config.databaseTimeoutMs,
    poolWaitMs: config.databasePoolWaitMs,
  });
  // The rate limits have a Redis client of their own; the changes channel and /health open theirs.
  const changes = createChanges(db, config, logger, options.redisKeyPrefix);
  // Started by whoever serves the app (src/server.ts, the tests), before it takes requests.
  const heartbeat = createHeartbeat(db, config, logger, options.redisKeyPrefix);
  const storage = createStorage({ config, logger });
  const fileRemovals = createFileRemovals({ db, storage, logger, intervalMs: config.mediaCleanupIntervalMs });
  const hasher = createPasswordHasher(config.bcryptCost);
  const rateLimits = createRateLimits({
    redis: config.redisUrl
      ? createRedisClient({
          url: config.redisUrl,
          timeoutMs: config.redisTimeoutMs,
          purpose: 'rate limits',
          logger,
          // Refused at once while disconnected: never queued to count later for a request already answered.
          options: { enableOfflineQueue: false, maxRetriesPerRequest: 0 },
        })
      : null,
    keyPrefix: options.redisKeyPrefix,
    memoryMaxKeys: config.rateLimitMemoryMaxKeys,
    logger,
  });
  const uploadLimits = createUploadLimits(rateLimits, config.uploadLimits, logger);
  const postWriter = createPostWriter({ db, fileRemovals, changes });
  const ffmpeg = options.ffmpeg ? locateFfmpeg(options.ffmpeg) : ffmpegTools();
  const processor = createMediaProcessor({
    uploadDir: config.uploadDir,
    imageMaxPixels: config.media.imageMaxPixels,
    heicMaxPixels: config.media.heicMaxPixels,
    ffmpeg,
    logger,
  });
  const mediaBackfill = createMediaBackfill({
    db,
    storage,
    fileRemovals,
    uploadDir: config.uploadDir,
    ffmpeg,
    limits: { maxPixels: config.media.imageMaxPixels, heicMaxPixels: config.media.heicMaxPixels },
    logger,
  });
  const posts = createPostsService({ db, storage, fileRemovals, uploadLimits, postWriter, processor, logger, changes });
  const imagekitDirect = createImageKitDirectService({
    imagekit: storage.directUploads,
    fileRemovals,
    uploadLimits,
    postWriter,
    logger,
  });
  const avatars = createAvatarsService({ storage, fileRemovals, uploadLimits, processor, changes, logger });
  const visibility = createVisibility({ db, changes });
  const feed = createFeedService({ db, changes });
  const users = createUserDirectory({ db });
  const socialLimits = createSocialLimits(rateLimits, config.socialLimits);
  const notifications = createNotificationsService({ db, changes });
  const follows = createFollowsService({ db, socialLimits, visibility, notifications, changes });
  // Counts and each viewer's likes and follows, cached until a write changes them (on any instance).
  const socialFacts = createSocialFacts({ db, changes });
  const likes = createLikesService({ db, socialLimits, visibility, notifications, changes });
  const comments = createCommentsService({ db, socialLimits, visibility, notifications, changes });
  const blocks = createBlocksService({ db, changes });
  const reports = createReportsService({ db, changes, rateLimits, settings: config.reports });
  // Live updates: this instance's open subscriptions, fed by the changes every instance hears.
  const live = createLiveHub({ db, changes, visibility, settings: config.live, logger });
  const tokens = createTokens({ ...config.jwt, ...config.accountTokens });
  const loginLimits = createLoginLimits(rateLimits, config.loginLimits);
  const accountLimits = createAccountLimits(rateLimits, config.accountLimits);
  const passwordChecks = createPasswordCheckSlots(rateLimits, config.passwordChecksInFlightPerIp);
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
    loginLimits,
    accountLimits,
    changes,
  });
  const sessions = createSessions({ db, tokens, changes, logger, lifetimes: config.sessions });
  const auth = createAuthService({
    db,
    sessions,
    hasher,
    loginLimits,
    accountLimits,
    requireVerifiedLogin: config.requireVerifiedLogin,
    onRegistered: (user, clientIp) => accounts.sendVerification(user, clientIp),
    changes,
  });
  const health = createHealth({ db, redisUrl: config.redisUrl, redisTimeoutMs: config.redisTimeoutMs, logger });
  const moderation = createModerationService({ db, changes, posts, comments, accounts });
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
    avatars,
    uploadLimits,
    mediaBackfill,
    feed,
    users,
    follows,
    likes,
    comments,
    /** Who and what each viewer must not see (blocks, reports, hidden rows): src/services/safety/visibility.ts. */
    visibility,
    /** Counts and each viewer's likes and follows, cached (src/services/social/facts.ts). */
    socialFacts,
    blocks,
    reports,
    moderation,
    notifications,
    live,
    changes,
    fileRemovals,
    maintenance,
    imagekitDirect,
    /** Password work in flight per client (src/graphql/password-check-slots.ts holds each operation's slot). */
    passwordChecks,
    /** Every named rate limit; a new feature adds its own here. */
    rateLimits,
    health,
    heartbeat,
    async close() {
      live.stop();
      await maintenance.stop();
      await heartbeat.stop();
      health.close();
      await accounts.flush();
      mailer.close();
      await rateLimits.close();
      await changes.close();
      await db.$disconnect();
    },
  };
}

export type Services = ReturnType<typeof createServices>;
