// Waiting for a server to finish what a load left in flight, so the next measurement starts quiet.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChildServer } from './server.ts';

/**
 * Waits until the server has no SQL statement pending and its statement count has not moved for a
 * second, or `limitMs` passes.
 */
export async function settle(server: ChildServer, limitMs = 180_000): Promise<{ seconds: number; settled: boolean }> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  let last = -1;
  let stillSince = performance.now();
  for (;;) {
    // A server busy in a long SQLite statement cannot answer: that is not quiet either.
    const now = await server.stats().then(
      (stats) => (stats.sqlPending > 0 ? -1 : stats.sqlStatements),
      () => -1,
    );
    if (now === -1 || now !== last) {
      last = now;
      stillSince = performance.now();
    } else if (performance.now() - stillSince >= 1000) {
      return { seconds: seconds(), settled: true };
    }
    if (performance.now() - started > limitMs) return { seconds: seconds(), settled: false };
    await sleep(250);
  }
}
