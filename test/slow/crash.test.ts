// kill -9 in the middle of an upload, for real: the temp file it leaves is swept once it is stale,
// and nothing of the upload is ever served or kept.
import { readdir, utimes } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { LOGIN, REGISTER } from '../support/accounts.ts';
import { newTestDatabaseUrl } from '../support/database.ts';
import { socketRequest } from '../support/http.ts';
import { eventually } from '../support/imagekit.ts';
import { type ServerProcess, startServerProcess } from '../support/process.ts';
import { filesUnder, newTempDir, TEST_JWT_SECRET } from '../support/server.ts';
import { streamingUpload } from '../support/upload.ts';

const running: ServerProcess[] = [];
afterAll(() => {
  for (const server of running) server.child.kill('SIGKILL');
});

async function gql(url: string, query: string, variables: Record<string, unknown>, token?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}

describe('a server killed mid-upload', () => {
  it('leaves a temp file that the next start sweeps once stale, and no post or stored file', async () => {
    const dir = await newTempDir();
    const tmp = path.join(dir, 'tmp');
    await import('node:fs/promises').then((fs) => fs.mkdir(tmp));
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: newTestDatabaseUrl(dir),
      DATA_DIR: dir,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      JWT_SECRET: TEST_JWT_SECRET,
      BCRYPT_COST: '4',
      TMPDIR: tmp,
      SWEEP_TMPDIR: 'true',
    };
    const first = await startServerProcess(env);
    running.push(first);
    const input = { email: 'crash@example.com', username: 'crash', password: 'long enough password' };
    await gql(first.url, REGISTER, { input });
    const { token } = (await gql(first.url, LOGIN, { email: input.email, password: input.password })).data.login;

    const form = streamingUpload({ fileBytes: 200 * 1024 * 1024 });
    const upload = socketRequest(first.url, {
      headers: {
        'content-type': form.contentType,
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${token}`,
      },
      body: form.body(),
      timeoutMs: 60_000,
    }).catch((error: Error) => error);
    const capacitors = async () => (await readdir(tmp)).filter((name) => name.startsWith('capacitor-'));
    await eventually(async () => expect(await capacitors()).toHaveLength(1), 20_000);
    await sleep(200);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(await upload).toBeInstanceOf(Error);

    // What the kill left: the temp file, part-written. Nothing stored.
    const [leftover] = await capacitors();
    expect(await filesUnder(env.UPLOAD_DIR)).toEqual([]);
    // Fresh, it might be another live process's: a restart leaves it alone...
    const second = await startServerProcess(env);
    running.push(second);
    await sleep(500);
    expect(await capacitors()).toEqual([leftover]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // ...and once nothing has written it for an hour, the next start sweeps it.
    const old = new Date(Date.now() - 2 * 3600_000);
    await utimes(path.join(tmp, leftover!), old, old);
    const third = await startServerProcess(env);
    running.push(third);
    await eventually(async () => expect(await capacitors()).toEqual([]), 10_000);
    const feed = await gql(third.url, '{ feed { edges { node { id } } } }', {}, token);
    expect(feed.data.feed.edges).toEqual([]);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
  }, 120_000);
});
