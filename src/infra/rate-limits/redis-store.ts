// The Redis side of the rate limits: one connection for every limiter of an instance, failing fast
// while Redis is away (the limits then refuse, src/infra/rate-limits/limiters.ts), and the increment
// script rate-limiter-flexible runs.
import type { Redis } from 'ioredis';
import type { Logger } from '../../logger.ts';

// rate-limiter-flexible's script (lib/RateLimiterRedis.js) with one addition: taking points back
// (a negative increment) never creates a key, and deletes one left with nothing in it, in one step,
// as the memory store does. Without it, a give-back landing after a window expired would open a new
// one at -1 for a whole window, a free extra try.
export const INCREMENT_SCRIPT = `
if tonumber(ARGV[1]) < 0 then
  if redis.call('exists', KEYS[1]) == 0 then return {0, 0} end
  local left = redis.call('incrby', KEYS[1], ARGV[1])
  if left <= 0 then
    redis.call('del', KEYS[1])
    return {0, 0}
  end
  return {left, redis.call('pttl', KEYS[1])}
end
redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}`;

/**
 * Watches the limits' Redis client (made by src/infra/redis.ts, with bounded waits): commands fail at once
 * while it is disconnected instead of queueing for a reconnection that may not come, and the first
 * requests after start wait for the connection (at most the client's timeout) instead of failing.
 */
export function watchRedis(client: Redis, logger: Logger) {
  let everReady = client.status === 'ready';
  let reachable = true;
  let closing = false;
  const timeoutMs = client.options.connectTimeout ?? 1000;
  const firstReady = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  // Said once each way, not once a request.
  const lost = (error?: unknown) => {
    if (reachable && !closing)
      logger.warn({ error }, 'Redis is unreachable: requests that need a rate limit are refused');
    reachable = false;
  };
  const back = () => {
    if (!reachable) logger.info('Redis is reachable again: rate limits are counted again');
    reachable = true;
  };
  client.on('ready', () => {
    everReady = true;
    back();
  });
  client.on('error', (error: Error) => lost(error));
  client.on('close', () => lost());
  return {
    client,
    /** A command failed (Redis down, or connected but not answering in time). */
    failed: lost,
    /** A command was answered. */
    answered: back,
    /** At start, the first requests wait for the connection (at most the client's timeout) instead of failing. */
    async ready(): Promise<void> {
      if (everReady || client.status === 'ready') return;
      await Promise.race([firstReady, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
    },
    close() {
      closing = true;
      client.disconnect();
    },
  };
}
