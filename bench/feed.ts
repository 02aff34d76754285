// Feed read throughput over HTTP against a SQLite file: 2,000 posts by 50 authors, pages of 20 and 50
// with authors, sequential and 16 at a time. Prints latency percentiles, requests/s and SQL statements
// per request.   npm run bench:feed
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-feed-'));
const config = loadConfig({
  NODE_ENV: 'production',
  DATABASE_URL: `file:${path.join(dir, 'bench.db')}`,
  UPLOAD_DIR: path.join(dir, 'uploads'),
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0000',
  BCRYPT_COST: '4',
  LOG_LEVEL: 'error',
});
await migrate({ url: config.databaseUrl });
let statements = 0;
const app = createApp({ config, logger: createLogger('error'), onQuery: () => (statements += 1) });
const server = createServer(app.listener);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

const db = app.services.db;
const authors = await Promise.all(
  Array.from({ length: 50 }, (_, i) => db.user.create({ data: { email: `a${i}@example.com`, username: `author_${i}`, hashedPassword: 'x' } })),
);
const now = Date.now();
await db.post.createMany({
  data: Array.from({ length: 2000 }, (_, i) => ({
    id: randomUUID(),
    authorId: authors[i % authors.length].id,
    caption: `post ${i}`,
    fileType: 'IMAGE' as const,
    fileName: 'p.jpg',
    mimeType: 'image/jpeg',
    size: 1000,
    storage: 'local',
    storageKey: `${authors[0].id}/${randomUUID()}.jpg`,
    createdAt: new Date(now - Math.floor(i / 3) * 1000),
  })),
});
const { token } = await app.services.auth.issueToken(authors[0]);

const query = `query($first: Int, $after: String) { feed(first: $first, after: $after) {
  edges { cursor node { id caption url fileType createdAt isOwner author { id username } } } pageInfo { hasNextPage endCursor } } }`;
async function feedRequest(first: number) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables: { first } }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
}

async function measure(label: string, first: number, total: number, concurrency: number) {
  for (let i = 0; i < 20; i += 1) await feedRequest(first);
  const latencies: number[] = [];
  statements = 0;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t = performance.now();
        await feedRequest(first);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(2);
  console.log(
    `${label.padEnd(28)} ${String(total).padStart(5)} req  p50 ${pct(0.5).padStart(6)} ms  p95 ${pct(0.95).padStart(6)} ms  ` +
      `${(total / elapsed).toFixed(0).padStart(5)} req/s  ${(statements / total).toFixed(2)} SQL/req`,
  );
}

console.log(`node ${process.version}, ${os.cpus().length} cores; SQLite file, 2,000 posts by 50 authors`);
await measure('feed(first: 20), 1 at a time', 20, 500, 1);
await measure('feed(first: 50), 1 at a time', 50, 500, 1);
await measure('feed(first: 20), 16 at a time', 20, 1000, 16);

server.close();
await app.close();
await rm(dir, { recursive: true, force: true });
