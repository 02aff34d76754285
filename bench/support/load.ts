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

/** The value at quantile q of the sorted list (nearest rank). */
const quantile = (sorted: number[], q: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

export interface TurnLoad {
  /** Each request's JSON body. */
  body: () => string;
  /** Whether a 2xx answer is right. */
  verifyBody: (body: string) => boolean;
}

/**
 * Loads to be compared with each other, taken in turns over the same connections: one autocannon run
 * whose requests carry A's body for `sliceSeconds`, then B's, then A's again..., after a warm-up of each.
 * The machine's speed drifts over the minutes a bench takes, and a stall would otherwise fall on one load's
 * whole measurement; and the connections stay open across turns, so no turn pays for opening 50 at once
 * on a busy server (when each turn opened its own, the first requests of a turn waited up to 3 s). A
 * request belongs to the turn it was sent in; its latency is timed from when autocannon builds it to its
 * answer.
 */
export async function measureInTurns<K extends string>(
  url: string,
  tokens: string[],
  loads: Record<K, TurnLoad>,
  options: { connections: number; warmupSeconds: number; sliceSeconds: number; rounds: number; timeoutSeconds: number },
): Promise<Record<K, LoadResult>> {
  const names = Object.keys(loads) as K[];
  const turns = [
    ...names.map((name) => ({ name, seconds: options.warmupSeconds, measured: false })),
    ...Array.from({ length: options.rounds }, () =>
      names.map((name) => ({ name, seconds: options.sliceSeconds, measured: true })),
    ).flat(),
  ];
  const ends = turns.map((_, i) => turns.slice(0, i + 1).reduce((sum, turn) => sum + turn.seconds * 1000, 0));
  const tally = new Map(names.map((name) => [name, { latencies: [] as number[], non2xx: 0, wrongAnswers: 0 }]));
  let next = 0;
  type Context = { turn?: (typeof turns)[number]; sentAt?: number };
  const started = performance.now();
  const turnNow = () => {
    const elapsed = performance.now() - started;
    const index = ends.findIndex((end) => elapsed < end);
    return turns[index === -1 ? turns.length - 1 : index]!;
  };
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: options.connections,
    duration: ends.at(-1)! / 1000,
    timeout: options.timeoutSeconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (request, context: Context) => {
          const turn = turnNow();
          context.turn = turn;
          context.sentAt = performance.now();
          const token = tokens[next++ % tokens.length];
          return {
            ...request,
            body: loads[turn.name].body(),
            headers: { ...request.headers, authorization: `Bearer ${token}` },
          };
        },
        onResponse: (status, body, context: Context) => {
          const { turn, sentAt } = context;
          if (!turn?.measured || sentAt === undefined) return;
          const counts = tally.get(turn.name)!;
          if (status < 200 || status >= 300) counts.non2xx += 1;
          else if (!loads[turn.name].verifyBody(body)) counts.wrongAnswers += 1;
          else counts.latencies.push(performance.now() - sentAt);
        },
      },
    ],
  });
  const measuredSeconds = options.rounds * options.sliceSeconds;
  const results = {} as Record<K, LoadResult>;
  for (const [name, { latencies, non2xx, wrongAnswers }] of tally) {
    latencies.sort((a, b) => a - b);
    const requests = latencies.length + non2xx + wrongAnswers;
    results[name] = {
      reqPerSec: requests / measuredSeconds,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      requests,
      // Connection errors and timeouts cannot be told apart by load: each load is charged with all of them.
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx,
      wrongAnswers,
    };
  }
  return results;
}
