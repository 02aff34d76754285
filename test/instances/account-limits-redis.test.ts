// Registrations per IP and account mails per address, counted in Redis, shared by instances
// (test/account-limits.test.ts counts them in memory).
import { randomUUID } from 'node:crypto';
import { describeAccountLimits } from '../support/account-limit-cases.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
// A prefix of its own per server keeps runs apart.
const STORES = [
  ['Redis', () => ({ env: { REDIS_URL }, options: { redisKeyPrefix: `test:${randomUUID()}:` } })],
] as const;

describeAccountLimits(STORES);
