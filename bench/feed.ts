// Feed throughput and p99 latency of the real server, on SQLite and on PostgreSQL, against a ceiling:
// the same response from an in-memory yoga + Pothos server (bench/support/ceiling-server.ts). Each
// server runs alone in a child process, seeded with 2,000 posts by 50 authors and 50 signed-in
// viewers, and gets the same load: feed(first: 20) with authors from 50 autocannon connections, each
// request carrying the next viewer's token, a 2 s warm-up and then 10 s measured. Also prints the SQL
// statements each feed request sends. PostgreSQL is TEST_DATABASE_URL or the local test database, in a
// schema of its own; skipped with a note when it does not answer.   npm run bench:feed
import { setTimeout as sleep } from 'node:timers/promises';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { checkFeed } from './support/graphql.ts';
import { type LoadResult, measureFeed } from './support/load.ts';
import { postgresSchemaUrl, sqliteUrl, startApp, startCeiling, type Target, tempDir } from './support/targets.ts';

const SEED = { authors: 50, posts: 2000, viewers: 50 };
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 10 };

interface Measured {
  name: string;
  load: LoadResult;
  sqlPerRequest: number;
}

/** Checks one response, loads the server, counts its SQL per request, then stops it to free the CPU. */
async function measure(target: Target): Promise<Measured> {
  const { url } = target.server;
  await checkFeed(url, target.tokens[0]!);
  console.log(`${target.name}: warm-up ${LOAD.warmupSeconds} s, measuring ${LOAD.seconds} s`);
  const load = await measureFeed(url, target.tokens, LOAD);
  // Counted apart from the load, once the requests autocannon left in flight have finished: one
  // request per viewer, one at a time.
  const before = await quietSqlCount(target);
  for (const token of target.tokens) await checkFeed(url, token);
  const sqlPerRequest = ((await target.server.stats()).sqlStatements - before) / target.tokens.length;
  await target.server.stop();
  return { name: target.name, load, sqlPerRequest };
}

/** The server's SQL statement count once it has stopped changing. */
async function quietSqlCount(target: Target): Promise<number> {
  let count = (await target.server.stats()).sqlStatements;
  for (;;) {
    await sleep(250);
    const now = (await target.server.stats()).sqlStatements;
    if (now === count) return count;
    count = now;
  }
}

try {
  console.log(machine());
  console.log(
    `feed(first: 20) with authors; ${SEED.posts} posts by ${SEED.authors} authors; ${SEED.viewers} viewers in rotation; ` +
      `${LOAD.connections} connections; ${LOAD.warmupSeconds} s warm-up, ${LOAD.seconds} s measured\n`,
  );
  const results: Measured[] = [];
  const notes: string[] = [];

  results.push(await measure(await startCeiling(SEED)));

  const sqliteDir = await tempDir('bench-feed-sqlite-');
  results.push(
    await measure(await startApp('app on SQLite', { dir: sqliteDir, databaseUrl: sqliteUrl(sqliteDir), seed: SEED })),
  );

  const postgres = await postgresSchemaUrl();
  if ('url' in postgres) {
    const dir = await tempDir('bench-feed-pg-');
    results.push(await measure(await startApp('app on PostgreSQL', { dir, databaseUrl: postgres.url, seed: SEED })));
  } else {
    notes.push(`PostgreSQL skipped, unreachable at ${postgres.unreachable}`);
  }

  const ceiling = results[0]!.load;
  console.log(`\n${machine()}`);
  console.log(
    table(
      [
        'target',
        'requests',
        'errors/non-2xx',
        'req/s',
        'p50 ms',
        'p99 ms',
        'req/s vs ceiling',
        'p99 vs ceiling',
        'SQL/request',
      ],
      results.map(({ name, load, sqlPerRequest }) => [
        name,
        String(load.requests),
        `${load.errors}/${load.non2xx}`,
        fixed(load.reqPerSec, 0),
        fixed(load.p50),
        fixed(load.p99),
        `${fixed(load.reqPerSec / ceiling.reqPerSec, 2)}x`,
        `${fixed(load.p99 / ceiling.p99, 2)}x`,
        fixed(sqlPerRequest, 2),
      ]),
    ),
  );
  console.log(
    '\nevery response checked: 2xx and no GraphQL errors (any would have failed the run); req/s is the mean of per-second samples',
  );
  for (const note of notes) console.log(note);
} finally {
  await runCleanups();
}
