// GraphQL load with autocannon: every request carries the next of the viewers' tokens in turn, so the
// server authenticates many sessions, not one. By default any error, timeout, non-2xx status or GraphQL
// error in a response fails the run: an error answer is fast and would flatter the figures. A bench
// that expects failures (a server too slow to answer in time) asks for them to be counted instead, and
// reports them.
import autocannon from 'autocannon';
import { FEED_QUERY } from './graphql.ts';

export interface LoadResult {
  /** Mean of autocannon's per-second samples (every answer, right or wrong). */
  reqPerSec: number;
  /** Of the 2xx answers. */
  p50: number;
  p99: number;
  /** Answered in the run. */
  requests: number;
  /** Connection errors and timeouts (timeouts included), then non-2xx answers, then 2xx answers verifyBody refused. */
  errors: number;
  timeouts: number;
  non2xx: number;
  wrongAnswers: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** A request unanswered after this long counts as a timeout (autocannon's default: 10 s). */
  timeoutSeconds?: number;
  /** Each request's JSON body, called once per request; the feed's first page (FEED_QUERY) when absent. */
  body?: () => string;
  /** Whether a 2xx answer is right; when absent, it must not hold a GraphQL error. */
  verifyBody?: (body: string) => boolean;
  /** Count errors, timeouts, non-2xx and wrong answers in the result instead of throwing. */
  countFailures?: boolean;
}

export const failures = (result: LoadResult) => result.errors + result.non2xx + result.wrongAnswers;

export async function feedLoad(url: string, tokens: string[], options: LoadOptions): Promise<LoadResult> {
  const { connections, seconds, timeoutSeconds = 10, body, verifyBody, countFailures = false } = options;
  let next = 0;
  const result = await autocannon({
    url: `${url}/graphql`,
    connections,
    duration: seconds,
    timeout: timeoutSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: FEED_QUERY }),
    requests: [
      {
        setupRequest: (request) => {
          const token = tokens[next++ % tokens.length];
          return {
            ...request,
            ...(body ? { body: body() } : {}),
            headers: { ...request.headers, authorization: `Bearer ${token}` },
          };
        },
      },
    ],
    // Counted as mismatches. Captions are "post <n>", so "errors" appears only in a GraphQL error.
    verifyBody: (answer) =>
      typeof answer === 'string' && (verifyBody ? verifyBody(answer) : !answer.includes('"errors"')),
  });
  const load: LoadResult = {
    reqPerSec: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    wrongAnswers: result.mismatches,
  };
  if (!countFailures && (failures(load) > 0 || load.requests === 0)) {
    const { errors, timeouts, non2xx, wrongAnswers, requests } = load;
    throw new Error(`load on ${url} failed: ${JSON.stringify({ errors, timeouts, non2xx, wrongAnswers, requests })}`);
  }
  return load;
}

/**
 * A warm-up run (discarded: JIT, connection pools, the database's page cache), then `settle` (for
 * instance: wait for the server to finish what the warm-up left in flight), then the measured run.
 */
export async function measureFeed(
  url: string,
  tokens: string[],
  { warmupSeconds = 2, settle, ...options }: LoadOptions & { warmupSeconds?: number; settle?: () => Promise<void> },
): Promise<LoadResult> {
  await feedLoad(url, tokens, { ...options, seconds: warmupSeconds });
  await settle?.();
  return feedLoad(url, tokens, options);
}
