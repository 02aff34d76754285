// Logins must not stall the feed. The real server (src/server.ts) on SQLite with BCRYPT_COST=12 serves
// the feed to 4 autocannon connections (4 viewers in rotation) for 8 s without logins, then for 8 s
// while 3 successful logins a second arrive on their own requests, spread evenly. Prints the feed's
// req/s and p99 for both phases, the p99 ratio, the logins' latency, and the server's longest event
// loop delay in each phase (a login that blocks the loop shows there).   npm run bench:login-stall
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { type Account, checkFeed, login } from './support/graphql.ts';
import { feedLoad } from './support/load.ts';
import { sqliteUrl, startApp, tempDir } from './support/targets.ts';

const BCRYPT_COST = 12;
// 20 authors, so a page of 20 shows 20 of them as in bench/feed.ts, with fewer cost-12 registrations to wait for.
const SEED = { authors: 20, posts: 2000, viewers: 4 };
const FEED = { connections: 4, seconds: 8 };
const LOGINS_PER_SECOND = 3;

/** Sends a login every 1/perSecond s, each on its own request, without waiting for the previous one. */
function startLogins(url: string, accounts: Account[], perSecond: number) {
  const latencies: number[] = [];
  const failures: unknown[] = [];
  const inFlight = new Set<Promise<void>>();
  const interval = 1000 / perSecond;
  const started = performance.now();
  let sent = 0;
  let timer: NodeJS.Timeout | undefined;
  const send = () => {
    const account = accounts[sent % accounts.length]!;
    sent += 1;
    const t = performance.now();
    const request = login(url, account).then(
      () => void latencies.push(performance.now() - t),
      (error) => void failures.push(error),
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
    // Scheduled from the start time, so a late timer does not push the later logins back.
    timer = setTimeout(send, Math.max(0, started + sent * interval - performance.now()));
  };
  send();
  return {
    /** Stops sending. */
    halt: () => clearTimeout(timer),
    /** Stops sending, waits for the logins in flight, and fails if any login failed. */
    async stop(): Promise<number[]> {
      clearTimeout(timer);
      await Promise.all(inFlight);
      if (failures.length > 0)
        throw new Error(`${failures.length} of ${sent} logins failed; first: ${String(failures[0])}`);
      return latencies;
    },
  };
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

try {
  console.log(machine());
  console.log(
    `app on SQLite, BCRYPT_COST=${BCRYPT_COST}; feed(first: 20) with authors from ${FEED.connections} connections, ` +
      `${SEED.viewers} viewers in rotation; ${FEED.seconds} s per phase after a warm-up\n`,
  );
  const dir = await tempDir('bench-login-stall-');
  console.log(`seeding (${SEED.authors + SEED.viewers} registrations at cost ${BCRYPT_COST})...`);
  const target = await startApp('app on SQLite', {
    dir,
    databaseUrl: sqliteUrl(dir),
    bcryptCost: BCRYPT_COST,
    seed: SEED,
    // Every login comes from this one address and may overlap the next: the bench measures the feed
    // beside them, not the sign-in limits (bench/login-flood.ts does).
    env: { PASSWORD_CHECKS_IN_FLIGHT_PER_IP: '100', LOGIN_MAX_PER_MINUTE: '1000' },
  });
  const { url } = target.server;
  await checkFeed(url, target.tokens[0]!);

  console.log('warm-up: feed 2 s, then 3 logins');
  await feedLoad(url, target.tokens, { connections: FEED.connections, seconds: 2 });
  for (const account of target.viewers.slice(0, 3)) await login(url, account);
  await target.server.stats(); // restarts the event loop delay histogram

  console.log(`phase 1: feed alone, ${FEED.seconds} s`);
  const alone = await feedLoad(url, target.tokens, FEED);
  const aloneLoop = (await target.server.stats()).eventLoopDelay;

  console.log(`phase 2: feed with ${LOGINS_PER_SECOND} logins/s, ${FEED.seconds} s`);
  const logins = startLogins(url, target.viewers, LOGINS_PER_SECOND);
  const withLogins = await feedLoad(url, target.tokens, FEED).catch((error) => {
    logins.halt();
    throw error;
  });
  const loginLatencies = await logins.stop();
  const withLoop = (await target.server.stats()).eventLoopDelay;

  console.log(`\n${machine()}`);
  console.log(
    table(
      [
        'phase',
        'feed requests',
        'errors/non-2xx',
        'feed req/s',
        'feed p50 ms',
        'feed p99 ms',
        'server event loop delay max ms',
        'logins',
        'login p50 ms',
      ],
      [
        [
          'without logins',
          String(alone.requests),
          `${alone.errors}/${alone.non2xx}`,
          fixed(alone.reqPerSec, 0),
          fixed(alone.p50),
          fixed(alone.p99),
          fixed(aloneLoop.max, 0),
          '0',
          '-',
        ],
        [
          `with ${LOGINS_PER_SECOND} logins/s`,
          String(withLogins.requests),
          `${withLogins.errors}/${withLogins.non2xx}`,
          fixed(withLogins.reqPerSec, 0),
          fixed(withLogins.p50),
          fixed(withLogins.p99),
          fixed(withLoop.max, 0),
          String(loginLatencies.length),
          fixed(percentile(loginLatencies, 0.5)!, 0),
        ],
      ],
    ),
  );
  console.log(`\nfeed p99 with logins / without: ${fixed(withLogins.p99 / alone.p99, 2)}x`);
  console.log(
    `login latency: p50 ${fixed(percentile(loginLatencies, 0.5)!, 0)} ms, max ${fixed(Math.max(...loginLatencies), 0)} ms (${loginLatencies.length} logins, all succeeded)`,
  );
  console.log(
    'every feed response checked: 2xx and no GraphQL errors (any would have failed the run); req/s is the mean of per-second samples',
  );
} finally {
  await runCleanups();
}
