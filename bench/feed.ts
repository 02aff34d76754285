// Feed throughput and p99 latency of the real server, on SQLite and on PostgreSQL, against a ceiling:
// the same response from an in-memory yoga + Pothos server (bench/support/ceiling-server.ts). Each
// server runs alone in a child process, seeded with 2,000 posts by 50 authors and 50 signed-in
// viewers (each following 10 authors and liking 50 posts), and gets the same load in two shapes:
// - plain: feed(first: 20) with authors;
// - social (issue 17): the same page with likeCount, commentCount, viewerHasLiked and the authors'
//   avatarUrl, followerCount and viewerFollows; on the app, once alone and once while other users like
//   and unlike 5 posts a second and upload 1 photo a second through the API (the ceiling has no writes
//   to serve, so both app rows are held against its social row).
// Each from 50 autocannon connections, each request carrying the next viewer's token, a 2 s warm-up
// and then 10 s measured. Also prints the SQL statements each feed request sends (counted with the
// writers stopped). Goal for the social shape: >= 0.5x the ceiling's req/s. PostgreSQL is
// TEST_DATABASE_URL or the local test database, in a schema of its own; skipped with a note when it
// does not answer.   npm run bench:feed
import { setTimeout as sleep } from 'node:timers/promises';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import {
  accounts,
  checkFeed,
  FEED_QUERY,
  gql,
  inParallel,
  login,
  register,
  SOCIAL_FEED_QUERY,
  setLike,
  uploadPhoto,
} from './support/graphql.ts';
import { type LoadResult, measureFeed } from './support/load.ts';
import { postgresSchemaUrl, sqliteUrl, startApp, startCeiling, type Target, tempDir } from './support/targets.ts';

const SEED = { authors: 50, posts: 2000, viewers: 50 };
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 10 };

const SHAPES = { plain: FEED_QUERY, social: SOCIAL_FEED_QUERY } as const;
type Shape = keyof typeof SHAPES;
const WRITES = { likesPerSecond: 5, uploadsPerSecond: 1, likers: 5 };
const SOCIAL_GOAL = 0.5;

interface Measured {
  name: string;
  shape: Shape;
  load: LoadResult;
  sqlPerRequest: number;
  /** Writes done during the warm-up and the measured run, and how many failed. */
  writes: { likes: number; uploads: number; failed: number } | null;
}

/**
 * Other users' likes (WRITES.likesPerSecond, toggling likes on the newest posts) and uploads
 * (WRITES.uploadsPerSecond) through the API, until stopped.
 */
async function startWriters(url: string) {
  const likers = accounts('liker_', WRITES.likers);
  const uploader = accounts('uploader_', 1)[0]!;
  await inParallel([...likers, uploader], 2, (account) => register(url, account));
  const likerTokens = await inParallel(likers, 2, (account) => login(url, account));
  const uploaderToken = await login(url, uploader);
  const { feed } = await gql<{ feed: { edges: { node: { id: string } }[] } }>(
    url,
    'query { feed(first: 100) { edges { node { id } } } }',
    {},
    likerTokens[0],
  );
  const postIds = feed.edges.map((edge) => edge.node.id);
  const liked = new Set<string>();
  const done = { likes: 0, uploads: 0, failed: 0 };
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>, kind: 'likes' | 'uploads') => {
    const tracked = work.then(
      () => {
        done[kind] += 1;
      },
      (error: Error) => {
        done.failed += 1;
        if (done.failed === 1) console.log(`  a write failed: ${error.message.slice(0, 300)}`);
      },
    );
    pending.add(tracked);
    void tracked.finally(() => pending.delete(tracked));
  };
  let tick = 0;
  const timer = setInterval(() => {
    const token = likerTokens[tick % likerTokens.length]!;
    const postId = postIds[Math.floor(Math.random() * postIds.length)]!;
    const key = `${token}|${postId}`;
    const like = !liked.has(key);
    if (like) liked.add(key);
    else liked.delete(key);
    track(setLike(url, token, postId, like), 'likes');
    if (tick % Math.round(WRITES.likesPerSecond / WRITES.uploadsPerSecond) === 0)
      track(
        uploadPhoto(url, uploaderToken).then(() => {}),
        'uploads',
      );
    tick += 1;
  }, 1000 / WRITES.likesPerSecond);
  return async () => {
    clearInterval(timer);
    await Promise.all(pending);
    return done;
  };
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

  results.push(...(await measureShapes(await startCeiling(SEED), false)));

  const sqliteDir = await tempDir('bench-feed-sqlite-');
  const sqlite = await startApp('app on SQLite', {
    dir: sqliteDir,
    databaseUrl: sqliteUrl(sqliteDir),
    seed: SEED,
    env: WRITER_LIMITS,
  });
  results.push(...(await measureShapes(sqlite, true)));

  const postgres = await postgresSchemaUrl();
  if ('url' in postgres) {
    const dir = await tempDir('bench-feed-pg-');
    const app = await startApp('app on PostgreSQL', { dir, databaseUrl: postgres.url, seed: SEED, env: WRITER_LIMITS });
    results.push(...(await measureShapes(app, true)));
  } else {
    notes.push(`PostgreSQL skipped, unreachable at ${postgres.unreachable}`);
  }

  const ceilingOf = (shape: Shape) =>
    results.find((r) => r.shape === shape && r.writes === null && r.name.startsWith('ceiling'))!.load;
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
      results.map(({ name, shape, load, sqlPerRequest, writes }) => [
        name,
        writes ? `${shape} + writes` : shape,
        String(load.requests),
        `${load.errors}/${load.non2xx}`,
        fixed(load.reqPerSec, 0),
        fixed(load.p50),
        fixed(load.p99),
        `${fixed(load.reqPerSec / ceilingOf(shape).reqPerSec, 2)}x`,
        `${fixed(load.p99 / ceilingOf(shape).p99, 2)}x`,
        fixed(sqlPerRequest, 2),
        writes ? `${writes.likes}/${writes.uploads}/${writes.failed}` : '-',
      ]),
    ),
  );
  const social = results.filter((r) => r.shape === 'social' && r.writes !== null);
  for (const { name, load, writes } of social) {
    const ratio = load.reqPerSec / ceilingOf('social').reqPerSec;
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
