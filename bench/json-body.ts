// What a request body costs the server in CPU before anyone has signed in. The real server
// (src/server.ts, production, SQLite) is sent, one after another on one connection, a small query, a
// 1 MB JSON body (the same query with a 1 MB variable it does not use) and a 1 MB body that is not
// JSON; the server's own process CPU time (process.cpuUsage in the child) is read before and after
// each batch. Goal: a 1 MB JSON body costs at most 20 ms of server CPU.   npm run bench:json-body
import path from 'node:path';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import { startServer } from './support/server.ts';
import { sqliteUrl, tempDir } from './support/targets.ts';

const REQUESTS = 30;
const WARM_UP = 5;
const GOAL_MS = 20;
const PAD = 'x'.repeat(1_000_000);

const BODIES: { name: string; body: string; status: number }[] = [
  { name: 'small query', body: JSON.stringify({ query: '{ __typename }' }), status: 200 },
  { name: '1 MB JSON', body: JSON.stringify({ query: '{ __typename }', variables: { pad: PAD } }), status: 200 },
  // The 400 yoga gives JSON that does not parse.
  { name: '1 MB not JSON', body: `{"query":"{ __typename }","variables":{"pad":"${PAD}"`, status: 400 },
];

async function send(url: string, body: string, status: number): Promise<void> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.arrayBuffer();
  if (res.status !== status) throw new Error(`expected HTTP ${status}, got ${res.status}`);
}

try {
  console.log(machine());
  const dir = await tempDir('bench-json-body-');
  const server = await startServer('src/server.ts', {
    NODE_ENV: 'production',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256-0123',
    DATABASE_URL: sqliteUrl(dir),
    DATA_DIR: dir,
    UPLOAD_DIR: path.join(dir, 'uploads'),
    LOG_LEVEL: 'error',
  });
  const rows: string[][] = [];
  const perRequest: Record<string, number> = {};
  for (const { name, body, status } of BODIES) {
    for (let i = 0; i < WARM_UP; i += 1) await send(server.url, body, status);
    const before = (await server.stats()).cpuMs;
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i += 1) await send(server.url, body, status);
    const wallMs = (performance.now() - started) / REQUESTS;
    const cpuMs = ((await server.stats()).cpuMs - before) / REQUESTS;
    perRequest[name] = cpuMs;
    rows.push([name, String(Buffer.byteLength(body)), String(status), fixed(cpuMs, 2), fixed(wallMs, 2)]);
  }
  console.log(`\n${REQUESTS} requests each after ${WARM_UP} to warm up, one at a time on one connection\n`);
  console.log(table(['body', 'bytes', 'HTTP', 'server CPU ms/request', 'wall ms/request'], rows));
  const small = perRequest['small query']!;
  for (const name of ['1 MB JSON', '1 MB not JSON']) {
    const extra = perRequest[name]! - small;
    console.log(
      `${name}: ${fixed(perRequest[name]!, 2)} ms of server CPU, ${fixed(extra, 2)} ms more than a small query (goal: at most ${GOAL_MS} ms)`,
    );
  }
} finally {
  await runCleanups();
}
