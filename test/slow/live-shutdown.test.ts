// SIGTERM with live streams open, for real (src/server.ts as `npm start` runs it): every stream ends
// cleanly with `complete`, so clients reconnect elsewhere, and the process exits 0 well before the
// 10 s it would force.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOGIN, REGISTER } from '../support/accounts.ts';
import { newTestDatabaseUrl } from '../support/database.ts';
import { FEED_EVENTS } from '../support/live.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';
import { newTempDir, TEST_JWT_SECRET } from '../support/server.ts';
import { openSse } from '../support/sse.ts';

const running: ServerProcess[] = [];
afterAll(() => {
  for (const server of running) server.child.kill('SIGKILL');
});

async function gql(url: string, query: string, variables: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

describe('SIGTERM with live streams open', () => {
  it('ends every stream with complete and exits 0 at once', async () => {
    const dir = await newTempDir();
    const server = await startServerProcess({
      NODE_ENV: 'test',
      DATABASE_URL: newTestDatabaseUrl(dir),
      DATA_DIR: dir,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
    });
    running.push(server);
    const input = { email: 'live@example.com', username: 'live', password: 'long enough password' };
    await gql(server.url, REGISTER, { input });
    const { token } = (await gql(server.url, LOGIN, { email: input.email, password: input.password })).data.login;
    const streams = [
      await openSse(server.url, FEED_EVENTS, {}, { token }),
      await openSse(server.url, FEED_EVENTS, {}, { token, path: '/graphql/stream' }),
      await openSse(server.url, FEED_EVENTS, { following: true }, { token, method: 'GET' }),
    ];
    // Open for real: a keep-alive came on each.
    for (const s of streams) await expect.poll(() => s.comments.length).toBeGreaterThan(0);
    const started = performance.now();
    server.child.kill('SIGTERM');
    for (const s of streams) expect(await s.ended).toMatchObject({ complete: true });
    expect(await server.exited).toBe(0);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
