// Live updates under load, through real HTTP connections (node:http, one connection a stream). Servers
// run in child processes of their own (bench/support/targets.ts), in production mode.
// 1. One instance on SQLite: LIVE_STREAMS (1,000) open feedEvents streams; one post published a second
//    for LIVE_POSTS seconds: delivery latency from the upload's answer to the last stream's PostAdded
//    (p50, p99, max); the server's RSS per open stream; the feed query's p99 under those streams against
//    its p99 with none (autocannon, 10 connections).
// 2. Two instances on PostgreSQL (TEST_DATABASE_URL or the local test database, a schema of its own),
//    LIVE_STREAMS / 2 streams on B, posts on A: cross-instance delivery latency.
// Sizes from the environment for a quick look: LIVE_STREAMS=200 LIVE_POSTS=5 npm run bench:live

import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { uploadPhoto } from './support/graphql.ts';
import { feedLoad } from './support/load.ts';
import type { ChildServer } from './support/server.ts';
import { postgresSchemaUrl, sqliteUrl, startApp, startAppServer, tempDir } from './support/targets.ts';

const STREAMS = Number(process.env.LIVE_STREAMS ?? 1000);
const POSTS = Number(process.env.LIVE_POSTS ?? 20);
const FEED_SECONDS = Number(process.env.LIVE_FEED_SECONDS ?? 5);
const SEED = { authors: 5, posts: 200, viewers: 20 };
// Every stream is a viewer's: 20 viewers, so each has STREAMS / 20 of them.
const SERVER_ENV = { SUBSCRIPTIONS_MAX_PER_USER: String(STREAMS), SUBSCRIPTIONS_MAX_PER_INSTANCE: String(STREAMS * 2) };
const SUBSCRIPTION = JSON.stringify({
  query: 'subscription { feedEvents { __typename ... on PostAdded { post { id caption author { username } } } } }',
});

interface Streams {
  /** When each post id reached each stream (ms, performance.now()), by post id. */
  arrivals: Map<string, number[]>;
  close(): void;
}

/** Opens `count` feedEvents streams, tokens in rotation, and resolves once each has its first keep-alive. */
async function openStreams(url: string, tokens: string[], count: number): Promise<Streams> {
  const arrivals = new Map<string, number[]>();
  const requests: ReturnType<typeof request>[] = [];
  const opened: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    opened.push(
      new Promise((resolve, reject) => {
        const req = request(`${url}/graphql`, {
          method: 'POST',
          agent: false,
          headers: {
            accept: 'text/event-stream',
            'content-type': 'application/json',
            authorization: `Bearer ${tokens[i % tokens.length]}`,
          },
        });
        requests.push(req);
        req.on('error', reject);
        req.on('response', (res) => {
          if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
          res.setEncoding('utf8');
          let buffer = '';
          res.on('data', (chunk: string) => {
            resolve();
            buffer += chunk;
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const id = /"post":\{"id":"([^"]+)"/.exec(block)?.[1];
              if (!id) continue;
              const list = arrivals.get(id) ?? [];
              list.push(performance.now());
              arrivals.set(id, list);
            }
          });
        });
        req.end(SUBSCRIPTION);
      }),
    );
    // A few at a time: the accept queue is not the thing measured.
    if (i % 50 === 49) await Promise.all(opened.slice(-50));
  }
  await Promise.all(opened);
  return {
    arrivals,
    close: () => {
      for (const req of requests) req.destroy();
    },
  };
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

/** One post a second from `writer`; for each, the time from its answer to the last of `count` streams' event. */
async function deliveries(writer: string, token: string, streams: Streams, count: number): Promise<number[]> {
  const latencies: number[] = [];
  for (let i = 0; i < POSTS; i += 1) {
    const started = performance.now();
    const post = await uploadPhoto(writer, token);
    const answered = performance.now();
    const deadline = answered + 10_000;
    for (;;) {
      const got = streams.arrivals.get(post.id) ?? [];
      if (got.length >= count) {
        latencies.push(Math.max(0, Math.max(...got) - answered));
        break;
      }
      if (performance.now() > deadline) throw new Error(`post ${i}: ${got.length} of ${count} streams within 10 s`);
      await sleep(2);
    }
    await sleep(Math.max(0, 1000 - (performance.now() - started)));
  }
  return latencies;
}

async function rssKb(server: ChildServer): Promise<number> {
  const status = await readFile(`/proc/${server.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
}

const feedP99 = async (url: string, tokens: string[]) =>
  (await feedLoad(url, tokens, { connections: 10, seconds: FEED_SECONDS })).p99;

try {
  console.log(machine());
  console.log(`${STREAMS} feedEvents streams, ${POSTS} posts at one a second\n`);
  const rows: string[][] = [];

  // 1. One instance on SQLite.
  const dir = await tempDir('bench-live-sqlite-');
  const one = await startApp('SQLite', { dir, databaseUrl: sqliteUrl(dir), seed: SEED, env: SERVER_ENV });
  const url = one.server.url;
  await feedLoad(url, one.tokens, { connections: 10, seconds: 2 });
  const feedAlone = await feedP99(url, one.tokens);
  await sleep(1000);
  const rssBefore = await rssKb(one.server);
  const streams = await openStreams(url, one.tokens, STREAMS);
  await sleep(2000);
  const rssAfter = await rssKb(one.server);
  const [latencies, feedUnder] = await Promise.all([
    deliveries(url, one.tokens[0]!, streams, STREAMS),
    sleep(1500).then(() => feedP99(url, one.tokens)),
  ]);
  streams.close();
  await one.server.stop();
  rows.push([
    'one instance (SQLite)',
    String(STREAMS),
    fixed(percentile(latencies, 50)),
    fixed(percentile(latencies, 99)),
    fixed((rssAfter - rssBefore) / STREAMS, 1),
    `${fixed(feedAlone)} -> ${fixed(feedUnder)} (${fixed(feedUnder / feedAlone, 2)}x)`,
  ]);

  // 2. Two instances on PostgreSQL.
  const postgres = await postgresSchemaUrl();
  if ('url' in postgres) {
    const dirA = await tempDir('bench-live-pg-a-');
    const a = await startApp('PostgreSQL A', { dir: dirA, databaseUrl: postgres.url, seed: SEED, env: SERVER_ENV });
    const b = await startAppServer({
      dir: await tempDir('bench-live-pg-b-'),
      databaseUrl: postgres.url,
      env: SERVER_ENV,
    });
    const half = Math.floor(STREAMS / 2);
    const onB = await openStreams(b.url, a.tokens, half);
    await sleep(1000);
    const cross = await deliveries(a.server.url, a.tokens[0]!, onB, half);
    onB.close();
    await b.stop();
    await a.server.stop();
    rows.push([
      'A -> B (PostgreSQL)',
      `${half} on B`,
      fixed(percentile(cross, 50)),
      fixed(percentile(cross, 99)),
      '',
      '',
    ]);
  } else {
    console.log(`PostgreSQL skipped, unreachable at ${postgres.unreachable}`);
  }

  console.log(
    table(
      [
        'setup',
        'streams',
        'delivery p50 ms',
        'delivery p99 ms',
        'RSS KB / stream',
        'feed p99 ms: alone -> under streams',
      ],
      rows,
    ),
  );
  console.log('\nDelivery: from the upload answering to the last stream receiving its PostAdded.');
} finally {
  await runCleanups();
}
