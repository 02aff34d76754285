// How the instances on one database hear each other: the changes channel every cache-staling write
// publishes on, and, on SQLite, the heartbeat that keeps an instance from running beside one it would
// not hear.
import { createHash } from 'node:crypto';
import type { Config } from '../config.ts';
import { postgresSchemaOf, sqliteFilePath } from '../db/client.ts';
import { type Db, providerOf } from '../db/index.ts';
import { type Changes, createLocalChanges, createPostgresChanges, createRedisChanges } from '../infra/changes.ts';
import {
  createInstanceHeartbeat,
  type InstanceHeartbeat,
  LOCAL_CHANNEL,
  noHeartbeat,
} from '../infra/instance-heartbeat.ts';
import type { Logger } from '../logger.ts';

/** Every write that makes a cache stale says so here, and every instance on the same database hears it. */
export function createChanges(db: Db, config: Config, logger: Logger, redisKeyPrefix = 'photo-feed:'): Changes {
  if (providerOf(config.databaseUrl) === 'postgresql') {
    return createPostgresChanges({
      url: config.databaseUrl,
      schema: postgresSchemaOf(config.databaseUrl),
      // Through the pool, like any write: it works while the listening connection is down.
      notify: (channel, payload) => db.$executeRaw`SELECT pg_notify(${channel}, ${payload})`,
      connectTimeoutMs: config.databaseTimeoutMs,
      logger,
    });
  }
  if (config.redisUrl) {
    const channel = redisChannelOf(config.databaseUrl, redisKeyPrefix);
    return createRedisChanges({ url: config.redisUrl, channel, timeoutMs: config.redisTimeoutMs, logger });
  }
  return createLocalChanges();
}

/** Instances share changes when they share the database file (and the key prefix). */
function redisChannelOf(databaseUrl: string, redisKeyPrefix: string): string {
  const file = createHash('sha256').update(sqliteFilePath(databaseUrl)).digest('hex').slice(0, 16);
  return `${redisKeyPrefix}changes:${file}`;
}

/**
 * On SQLite, a heartbeat naming how this instance hears the others: a second instance that would not
 * hear the first (or be heard) refuses to start (src/infra/instance-heartbeat.ts).
 */
export function createHeartbeat(
  db: Db,
  config: Config,
  logger: Logger,
  redisKeyPrefix = 'photo-feed:',
): InstanceHeartbeat {
  if (providerOf(config.databaseUrl) === 'postgresql') return noHeartbeat;
  // By the channel's name, not the Redis address: one Redis may be reached by several (a proxy, a
  // hostname and its IP), and instances of one box given two Redis servers would be a stranger mistake.
  const channel = config.redisUrl ? redisChannelOf(config.databaseUrl, redisKeyPrefix) : LOCAL_CHANNEL;
  return createInstanceHeartbeat({ db, file: sqliteFilePath(config.databaseUrl), channel, logger });
}
