// Named rate limits on rate-limiter-flexible: counted in this instance's memory (a bounded store,
// src/infra/rate-limits/memory-store.ts), or in Redis when REDIS_URL is set, so every instance shares
// them. A feature adds a limit in a few lines:
//
//   const likes = rateLimits.limiter('like-user', { points: 100, durationSeconds: 3600, message: 'Too many likes.' });
//   await likes.consume(viewer.id); // RATE_LIMITED, with retryAfterSeconds, past 100 an hour
//
// Keys are `<prefix><name>:<hash of the subject>`: a fixed size whatever the client sent (a 20 MB
// "email" included), and the prefix (`photo-feed:` unless set) is the one every instance shares.
// While Redis is unreachable a limit is never skipped: the request fails at once with
// SERVICE_UNAVAILABLE and the limits work again as soon as Redis is back (ioredis reconnects on its own).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, ErrorCode, serviceUnavailable } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { MemoryStoreFull, MemoryWindows, RateLimiterBoundedMemory } from './memory-store.ts';
import { INCREMENT_SCRIPT, watchRedis } from './redis-store.ts';

export interface LimiterOptions {
  /** Actions (or bytes) allowed in a window. */
  points: number;
  /** The window, opened by the first action and not stretched by later ones; 0: no expiry. */
  durationSeconds: number;
  /** What a refusal says, before "Try again in N seconds." */
  message: string;
  /**
   * `shared` (the default): in Redis when it is configured, so every instance counts together.
   * `instance`: always in this process's memory, for what only this process can know (work in flight).
   */
  scope?: 'shared' | 'instance';
}

export interface Usage {
  /** Points counted in the subject's window. */
  used: number;
  retryAfterSeconds: number;
}

export interface Limiter {
  readonly name: string;
  readonly points: number;
  /** Counts `points` for the subject, or throws RATE_LIMITED (RateLimitRefusal) past the limit. */
  consume(subject: string, points?: number): Promise<Usage>;
  /** The subject's window without counting; null when it has none. */
  peek(subject: string): Promise<Usage | null>;
  /** Counts `points` whatever the limit (a reservation the caller checks itself). */
  add(subject: string, points: number): Promise<Usage>;
  /** Takes points back. Never opens a window, and a window left empty is dropped. */
  giveBack(subject: string, points?: number): Promise<void>;
  /** Drops the subject's window. */
  forget(subject: string): Promise<void>;
  /** The RATE_LIMITED error of this limit. */
  refusal(retryAfterSeconds: number): RateLimitRefusal;
}

/** RATE_LIMITED from a named limit; the name is for logs and callers, never sent to the client. */
export class RateLimitRefusal extends AppError {
  constructor(
    readonly limit: string,
    message: string,
    retryAfterSeconds: number,
  ) {
    super(ErrorCode.RATE_LIMITED, `${message} Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

/** Whole seconds until a window ends, at least 1 (a window without expiry: try again in a second). */
const secondsOf = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

const hashOf = (subject: string) => createHash('sha256').update(subject).digest('base64url').slice(0, 32);

export interface RateLimitsDeps {
  /**
   * The Redis client the limits share with every instance (src/infra/redis.ts; the limits make it fail
   * at once while disconnected), or null to count in this instance's memory.
   */
  redis: Redis | null;
  /** Starts every stored key (Redis and memory alike); tests use one per run. */
  keyPrefix?: string;
  /** Windows the in-memory store holds at most (RATE_LIMIT_MEMORY_MAX_KEYS). */
  memoryMaxKeys: number;
  logger: Logger;
}

export function createRateLimits({
  redis: redisClient,
  keyPrefix = 'photo-feed:',
  memoryMaxKeys,
  logger,
}: RateLimitsDeps) {
  const windows = new MemoryWindows({ maxKeys: memoryMaxKeys });
  const redis = redisClient ? watchRedis(redisClient, logger) : null;

  function limiter(name: string, { points, durationSeconds, message, scope = 'shared' }: LimiterOptions): Limiter {
    const options = { keyPrefix: `${keyPrefix}${name}`, points, duration: durationSeconds };
    const store = redis && scope === 'shared' ? redis : null;
    const backend: RateLimiterAbstract = store
      ? new RateLimiterRedis({
          ...options,
          storeClient: store.client,
          rejectIfRedisNotReady: true,
          customIncrTtlLuaScript: INCREMENT_SCRIPT,
        })
      : new RateLimiterBoundedMemory({ ...options, windows });
    const refusal = (retryAfterSeconds: number) => new RateLimitRefusal(name, message, retryAfterSeconds);
    const usageOf = (res: RateLimiterRes): Usage => ({
      used: res.consumedPoints,
      retryAfterSeconds: secondsOf(res.msBeforeNext),
    });

    /** Runs one store operation: a refusal becomes RATE_LIMITED, an unreachable Redis SERVICE_UNAVAILABLE. */
    async function run<T>(operation: () => Promise<T>): Promise<T> {
      try {
        if (store) await store.ready();
        const result = await operation();
        store?.answered();
        return result;
      } catch (error) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the limit is reached.
        if (error instanceof RateLimiterRes) {
          store?.answered();
          throw refusal(secondsOf(error.msBeforeNext));
        }
        if (error instanceof MemoryStoreFull) {
          if (error.firstSinceRoom) {
            logger.warn(
              { limit: name },
              'rate limits refuse new windows: the in-memory store is full of windows at their limit',
            );
          }
          throw refusal(secondsOf(error.retryAfterMs));
        }
        if (!store) throw error;
        // Anything else from Redis means it cannot count: refuse rather than let the request through.
        store.failed(error);
        throw serviceUnavailable('Redis');
      }
    }

    return {
      name,
      points,
      consume: async (subject, amount = 1) => {
        const key = hashOf(subject);
        const counted = await run(() =>
          backend.consume(key, amount).catch(async (rejection: unknown) => {
            // The library counts a refused action before refusing it. Take it back: a refusal counts
            // nowhere, and a count of work in flight (no expiry) would otherwise never come down.
            if (rejection instanceof RateLimiterRes) await backend.reward(key, amount);
            throw rejection;
          }),
        );
        return usageOf(counted);
      },
      peek: (subject) => run(() => backend.get(hashOf(subject))).then((res) => (res ? usageOf(res) : null)),
      add: (subject, amount) => run(() => backend.penalty(hashOf(subject), amount)).then(usageOf),
      giveBack: async (subject, amount = 1) => {
        await run(() => backend.reward(hashOf(subject), amount));
      },
      forget: async (subject) => {
        await run(() => backend.delete(hashOf(subject)));
      },
      refusal,
    };
  }

  return {
    limiter,
    /** The in-memory windows, for tests of the bound. */
    windows,
    async close() {
      windows.close();
      redis?.close();
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;

/** One subject of one limit, for consumeTogether. */
export interface Count {
  limiter: Limiter;
  subject: string;
}

/**
 * Counts one action against several limits, all or none: a request refused by one limit counts
 * against none, and opens no window. Each limit is read first (a refusal costs no write), then
 * counted atomically; when requests racing together push one past its limit, the others' counts are
 * given back.
 */
export async function consumeTogether(counts: readonly Count[]): Promise<void> {
  const current = await Promise.all(counts.map(({ limiter, subject }) => limiter.peek(subject)));
  const full = counts.flatMap((count, i) => {
    const usage = current[i];
    return usage && usage.used >= count.limiter.points ? [{ count, usage }] : [];
  });
  if (full.length > 0) throw refusalOf(full.map(({ count, usage }) => count.limiter.refusal(usage.retryAfterSeconds)));
  const results = await Promise.allSettled(counts.map(({ limiter, subject }) => limiter.consume(subject)));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 0) return;
  await Promise.all(
    counts.map(({ limiter, subject }, i) =>
      results[i]?.status === 'fulfilled' ? limiter.giveBack(subject) : Promise.resolve(),
    ),
  );
  const refusals = failures.filter((failure) => failure instanceof RateLimitRefusal);
  // A store that failed wins over a refusal: the answer must say to try again, not how long to wait.
  throw refusals.length === failures.length
    ? refusalOf(refusals)
    : failures.find((f) => !(f instanceof RateLimitRefusal));
}

/** Of several refusals, the one that lasts longest. */
function refusalOf(refusals: RateLimitRefusal[]): RateLimitRefusal {
  return refusals.reduce((longest, refusal) =>
    (refusal.extensions.retryAfterSeconds as number) > (longest.extensions.retryAfterSeconds as number)
      ? refusal
      : longest,
  );
}
