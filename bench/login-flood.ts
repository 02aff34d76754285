// One account signed in from 40 connections must not hold up everyone else's sign-ins. The real server
// (src/server.ts) on SQLite with BCRYPT_COST=12 behind a trusted proxy: another user signs in 5 times
// alone, then 5 times while 40 connections from one client sign the first account in as fast as they
// are answered. Prints the other user's sign-in latencies in both phases and their ratio, and what the
// flood was answered.   npm run bench:login-flood
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCleanups } from './support/cleanup.ts';
import { fixed, machine, table } from './support/format.ts';
import type { Account } from './support/graphql.ts';
import { sqliteUrl, startApp, tempDir } from './support/targets.ts';

const BCRYPT_COST = 12;
const FLOOD = { connections: 40, warmupSeconds: 2 };
const SIGN_INS = 5;
const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
// The load balancer's X-Forwarded-For: the flood and the other user are different clients.
const FLOODER = '203.0.113.1';
const OTHER = '203.0.113.2';

/** A login on `agent`; resolves with its latency and its error code ('OK' when it signed in). */
function login(url: string, agent: Agent, account: Account, client: string): Promise<{ ms: number; code: string }> {
  const started = performance.now();
  const body = JSON.stringify({ query: LOGIN, variables: { email: account.email, password: account.password } });
  return new Promise((resolve, reject) => {
    const req = request(`${url}/graphql`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const code = answer.errors
          ? String(answer.errors[0]?.extensions?.code)
          : answer.data?.login?.token
            ? 'OK'
            : '?';
        resolve({ ms: performance.now() - started, code });
      });
    });
    req.end(body);
  });
}

/** The other user's sign-ins, one after another; every one must succeed. */
async function timeSignIns(url: string, account: Account): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  try {
    for (let i = 0; i < SIGN_INS; i += 1) {
      const { ms, code } = await login(url, agent, account, OTHER);
      if (code !== 'OK') throw new Error(`the other user's sign-in was answered ${code}`);
      latencies.push(ms);
    }
  } finally {
    agent.destroy();
  }
  return latencies;
}

/** 40 connections signing `account` in, each sending the next login once the last is answered. */
function startFlood(url: string, account: Account) {
  const agent = new Agent({ keepAlive: true, maxSockets: FLOOD.connections });
  const tally: Record<string, number> = {};
  let running = true;
  const loops = Array.from({ length: FLOOD.connections }, async () => {
    while (running) {
      const { code } = await login(url, agent, account, FLOODER);
      tally[code] = (tally[code] ?? 0) + 1;
    }
  });
  return {
    tally,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

const stats = (values: number[]) => ({
  median: [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!,
  max: Math.max(...values),
});

try {
  console.log(machine());
  const dir = await tempDir('bench-login-flood-');
  console.log(`seeding 3 accounts at cost ${BCRYPT_COST}...`);
  // One account flooded, one timed alone, one timed under the flood: each stays within LOGIN_MAX_PER_MINUTE.
  const target = await startApp('app on SQLite', {
    dir,
    databaseUrl: sqliteUrl(dir),
    bcryptCost: BCRYPT_COST,
    seed: { authors: 0, posts: 0, viewers: 3 },
    env: { TRUST_PROXY: 'true' },
  });
  const [flooded, alone, underFlood] = target.viewers as [Account, Account, Account];
  const { url } = target.server;

  console.log(`phase 1: another user signs in ${SIGN_INS} times, alone`);
  const baseline = await timeSignIns(url, alone);

  console.log(
    `phase 2: ${FLOOD.connections} connections sign one account in; after ${FLOOD.warmupSeconds} s, another user signs in ${SIGN_INS} times`,
  );
  const flood = startFlood(url, flooded);
  let loaded: number[];
  try {
    await sleep(FLOOD.warmupSeconds * 1000);
    loaded = await timeSignIns(url, underFlood);
  } finally {
    await flood.stop();
  }

  const aloneStats = stats(baseline);
  const floodStats = stats(loaded);
  console.log(`\n${machine()}`);
  console.log(
    table(
      ['phase', 'sign-ins', 'median ms', 'max ms'],
      [
        ['alone', String(baseline.length), fixed(aloneStats.median, 0), fixed(aloneStats.max, 0)],
        [
          `under a flood of ${FLOOD.connections} connections`,
          String(loaded.length),
          fixed(floodStats.median, 0),
          fixed(floodStats.max, 0),
        ],
      ],
    ),
  );
  console.log(
    `\nanother user's sign-in under the flood / alone: median ${fixed(floodStats.median / aloneStats.median, 2)}x, max ${fixed(floodStats.max / aloneStats.max, 2)}x`,
  );
  console.log(`longest sign-in under the flood: ${fixed(floodStats.max / 1000, 2)} s (goal: at most 1.5 s)`);
  console.log(
    `the flood was answered: ${Object.entries(flood.tally)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ')}`,
  );
} finally {
  await runCleanups();
}
