// Redis clients as every part of the server opens them (counters, the changes channel, /health), with
// bounded waits. ioredis' defaults queue a command for as long as reconnecting takes (seconds, growing)
// and wait 10 s for a connection; here, while Redis is unreachable, a command fails within
// REDIS_TIMEOUT_MS and the request is answered SERVICE_UNAVAILABLE (src/graphql/error-masking.ts), and the
// client tries again at least every second, so it is used again soon after Redis is back.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger.ts';

export interface RedisClientDeps {
  url: string;
  /** How long a connection attempt, and a command, may take. */
  timeoutMs: number;
  /** What the client is for, in its log lines. */
  purpose: string;
  logger: Logger;
  /** ioredis options over these defaults. */
  options?: RedisOptions;
}

export function createRedisClient({ url, timeoutMs, purpose, logger, options = {} }: RedisClientDeps): Redis {
  const client = new Redis(url, {
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    // Commands sent while it reconnects wait for one more attempt at most (and commandTimeout in all).
    maxRetriesPerRequest: 1,
    // A command the caller gave up on (timed out) must not run later: an INCR sent after the request
    // was answered SERVICE_UNAVAILABLE would count an attempt that never happened.
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempts) => Math.min(attempts * 100, 1000),
    ...options,
  });
  // One line when Redis goes away and one when it is back, not one per reconnection attempt.
  let down = false;
  client.on('error', (error) => {
    if (down) return;
    down = true;
    logger.warn({ purpose, error }, 'Redis is unreachable');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ purpose }, 'Redis is reachable again');
  });
  return client;
}

export class RedisUnreachableError extends Error {
  override readonly name = 'RedisUnreachableError';
}

/**
 * Waits until the client is connected, for at most `timeoutMs`. Commands sent only then do not wait in
 * ioredis' offline queue, where one the caller has given up on would still run once Redis is back.
 */
export async function whenReady(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') client.connect().catch(() => {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new RedisUnreachableError(`Redis did not connect within ${timeoutMs} ms.`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** ioredis' own errors for a Redis it cannot reach; a command's errors from Redis itself are not these. */
const UNREACHABLE_MESSAGES = new Set(['Command timed out', 'Connection is closed.']);

/** Whether an error means Redis could not be reached (as opposed to Redis refusing the command). */
export function isRedisUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'RedisUnreachableError' ||
    error.name === 'MaxRetriesPerRequestError' ||
    UNREACHABLE_MESSAGES.has(error.message) ||
    error.message.startsWith("Stream isn't writeable")
  );
}
