// Feed throughput and p99 latency of the real server, on SQLite and on PostgreSQL, against a ceiling:
// the same response from an in-memory yoga + Pothos server (bench/support/ceiling-server.ts). Each
// server runs alone in a child process, seeded with 2,000 posts by 50 authors and 50 signed-in
// viewers (each following 10 authors and liking 50 posts), and gets the same load in two shapes:
// - plain: feed(first: 20) with authors;
// - social (issue 17): the same page with likeCount, commentCount, viewerHasLiked and the authors'
//   avatarUrl, followerCount and viewerFollows; on the app, once alone and once while other users like
//   and unlike 5 posts a second and upload 1 photo a second through the API (the ceiling has no writes
//   to serve, so both app rows are held against its social shape). The ceiling's social shape is
//   measured again after each app (it idles meanwhile), and each app row is held against the mean of the
//   ceiling runs just before and after it: the machine's speed drifts over the minutes a run takes.
// Each from 50 autocannon connections, each request carrying the next viewer's token, a 2 s warm-up
// and then 10 s measured. Also prints the SQL statements each feed request sends (counted with the
// writers stopped). Goal for the social shape: >= 0.5x the ceiling's req/s. PostgreSQL is
// TEST_DATABASE_URL or the local test database, in a schema of its own; skipped with a note when it
// does not answer.   npm run bench:feed
import { setTimeout as sleep } from 'node:timers/promises';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { checkFeed, FEED_QUERY, SOCIAL_FEED_QUERY } from './support/graphql.ts';
import { type LoadResult, measureFeed } from './support/load.ts';
import { postgresSchemaUrl, sqliteUrl, startApp, startCeiling, type Target, tempDir } from './support/targets.ts';
import { startWriters, WRITES } from './support/writers.ts';

const SEED = { authors: 50, posts: 2000, viewers: 50 };
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 10 };

const SHAPES = { plain: FEED_QUERY, social: SOCIAL_FEED_QUERY } as const;
type Shape = keyof typeof SHAPES;
const SOCIAL_GOAL = 0.5;

interface Measured {
  name: string;
  shape: Shape;
  load: LoadResult;
  sqlPerRequest: number;
  /** Writes done during the warm-up and the measured run, and how many failed. */
  writes: { likes: number; uploads: number; failed: number } | null;
}

/** Checks one response, loads the server with the shape, and counts its SQL per request. */
async function measure(target: Target, shape: Shape, withWrites: boolean): Promise<Measured> {
  const { url } = target.server;
  const query = SHAPES[shape];
  await checkFeed(url, target.tokens[0]!, query);
  console.log(`${target.name}, ${shape}: warm-up ${LOAD.warmupSeconds} s, measuring ${LOAD.seconds} s`);
  const stopWriters = withWrites ? await startWriters(url) : null;
  const load = await measureFeed(url, target.tokens, { ...LOAD, body: () => JSON.stringify({ query }) });
  const writes = stopWriters ? await stopWriters() : null;
  // Counted apart from the load, once the requests autocannon left in flight have finished: one
  // request per viewer, one at a time.
  const before = await quietSqlCount(target);
  for (const token of target.tokens) await checkFeed(url, token, query);
  const sqlPerRequest = ((await target.server.stats()).sqlStatements - before) / target.tokens.length;
  return { name: target.name, shape, load, sqlPerRequest, writes };
}

/**
 * Both shapes on one target, and on the app the social shape again under the writers (so the report
 * shows what the writes cost apart from what the shape costs); then stops it to free the CPU.
 */
async function measureShapes(target: Target, app: boolean): Promise<Measured[]> {
  const results = [await measure(target, 'plain', false), await measure(target, 'social', false)];
  if (app) results.push(await measure(target, 'social', true));
  await target.server.stop();
  return results;
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

// The writers' uploads and likes would trip the per-user hourly limits within a run.
const WRITER_LIMITS = { UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: '0', SOCIAL_ACTIONS_MAX_PER_HOUR: '0' };

try {
  console.log(machine());
  console.log(
    `feed(first: 20), plain and social shapes; ${SEED.posts} posts by ${SEED.authors} authors; ${SEED.viewers} viewers in rotation; ` +
      `${LOAD.connections} connections; ${LOAD.warmupSeconds} s warm-up, ${LOAD.seconds} s measured; social shape on the app under ` +
      `${WRITES.likesPerSecond} likes/s and ${WRITES.uploadsPerSecond} upload/s\n`,
  );
  const results: Measured[] = [];
  const notes: string[] = [];

  // The ceiling stays up, idle while the apps run, and is measured again after each app: the machine's
  // speed drifts over minutes, so each app row is held against the ceiling runs just before and after it.
  const ceiling = await startCeiling(SEED);
  results.push(await measure(ceiling, 'plain', false), await measure(ceiling, 'social', false));
  const ceilingAgain = async () => {
    const again = await measure(ceiling, 'social', false);
    results.push({ ...again, name: 'ceiling (in memory), again' });
  };

  const sqliteDir = await tempDir('bench-feed-sqlite-');
  const sqlite = await startApp('app on SQLite', {
    dir: sqliteDir,
    databaseUrl: sqliteUrl(sqliteDir),
    seed: SEED,
    env: WRITER_LIMITS,
  });
  results.push(...(await measureShapes(sqlite, true)));
  await ceilingAgain();

  const postgres = await postgresSchemaUrl();
  if ('url' in postgres) {
    const dir = await tempDir('bench-feed-pg-');
    const app = await startApp('app on PostgreSQL', { dir, databaseUrl: postgres.url, seed: SEED, env: WRITER_LIMITS });
    results.push(...(await measureShapes(app, true)));
    await ceilingAgain();
  } else {
    notes.push(`PostgreSQL skipped, unreachable at ${postgres.unreachable}`);
  }

  await ceiling.server.stop();

  /**
   * What a row is held against: for the social shape, the mean of the ceiling's social runs just before
   * and just after it (one of them for a ceiling row itself); for the plain shape, the ceiling's.
   */
  const ceilingOf = (shape: Shape, index: number): { reqPerSec: number; p99: number } => {
    const isCeiling = (r: Measured) => r.shape === shape && r.name.startsWith('ceiling');
    if (shape === 'plain') return results.find(isCeiling)!.load;
    const before = results.slice(0, index + 1).findLast(isCeiling);
    const after = results.slice(index).find(isCeiling);
    const around = [before, after].filter((r): r is Measured => r !== undefined).map((r) => r.load);
    const mean = (pick: (load: LoadResult) => number) =>
      around.reduce((sum, load) => sum + pick(load), 0) / around.length;
    return { reqPerSec: mean((load) => load.reqPerSec), p99: mean((load) => load.p99) };
  };
  console.log(`\n${machine()}`);
  console.log(
    table(
      [
        'target',
        'shape',
        'requests',
        'errors/non-2xx',
        'req/s',
        'p50 ms',
        'p99 ms',
        'req/s vs ceiling',
        'p99 vs ceiling',
        'SQL/request',
        'writes (likes/uploads/failed)',
      ],
      results.map(({ name, shape, load, sqlPerRequest, writes }, index) => [
        name,
        writes ? `${shape} + writes` : shape,
        String(load.requests),
        `${load.errors}/${load.non2xx}`,
        fixed(load.reqPerSec, 0),
        fixed(load.p50),
        fixed(load.p99),
        `${fixed(load.reqPerSec / ceilingOf(shape, index).reqPerSec, 2)}x`,
        `${fixed(load.p99 / ceilingOf(shape, index).p99, 2)}x`,
        fixed(sqlPerRequest, 2),
        writes ? `${writes.likes}/${writes.uploads}/${writes.failed}` : '-',
      ]),
    ),
  );
  for (const [index, { name, load, writes }] of results.entries()) {
    if (writes === null) continue;
    const ratio = load.reqPerSec / ceilingOf('social', index).reqPerSec;
    console.log(
      `social goal on ${name}: ${fixed(ratio, 2)}x the ceiling's req/s (goal >= ${SOCIAL_GOAL}x), ` +
        `${writes!.failed} failed writes: ${ratio >= SOCIAL_GOAL && writes!.failed === 0 ? 'PASS' : 'FAIL'}`,
    );
  }
  console.log(
    '\nevery response checked: 2xx and no GraphQL errors (any would have failed the run); req/s is the mean of per-second samples',
  );
  for (const note of notes) console.log(note);
} finally {
  await runCleanups();
}
