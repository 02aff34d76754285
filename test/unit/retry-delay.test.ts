// The backoff of file removals that failed (src/infra/jobs/file-removals.ts).

import { describe, expect, it } from 'vitest';
import { retryDelay } from '../../src/infra/jobs/file-removals.ts';

describe('retryDelay', () => {
  it.each([
    [0, 30_000],
    [1, 30_000],
    [2, 60_000],
    [3, 120_000],
    [10, 15_360_000],
    [11, 6 * 3600_000],
    [50, 6 * 3600_000],
  ])('after %d failures waits %d ms', (attempts, ms) => {
    expect(retryDelay(attempts, 30_000, 6 * 3600_000)).toBe(ms);
  });
});
