// What GET /health reports: whether this instance reaches what every request needs, so a load balancer
// takes it out of rotation while its database (or Redis, when REDIS_URL is set) is gone. Each check
// gets a short timeout, as a balancer's own health check is short.
import type { Redis } from 'ioredis';
import type { Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { createRedisClient } from './redis.ts';

/** How long each check may take before its dependency counts as down. */
export const HEALTH_CHECK_TIMEOUT_MS = 1500;

export interface HealthDeps {
  db: Db;
  redisUrl: string | null;
  redisTimeoutMs: number;
  logger: Logger;
}

export function createHealth({ db, redisUrl, redisTimeoutMs, logger }: HealthDeps) {
  // A client of its own: the counters' one connects only when first used.
  const redis: Redis | null = redisUrl
    ? createRedisClient({ url: redisUrl, timeoutMs: redisTimeoutMs, purpose: 'health', logger })
    : null;
  const checks: [name: string, check: () => Promise<unknown>][] = [
    ['database', () => db.$queryRaw`SELECT 1`],
    ...(redis ? [['Redis', () => redis.ping()] as [string, () => Promise<unknown>]] : []),
  ];

  return {
    /** The dependencies that did not answer in time, by the names SERVICE_UNAVAILABLE gives them; [] when all did. */
    async down(): Promise<string[]> {
      const results = await Promise.all(
        checks.map(async ([name, check]) => ((await answersWithin(check, HEALTH_CHECK_TIMEOUT_MS)) ? [] : [name])),
      );
      return results.flat();
    },
    close() {
      redis?.disconnect();
    },
  };
}

async function answersWithin(check: () => Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  // Settles either way, so a check that fails after the timeout won (a connection closed later) is no
  // unhandled rejection.
  const answered = check().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export type Health = ReturnType<typeof createHealth>;
