// Fixed-window counters for rate limits (logins, registrations, account mails). In memory for one
// instance; in Redis when REDIS_URL is set, so several instances share the counts. Counting is
// atomic: the caller adds its hit first and then reads the new count, so requests arriving together
// cannot all see the same old count and all go ahead.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { whenReady } from '../redis.ts';

export interface CounterKey {
  /** What is counted, e.g. "login-pair". Part of the stored key. */
  kind: string;
  /** Whose hits are counted: an email, an IP... Hashed before it is stored, so its size is bounded. */
  subject: string;
  windowSeconds: number;
}

export interface Count {
  count: number;
  /** Seconds until the window closes and the count starts again from zero. */
  resetInSeconds: number;
}

export interface CounterStore {
  /**
   * Adds `amount` (one hit, or bytes) to each counter, opening its window on the first hit, and
   * returns the new counts. An amount of 0 reads them.
   */
  hit(keys: readonly CounterKey[], amount?: number): Promise<Count[]>;
  /** Takes one hit back from each counter that still has its window. */
  undo(keys: readonly CounterKey[]): Promise<void>;
  /** Forgets the counters. */
  reset(keys: readonly CounterKey[]): Promise<void>;
  close(): Promise<void>;
}

/** The stored name of a counter: a fixed size, whatever the client sent (a 20 MB "email" included). */
export function storedKey({ kind, subject }: Pick<CounterKey, 'kind' | 'subject'>): string {
  return `${kind}:${createHash('sha256').update(subject).digest('base64url').slice(0, 32)}`;
}

export interface MemoryStoreOptions {
  now?: () => number;
  /** The most counters kept; past it the oldest window is dropped to make room. */
  maxKeys?: number;
  /** How often expired windows are dropped. */
  pruneIntervalMs?: number;
}

export function createMemoryCounterStore({
  now = Date.now,
  maxKeys = 100_000,
  pruneIntervalMs = 60_000,
}: MemoryStoreOptions = {}) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  const prune = () => {
    for (const key of windows.keys()) live(key);
  };
  const timer = setInterval(prune, pruneIntervalMs).unref();

  const store: CounterStore & { size(): number; prune(): void } = {
    async hit(keys, amount = 1) {
      return keys.map((key) => {
        const name = storedKey(key);
        let entry = live(name);
        if (!entry) {
          // Map order is insertion order, so the first key is the oldest window.
          const oldest = windows.keys().next();
          if (windows.size >= maxKeys && !oldest.done) windows.delete(oldest.value);
          entry = { count: 0, resetAt: now() + key.windowSeconds * 1000 };
          windows.set(name, entry);
        }
        entry.count += amount;
        return { count: entry.count, resetInSeconds: Math.ceil((entry.resetAt - now()) / 1000) };
      });
    },
    async undo(keys) {
      for (const key of keys) {
        const entry = live(storedKey(key));
        if (entry && entry.count > 0) entry.count -= 1;
      }
    },
    async reset(keys) {
      for (const key of keys) windows.delete(storedKey(key));
    },
    async close() {
      clearInterval(timer);
      windows.clear();
    },
    size: () => windows.size,
    prune,
  };
  return store;
}

// Takes a hit back only while the window exists: DECR on a missing key would create one without expiry.
const UNDO_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0`;

/**
 * Counters in Redis, through a client whose waits are bounded (src/infra/redis.ts): while Redis is
 * unreachable they fail within `timeoutMs`, so a limit refuses rather than lets through, and a hit is
 * sent only on a live connection, so none is counted late for a request that was refused.
 */
export function createRedisCounterStore(redis: Redis, timeoutMs: number, prefix = 'photo-feed:'): CounterStore {
  const name = (key: CounterKey) => `${prefix}${storedKey(key)}`;
  return {
    async hit(keys, amount = 1) {
      await whenReady(redis, timeoutMs);
      const transaction = redis.multi();
      // NX: the window opens at the first hit and later hits do not stretch it.
      for (const key of keys)
        transaction.incrby(name(key), amount).expire(name(key), key.windowSeconds, 'NX').ttl(name(key));
      const replies = (await transaction.exec()) ?? [];
      return keys.map((key, i) => {
        const [countError, count] = replies[i * 3] ?? [];
        const [, ttl] = replies[i * 3 + 2] ?? [];
        if (countError) throw countError;
        return { count: Number(count), resetInSeconds: Math.max(1, Number(ttl ?? key.windowSeconds)) };
      });
    },
    async undo(keys) {
      await whenReady(redis, timeoutMs);
      await Promise.all(keys.map((key) => redis.eval(UNDO_SCRIPT, 1, name(key))));
    },
    async reset(keys) {
      if (keys.length === 0) return;
      await whenReady(redis, timeoutMs);
      await redis.del(...keys.map(name));
    },
    async close() {
      redis.disconnect();
    },
  };
}

export function createCounterStore(
  redis: { client: Redis; timeoutMs: number } | null,
  redisKeyPrefix?: string,
): CounterStore {
  return redis ? createRedisCounterStore(redis.client, redis.timeoutMs, redisKeyPrefix) : createMemoryCounterStore();
}
