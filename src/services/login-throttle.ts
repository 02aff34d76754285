// Counts failed logins per email and per client IP in a fixed window. In memory for one instance; in
// Redis when REDIS_URL is set, so several instances share the counts.
import { Redis } from 'ioredis';

export interface ThrottleStore {
  /** Failures so far and seconds until the window resets, for each key. */
  peek(keys: string[]): Promise<{ count: number; resetInSeconds: number }[]>;
  increment(keys: string[], windowSeconds: number): Promise<void>;
  clear(key: string): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryThrottleStore(now: () => number = Date.now): ThrottleStore {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const live = (key: string) => {
    const entry = windows.get(key);
    if (entry && entry.resetAt <= now()) {
      windows.delete(key);
      return undefined;
    }
    return entry;
  };
  return {
    async peek(keys) {
      return keys.map((key) => {
        const entry = live(key);
        return { count: entry?.count ?? 0, resetInSeconds: entry ? Math.ceil((entry.resetAt - now()) / 1000) : 0 };
      });
    },
    async increment(keys, windowSeconds) {
      for (const key of keys) {
        const entry = live(key);
        if (entry) entry.count += 1;
        else windows.set(key, { count: 1, resetAt: now() + windowSeconds * 1000 });
      }
      // Forget expired windows now and then, so an attacker cycling emails cannot grow the map forever.
      if (windows.size > 10_000) for (const key of windows.keys()) live(key);
    },
    async clear(key) {
      windows.delete(key);
    },
    async close() {},
  };
}

export function createRedisThrottleStore(url: string, prefix = 'photo-feed:login-failures:'): ThrottleStore {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  return {
    async peek(keys) {
      const pipeline = redis.pipeline();
      for (const key of keys) pipeline.get(prefix + key).ttl(prefix + key);
      const replies = (await pipeline.exec()) ?? [];
      return keys.map((_, i) => ({
        count: Number(replies[i * 2]?.[1] ?? 0),
        resetInSeconds: Math.max(0, Number(replies[i * 2 + 1]?.[1] ?? 0)),
      }));
    },
    async increment(keys, windowSeconds) {
      const pipeline = redis.pipeline();
      // NX: the window starts at the first failure and is not stretched by later ones.
      for (const key of keys) pipeline.incr(prefix + key).expire(prefix + key, windowSeconds, 'NX');
      await pipeline.exec();
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
    async close() {
      redis.disconnect();
    },
  };
}

export interface ThrottleSettings {
  maxFailures: number;
  windowSeconds: number;
}

export function createLoginThrottle(store: ThrottleStore, { maxFailures, windowSeconds }: ThrottleSettings) {
  const keysOf = (email: string, ip: string | null) => [`email:${email}`, ...(ip ? [`ip:${ip}`] : [])];
  return {
    /** Seconds to wait before trying again, or 0 when a login attempt may go ahead. */
    async retryAfter(email: string, ip: string | null): Promise<number> {
      const windows = await store.peek(keysOf(email, ip));
      const blocked = windows.filter((w) => w.count >= maxFailures);
      return blocked.length ? Math.max(1, ...blocked.map((w) => w.resetInSeconds)) : 0;
    },
    recordFailure: (email: string, ip: string | null) => store.increment(keysOf(email, ip), windowSeconds),
    /** A successful login clears the email's count; the IP's stays, so one good account can't launder guesses. */
    recordSuccess: (email: string) => store.clear(`email:${email}`),
    close: () => store.close(),
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
