// Feed load with autocannon: every request carries the next of the viewers' tokens in turn, so the
// server authenticates many sessions, not one. Any error, timeout, non-2xx status or GraphQL error
// in a response fails the run: an error answer is fast and would flatter the figures.
import autocannon from 'autocannon';
import { FEED_QUERY } from './graphql.ts';

export interface LoadResult {
  /** Mean of autocannon's per-second samples. */
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Completed in the run. */
  requests: number;
  /** Connection errors and timeouts, then non-2xx answers: always 0, or feedLoad throws. */
  errors: number;
  non2xx: number;
}

export async function feedLoad(
  url: string,
  tokens: string[],
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: FEED_QUERY }),
    requests: [
      {
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length];
          return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
        },
      },
    ],
    // Counted as mismatches. Captions are "post <n>", so "errors" appears only in a GraphQL error.
    verifyBody: (body) => typeof body === 'string' && !body.includes('"errors"'),
  });
  const failures = {
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors: result.mismatches,
  };
  if (Object.values(failures).some((n) => n > 0) || result.requests.total === 0) {
    throw new Error(`feed load on ${url} failed: ${JSON.stringify({ ...failures, requests: result.requests.total })}`);
  }
  return {
    reqPerSec: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** A warm-up run (discarded: JIT, connection pools, SQLite page cache), then the measured run. */
export async function measureFeed(
  url: string,
  tokens: string[],
  { connections, warmupSeconds = 2, seconds }: { connections: number; warmupSeconds?: number; seconds: number },
): Promise<LoadResult> {
  await feedLoad(url, tokens, { connections, seconds: warmupSeconds });
  return feedLoad(url, tokens, { connections, seconds });
}
