import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { codeOf, firstError, rawRequest } from './support/http.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { multipartBody, uploadPost } from './support/upload.ts';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function start(env: Record<string, string>, options?: Parameters<typeof startTestServer>[1]) {
  const server = await startTestServer(env, options);
  servers.push(server);
  return server;
}

const PHOTO_BYTES = (await stat(path.join(FIXTURES, 'photo.jpg'))).size;

describe('uploads per hour', () => {
  it('lets exactly UPLOAD_MAX_PER_HOUR of a user’s parallel uploads through, and nobody else’s are counted', async () => {
    const server = await start({ UPLOAD_MAX_PER_HOUR: '3', UPLOAD_MAX_BYTES_PER_DAY: '0' });
    const alice = await signUp(server);
    const bob = await signUp(server);
    const answers = await Promise.all(Array.from({ length: 8 }, () => uploadPost(server.url, { token: alice.token })));
    const codes = answers.map((answer) => errorCode(answer) ?? 'OK');
    expect(codes.filter((code) => code === 'OK')).toHaveLength(3);
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
    const refused = answers.find((answer) => errorCode(answer) === 'RATE_LIMITED')!;
    expect(refused.body.errors![0]).toMatchObject({
      message: expect.stringMatching(/At most 3 uploads an hour/),
      extensions: { retryAfterSeconds: expect.any(Number) },
    });
    expect(errorCode(await uploadPost(server.url, { token: bob.token }))).toBeUndefined();
    // Nothing of the refused uploads is kept.
    expect(await server.db.post.count()).toBe(4);
    expect(await filesUnder(server.config.uploadDir)).toHaveLength(4);
  });
});

describe('bytes per day', () => {
  it('refuses uploads once a user has stored UPLOAD_MAX_BYTES_PER_DAY', async () => {
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: String(2 * PHOTO_BYTES) });
    const alice = await signUp(server);
    expect(errorCode(await uploadPost(server.url, { token: alice.token }))).toBeUndefined();
    expect(errorCode(await uploadPost(server.url, { token: alice.token }))).toBeUndefined();
    const third = await uploadPost(server.url, { token: alice.token });
    expect(third.body.errors![0]).toMatchObject({
      message: expect.stringMatching(/upload quota of \d+ bytes is used up/),
      extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
    });
    expect(await filesUnder(server.config.uploadDir)).toHaveLength(2);
  });
});

describe('bytes per day, for uploads sent together', () => {
  /** An uploadPost of the fixture on a connection of its own, so uploads sent together really race. */
  async function rawUpload(server: TestServer, token: string, fixture: string) {
    const form = new Response(await multipartBody({ fixture }));
    return rawRequest(server.url, {
      headers: {
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${token}`,
        'content-type': form.headers.get('content-type')!,
      },
      body: Buffer.from(await form.arrayBuffer()),
    });
  }

  it('store at most the quota plus one file: each upload reserves its size before it is read', async () => {
    const clipBytes = (await stat(path.join(FIXTURES, 'clip.mp4'))).size;
    const quota = 5000;
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: String(quota) });
    const alice = await signUp(server);
    const answers = await Promise.all(Array.from({ length: 8 }, () => rawUpload(server, alice.token, 'clip.mp4')));
    const refused = answers.filter((answer) => codeOf(answer) === 'RATE_LIMITED');
    expect(refused.length).toBeGreaterThan(0);
    expect(firstError(refused[0]!)?.message).toMatch(/upload quota of 5000 bytes is used up/);
    expect(answers.filter((answer) => codeOf(answer) === undefined).length).toBe(8 - refused.length);
    const stored = await server.db.post.aggregate({ _sum: { size: true }, _count: true });
    expect(stored._count).toBe(8 - refused.length);
    expect(stored._sum.size ?? 0).toBeLessThanOrEqual(quota + clipBytes);
    expect(await filesUnder(server.config.uploadDir)).toHaveLength(stored._count);
  });

  it('give back what an upload did not store, and all of a failed one', async () => {
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: String(3 * PHOTO_BYTES) });
    const alice = await signUp(server);
    // Each request is several times the photo (the multipart fields around it): only giving back the
    // unused part lets three fit. A file refused for its type gives back all of its reservation.
    expect(errorCode(await uploadPost(server.url, { token: alice.token, fixture: 'fake.jpg' }))).toBe(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    for (let i = 0; i < 3; i += 1)
      expect(errorCode(await uploadPost(server.url, { token: alice.token }))).toBeUndefined();
    expect(errorCode(await uploadPost(server.url, { token: alice.token }))).toBe('RATE_LIMITED');
  });
});
