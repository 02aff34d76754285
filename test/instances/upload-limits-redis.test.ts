// One account cannot fill the disk: uploads per hour (counted before the file is read, so parallel
// uploads cannot slip past) and bytes per day (each upload reserves its size before it is read), per
// user, in memory or shared through Redis.
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signUp } from '../support/accounts.ts';
import { errorCode, FIXTURES, startTestServer, TEST_REDIS_URL, type TestServer } from '../support/server.ts';
import { uploadPost } from '../support/upload.ts';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function start(env: Record<string, string>, options?: Parameters<typeof startTestServer>[1]) {
  const server = await startTestServer(env, options);
  servers.push(server);
  return server;
}

const PHOTO_BYTES = (await stat(path.join(FIXTURES, 'photo.jpg'))).size;

describe('limits shared through Redis', () => {
  it('hold across two instances', async () => {
    const env = {
      UPLOAD_MAX_PER_HOUR: '3',
      // One stored photo (re-encoded: a few bytes under the original) and a byte: the second upload starts
      // under the quota and ends past it.
      UPLOAD_MAX_BYTES_PER_DAY: String(PHOTO_BYTES + 1),
      REDIS_URL: TEST_REDIS_URL,
    };
    const redisKeyPrefix = `test:upload-limits:${randomUUID()}:`;
    const a = await start(env, { instances: true, redisKeyPrefix });
    const b = await start(env, { dir: a.dir, instances: true, redisKeyPrefix });
    const alice = await signUp(a);
    expect(errorCode(await uploadPost(a.url, { token: alice.token }))).toBeUndefined();
    expect(errorCode(await uploadPost(b.url, { token: alice.token }))).toBeUndefined();
    // Two files stored, on either instance: the day's bytes are used up on both.
    expect(errorCode(await uploadPost(a.url, { token: alice.token }))).toBe('RATE_LIMITED');
    expect(errorCode(await uploadPost(b.url, { token: alice.token }))).toBe('RATE_LIMITED');
  });
});
