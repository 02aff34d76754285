// Whether deep pages stay fast as the posts table grows: the real server (src/server.ts), on SQLite and
// on PostgreSQL, with 1,000 and then 1,000,000 posts by 1,000 authors, one of whom (author_0) has one
// post in ten: 100 of the thousand, 100,000 of the million. Each data set is a fresh database: the
// server migrates it and registers and signs in 50 viewers through the API, posts one photo (its row
// shows how the app stores createdAt) and deletes it; then, with the server stopped, the authors and
// posts go straight into the tables with bulk SQL written the way the app writes its rows
// (bench/support/tables.ts), and the server starts again on them, so no cache of it saw the table before.
//
// Two workloads, each from 50 autocannon connections with the next viewer's token on every request,
// a 2 s warm-up, then 10 s measured, every request unanswered after 10 s counted as a timeout:
// - feed(first: 20, after) with authors, at random cursors over the whole history: up to 2,000 of
//   them, taken in turn. With more of them than the app's page cache holds (200), each cached page is
//   evicted before its cursor comes round again, so every page is read from the database at both sizes;
//   SQL/answer in the report shows it;
// - User.posts(first: 20, after) of author_0 through node(id:), at random cursors of that author.
// Every answer must be 200 with 20 edges and no GraphQL error; anything else is counted and reported
// (and fails the goal), not measured as a fast answer. Before the load, pages at a few cursors are
// checked against the order the database itself gives, and the statements of one deep page of each
// workload are EXPLAINed (SQLite: EXPLAIN QUERY PLAN and the statement's time alone; PostgreSQL:
// EXPLAIN (ANALYZE, BUFFERS)) with the values the server sent. Between the warm-up and the measured run,
// and after it, the bench waits for the server to finish what is still in flight (no statement pending
// and the statement count still; at most 3 minutes), and reports how long that took.
//
// The goal the issue sets: at a million posts, at least 0.8x the req/s at a thousand, and a p99 of at
// most 1.5x, for both workloads on both databases, in one run; PASS or FAIL per row.
// PostgreSQL is TEST_DATABASE_URL or the local test database, in a schema of its own; skipped with a
// note when it does not answer.   npm run bench:feed-scale   (FEED_SCALE_POSTS=1000,100000 for other sizes)
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { runCleanups } from './support/cleanup.ts';
import { othersCpu } from './support/cpu.ts';
import { fixed, machine, table } from './support/format.ts';
import { accounts, deletePost, gql, inParallel, login, rawId, register, uploadPhoto } from './support/graphql.ts';
import { failures, type LoadResult, measureFeed } from './support/load.ts';
import type { ChildServer } from './support/server.ts';
import { settle } from './support/settle.ts';
import {
  cursorOf,
  openPostgresTables,
  openSqliteTables,
  type Position,
  type PostPlan,
  type Tables,
} from './support/tables.ts';
import { postgresSchemaUrl, startAppServer, tempDir } from './support/targets.ts';

const SIZES = (process.env.FEED_SCALE_POSTS ?? '1000,1000000').split(',').map(Number);
const AUTHORS = 1000;
const VIEWERS = 50;
/** author_0 writes one post in this many. */
const PROLIFIC_EVERY = 10;
const CURSORS = 2000;
const PAGE = 20;
const LOAD = { connections: 50, warmupSeconds: 2, seconds: 10, timeoutSeconds: 10 };
const SETTLE_LIMIT_MS = 180_000;
const GOAL = { reqPerSec: 0.8, p99: 1.5 };
const BCRYPT_COST = 4;
const PASSWORD = 'correct horse battery staple';

const FEED_PAGE = `query($after: String) { feed(first: ${PAGE}, after: $after) {
  edges { node { id caption author { id username } } } pageInfo { hasNextPage endCursor } } }`;
const USER_POSTS_PAGE = `query($user: ID!, $after: String) { node(id: $user) { ... on User {
  posts(first: ${PAGE}, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } } } }`;

interface Page {
  edges: { node: { id: string; author?: { id: string; username: string } } }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

interface Workload {
  name: 'feed' | 'User.posts';
  query: string;
  variables: (cursor: string) => object;
  pageOf: (data: any) => Page | undefined;
  /** Whose posts; all of them when undefined. */
  authorId?: string;
}

interface Measured {
  load: LoadResult;
  sqlPerRequest: number;
  /** Seconds the server took to finish what the measured run left in flight. */
  settleSeconds: number;
  settled: boolean;
  /** Cores' worth of CPU that other processes on the machine used during the measured run (null: unknown). */
  othersCpu: number | null;
}

interface Database {
  name: 'SQLite' | 'PostgreSQL';
  /** A fresh, empty database for one data set. */
  fresh(): Promise<{
    dir: string;
    databaseUrl: string;
    open(sample: { postId: string; createdAt: string }): Promise<Tables>;
    drop(): Promise<void>;
  }>;
}

const notes: string[] = [];
const seconds = (since: number) => (performance.now() - since) / 1000;
const count = (n: number) => n.toLocaleString('en-US');
const label = (size: number) => (size >= 1e6 ? `${size / 1e6}M` : size >= 1e3 ? `${size / 1e3}k` : String(size));

/** Asks for the page after `position`, and fails unless it is the page the database itself orders there. */
async function checkPage(
  server: ChildServer,
  token: string,
  workload: Workload,
  tables: Tables,
  position: Position,
): Promise<Page> {
  const data = await gql(server.url, workload.query, workload.variables(cursorOf(position)), token);
  const page = workload.pageOf(data);
  const expected = await tables.pageAfter(position, PAGE, workload.authorId);
  const got = page?.edges.map((edge) => rawId(edge.node.id)) ?? [];
  const want = expected.map((row) => row.id);
  if (
    got.join() !== want.join() ||
    want.length !== PAGE ||
    !page?.pageInfo.hasNextPage ||
    page.pageInfo.endCursor !== cursorOf(expected.at(-1)!)
  ) {
    throw new Error(
      `${workload.name} after ${JSON.stringify(position)}: the app answered ${JSON.stringify(page?.pageInfo)} ` +
        `with ids ${got.join(' ')}, the database orders ${want.join(' ')} there`,
    );
  }
  return page;
}

/** Requests `cursor`'s page alone and EXPLAINs every statement about posts the server sent for it. */
async function explainPage(server: ChildServer, token: string, workload: Workload, tables: Tables, position: Position) {
  const statements = await server.recordStatements(() =>
    gql(server.url, workload.query, workload.variables(cursorOf(position)), token),
  );
  // Prisma quotes names with backticks on SQLite, and double quotes on PostgreSQL and in raw SQL.
  const relevant = statements.filter(({ sql }) => /^\s*SELECT\b/i.test(sql) && /[`"]Post[`"]/.test(sql));
  console.log(
    `\n  ${workload.name} at a deep cursor (${count(statements.length)} statements sent, posts ones explained):`,
  );
  if (relevant.length === 0) console.log('    (no statement read posts: the page came from a cache)');
  for (const statement of relevant) {
    console.log(`    ${statement.sql.replace(/\s+/g, ' ').trim()}`);
    console.log(`    values: ${JSON.stringify(statement.values)}`);
    for (const line of await tables.explain(statement)) console.log(`    ${line}`);
  }
}

async function measure(
  database: Database,
  server: ChildServer,
  tokens: string[],
  workload: Workload,
  positions: Position[],
): Promise<Measured> {
  const bodies = positions.map((position) =>
    JSON.stringify({ query: workload.query, variables: workload.variables(cursorOf(position)) }),
  );
  let next = 0;
  const backlog: string[] = [];
  const settleNoting = async (when: string) => {
    const result = await settle(server, SETTLE_LIMIT_MS);
    if (result.settled) backlog.push(`${when} ${fixed(result.seconds)} s`);
    else backlog.push(`${when}: still busy after ${fixed(result.seconds)} s`);
    return result;
  };
  let before = 0;
  let meter: Awaited<ReturnType<typeof othersCpu>> | undefined;
  const load = await measureFeed(server.url, tokens, {
    ...LOAD,
    countFailures: true,
    body: () => bodies[next++ % bodies.length]!,
    verifyBody: (answer) => {
      try {
        const body = JSON.parse(answer);
        return body.errors === undefined && workload.pageOf(body.data)?.edges.length === PAGE;
      } catch {
        return false;
      }
    },
    settle: async () => {
      await settleNoting('warm-up backlog');
      before = (await server.stats()).sqlStatements;
      meter = await othersCpu([process.pid, server.pid], database.name === 'PostgreSQL');
    },
  });
  const others = (await meter?.stop()) ?? null;
  const after = await settleNoting('measured backlog');
  const sqlPerRequest = ((await server.stats()).sqlStatements - before) / Math.max(1, load.requests);
  console.log(
    `    ${workload.name}: ${count(load.requests)} answers, ${fixed(load.reqPerSec)} req/s, p50 ${load.p50} ms, ` +
      `p99 ${load.p99} ms, ${load.timeouts} timeouts, ${load.errors - load.timeouts} other errors, ` +
      `${load.non2xx} non-2xx, ${load.wrongAnswers} wrong answers; other processes' CPU ${others === null ? 'unknown' : `${fixed(others, 2)} cores`}; ` +
      `server finished in-flight work: ${backlog.join(', ')}`,
  );
  return { load, sqlPerRequest, settleSeconds: after.seconds, settled: after.settled, othersCpu: others };
}

interface SizeResult {
  size: number;
  seeding: string;
  results: Map<Workload['name'], Measured>;
}

async function runSize(database: Database, size: number, explain: boolean): Promise<SizeResult> {
  console.log(`\n${database.name}, ${count(size)} posts`);
  const fresh = await database.fresh();
  const started = performance.now();
  let server = await startAppServer({ dir: fresh.dir, databaseUrl: fresh.databaseUrl, bcryptCost: BCRYPT_COST });

  // Viewers through the API, as seed.ts makes them; two at a time (registration hashes a password, and
  // one client may have PASSWORD_CHECKS_IN_FLIGHT_PER_IP, 2, of those running).
  const viewers = accounts('viewer_', VIEWERS);
  await inParallel(viewers, 2, (account) => register(server.url, account));
  const tokens = await inParallel(viewers, 2, (account) => login(server.url, account));
  const viewersSeconds = seconds(started);

  // One post the app writes itself: how it stores createdAt is what the fill must reproduce.
  const photo = await uploadPhoto(server.url, tokens[0]!);
  const tables = await fresh.open({ postId: rawId(photo.id), createdAt: photo.createdAt });
  try {
    await deletePost(server.url, tokens[0]!, photo.id);
    await server.stop();
    console.log(`  createdAt: ${tables.dateStorage}`);

    let t = performance.now();
    const authors = await tables.insertAuthors({
      count: AUTHORS,
      hashedPassword: bcrypt.hashSync(PASSWORD, BCRYPT_COST),
      createdAt: new Date(),
    });
    const authorsSeconds = seconds(t);
    t = performance.now();
    const plan: PostPlan = {
      posts: size,
      authors,
      prolificEvery: PROLIFIC_EVERY,
      newest: new Date(Date.now() - 60_000),
    };
    await tables.insertPosts(plan);
    const postsSeconds = seconds(t);
    t = performance.now();
    await tables.maintain();
    const maintainSeconds = seconds(t);
    const seeding =
      `server start and ${VIEWERS} viewers through the API ${fixed(viewersSeconds)} s, ${count(AUTHORS)} authors ${fixed(authorsSeconds)} s, ` +
      `${count(size)} posts ${fixed(postsSeconds)} s` +
      (database.name === 'PostgreSQL' ? `, VACUUM (ANALYZE) ${fixed(maintainSeconds)} s` : '');
    console.log(`  seeded: ${seeding}`);

    server = await startAppServer({ dir: fresh.dir, databaseUrl: fresh.databaseUrl, bcryptCost: BCRYPT_COST });

    const feed: Workload = {
      name: 'feed',
      query: FEED_PAGE,
      variables: (after) => ({ after }),
      pageOf: (data) => data?.feed,
    };
    const feedPositions = await tables.samplePositions(CURSORS);
    const [first, ...more] = feedPositions;
    const checked = await checkPage(server, tokens[0]!, feed, tables, first!);
    for (const position of more.slice(0, 2)) await checkPage(server, tokens[1]!, feed, tables, position);
    // author_0's global id, as the API gives it: every tenth post is theirs.
    const prolific = checked.edges.find((edge) => edge.node.author?.username === 'author_0')?.node.author?.id;
    if (!prolific) throw new Error('no post of author_0 on a feed page');

    const userPosts: Workload = {
      name: 'User.posts',
      query: USER_POSTS_PAGE,
      variables: (after) => ({ user: prolific, after }),
      pageOf: (data) => data?.node?.posts,
      authorId: authors[0]!,
    };
    const postsPositions = await tables.samplePositions(CURSORS, authors[0]);
    for (const position of postsPositions.slice(0, 3)) await checkPage(server, tokens[2]!, userPosts, tables, position);
    console.log(
      `  checked: 3 feed pages and 3 of author_0's pages at random cursors are the database's own order; ` +
        `cursors: ${count(feedPositions.length)} feed, ${count(postsPositions.length)} of author_0's`,
    );

    if (explain) {
      console.log('  EXPLAIN of one deep page, with the values the server sent:');
      await explainPage(server, tokens[3]!, feed, tables, feedPositions.at(-1)!);
      await explainPage(server, tokens[3]!, userPosts, tables, postsPositions.at(-1)!);
      console.log('');
    }

    const results = new Map<Workload['name'], Measured>();
    for (const [workload, positions] of [
      [feed, feedPositions],
      [userPosts, postsPositions],
    ] as const) {
      console.log(
        `  ${workload.name}: warm-up ${LOAD.warmupSeconds} s, measuring ${LOAD.seconds} s (timeout ${LOAD.timeoutSeconds} s)`,
      );
      results.set(workload.name, await measure(database, server, tokens, workload, positions));
    }
    return { size, seeding, results };
  } finally {
    await server.stop();
    await tables.close();
    await fresh.drop();
  }
}

/**
 * A percentile over every request that got an answer or timed out. autocannon's own is over the 2xx
 * answers only: with timeouts, it is a lower bound, and once the timeouts are more than the rest of
 * the distribution, the percentile is at least the timeout itself.
 */
function percentile(load: LoadResult, p: 50 | 99): { ms: number; atLeast: boolean } {
  const ms = p === 50 ? load.p50 : load.p99;
  if (load.timeouts === 0) return { ms, atLeast: false };
  const share = load.timeouts / (load.requests + load.timeouts);
  return share > 1 - p / 100 ? { ms: LOAD.timeoutSeconds * 1000, atLeast: true } : { ms, atLeast: true };
}

const shown = ({ ms, atLeast }: { ms: number; atLeast: boolean }) => `${atLeast ? '>=' : ''}${ms}`;

function report(database: Database, sizes: SizeResult[]) {
  const small = sizes[0]!;
  const large = sizes.at(-1)!;
  const [s, l] = [label(small.size), label(large.size)];
  console.log(`\n${database.name}: ${count(small.size)} and ${count(large.size)} posts`);
  const rows = (['feed', 'User.posts'] as const).map((name) => {
    const a = small.results.get(name)!;
    const b = large.results.get(name)!;
    const answered = a.load.requests > 0 && b.load.requests > 0 && a.load.p99 > 0 && b.load.p99 > 0;
    const reqRatio = b.load.reqPerSec / a.load.reqPerSec;
    const [p99a, p99b] = [percentile(a.load, 99), percentile(b.load, 99)];
    const p99Ratio = p99b.ms / p99a.ms;
    const clean = failures(a.load) === 0 && failures(b.load) === 0;
    const pass = answered && clean && reqRatio >= GOAL.reqPerSec && p99Ratio <= GOAL.p99;
    return [
      name,
      fixed(a.load.reqPerSec),
      shown(percentile(a.load, 50)),
      shown(p99a),
      fixed(b.load.reqPerSec),
      shown(percentile(b.load, 50)),
      shown(p99b),
      answered ? `${fixed(reqRatio, 3)}x` : 'n/a',
      // A lower bound over an exact figure is a lower bound; over a lower bound, nothing is known.
      !answered || p99a.atLeast ? 'n/a' : `${p99b.atLeast ? '>=' : ''}${fixed(p99Ratio, 1)}x`,
      `${failures(a.load)}/${failures(b.load)}`,
      pass ? 'PASS' : 'FAIL',
    ];
  });
  console.log(
    table(
      [
        'workload',
        `${s} req/s`,
        `${s} p50 ms`,
        `${s} p99 ms`,
        `${l} req/s`,
        `${l} p50 ms`,
        `${l} p99 ms`,
        `req/s ${l}/${s}`,
        `p99 ${l}/${s}`,
        `failures ${s}/${l}`,
        'goal',
      ],
      rows,
    ),
  );
  console.log('');
  console.log(
    table(
      [
        'posts',
        'workload',
        'answers',
        'timeouts',
        'other errors',
        'non-2xx',
        'wrong answers',
        'SQL/answer',
        'backlog s',
        "others' CPU",
      ],
      sizes.flatMap(({ size, results }) =>
        [...results].map(([name, { load, sqlPerRequest, settleSeconds, settled, othersCpu }]) => [
          count(size),
          name,
          count(load.requests),
          String(load.timeouts),
          String(load.errors - load.timeouts),
          String(load.non2xx),
          String(load.wrongAnswers),
          fixed(sqlPerRequest, 2),
          settled ? fixed(settleSeconds) : `>${fixed(settleSeconds)}`,
          othersCpu === null ? 'unknown' : fixed(othersCpu, 2),
        ]),
      ),
    ),
  );
  for (const { size, seeding } of sizes) console.log(`seeding ${count(size)}: ${seeding}`);
}

const sqlite: Database = {
  name: 'SQLite',
  async fresh() {
    const dir = await tempDir('bench-feed-scale-sqlite-');
    const file = path.join(dir, 'bench.db');
    return {
      dir,
      databaseUrl: `file:${file}`,
      open: async (sample) => openSqliteTables(file, sample),
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

const postgres: Database = {
  name: 'PostgreSQL',
  async fresh() {
    const schema = await postgresSchemaUrl();
    if (!('url' in schema)) throw new Error(`PostgreSQL unreachable at ${schema.unreachable}`);
    const dir = await tempDir('bench-feed-scale-pg-');
    return {
      dir,
      databaseUrl: schema.url,
      open: (sample) => openPostgresTables(schema.url, sample),
      drop: async () => {
        await schema.drop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  },
};

try {
  console.log(machine());
  console.log(
    `posts: ${SIZES.map(count).join(' then ')}, by ${count(AUTHORS)} authors (author_0: 1 post in ${PROLIFIC_EVERY}); ` +
      `${VIEWERS} viewers in rotation; ${LOAD.connections} connections; ${LOAD.warmupSeconds} s warm-up, ` +
      `${LOAD.seconds} s measured, ${LOAD.timeoutSeconds} s request timeout; ${count(CURSORS)} random cursors per workload`,
  );
  const databases: Database[] = [sqlite];
  const reachable = await postgresSchemaUrl();
  if ('url' in reachable) {
    await reachable.drop();
    databases.push(postgres);
  } else {
    notes.push(`PostgreSQL skipped, unreachable at ${reachable.unreachable}`);
  }

  const all: [Database, SizeResult[]][] = [];
  for (const database of databases) {
    const sizes: SizeResult[] = [];
    for (const size of SIZES) sizes.push(await runSize(database, size, size === SIZES.at(-1)));
    all.push([database, sizes]);
  }

  console.log(`\n${machine()}`);
  for (const [database, sizes] of all) report(database, sizes);
  console.log(
    `\ngoal: at ${count(SIZES.at(-1)!)} posts, req/s >= ${GOAL.reqPerSec}x and p99 <= ${GOAL.p99}x those at ` +
      `${count(SIZES[0]!)}, with no failures, for both workloads on both databases in one run.`,
  );
  console.log(
    [
      'req/s: the mean of per-second samples of answers. p50/p99: of the requests answered in the measured 10 s; with',
      `timeouts, a lower bound (>=), and ${LOAD.timeoutSeconds * 1000} ms once the timeouts reach that percentile (requests still`,
      'in flight when the run ended are in neither). failures: timeouts, connection errors, non-2xx, and answers without',
      `${PAGE} edges or with a GraphQL error. SQL/answer: statements the server sent from the start of the measured run until`,
      'it was idle again, per answer (1 for an uncached feed page, 2 for User.posts; more when timed-out requests went on',
      "working). backlog s: how long the server worked on after the measured run ended. others' CPU: cores used meanwhile",
      'by processes other than the bench, its server and (for PostgreSQL) PostgreSQL.',
    ].join('\n'),
  );
  const busiest = Math.max(
    0,
    ...all.flatMap(([, sizes]) => sizes.flatMap(({ results }) => [...results.values()].map((m) => m.othersCpu ?? 0))),
  );
  if (busiest > 0.2) {
    notes.push(
      `other processes used up to ${fixed(busiest, 2)} cores of this machine's ${os.cpus().length} during a measured run: ` +
        'the figures above are not clean; run again on a quiet machine',
    );
  }
  for (const note of notes) console.log(note);
} finally {
  await runCleanups();
}
