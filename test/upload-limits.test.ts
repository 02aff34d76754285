import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS } from './operations/posts.ts';
import { signUp } from './support/accounts.ts';
import { codeOf, firstError, rawRequest } from './support/http.ts';
import { errorCode, FIXTURES, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { multipartBody, uploadPost } from './support/upload.ts';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((server) => server.close())));

async function start(env: Record<string, string>, options?: Parameters<typeof startTestServer>[1]) {
  const server = await startTestServer(env, options);
  servers.push(server);
  return server;
}

// photo.jpg as stored: re-encoded (without metadata), so a few bytes under the original's 293. A quota
// of one such file and a byte takes two uploads: the second starts under it and ends past it.
const PHOTO_BYTES = (await stat(path.join(FIXTURES, 'photo.jpg'))).size;
const TWO_UPLOADS_QUOTA = String(PHOTO_BYTES + 1);

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
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: TWO_UPLOADS_QUOTA });
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
    // Each video is stored with its poster frame; nothing else is left of the refused ones.
    expect(await filesUnder(server.config.uploadDir)).toHaveLength(2 * stored._count);
  });

  it('give back what an upload did not store, and all of a failed one', async () => {
    // Three stored photos fit under it only when each gives back the part of its reservation it did not use.
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: String(2 * PHOTO_BYTES + 1) });
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

describe('Query.uploadLimits', () => {
  it('tells the viewer the rules and what is left of the limits, without counting the question', async () => {
    const server = await start({
      UPLOAD_MAX_PER_HOUR: '5',
      UPLOAD_MAX_BYTES_PER_DAY: '3000000000',
      MAX_UPLOAD_BYTES: '5000',
    });
    const alice = await signUp(server);
    const ask = async () => (await gqlTyped(server, UPLOAD_LIMITS, {}, alice.token)).body;
    // A day's quota past 2^31 (a GraphQL Int) still comes back whole.
    const fresh = {
      maxBytes: 5000,
      acceptedMimeTypes: [
        'image/jpeg',
        'image/png',
        'image/gif',
        'image/webp',
        'image/avif',
        'image/heic',
        'image/heif',
        'video/mp4',
        'video/webm',
        'video/quicktime',
      ],
      captionMaxLength: 2200,
      remainingUploadsThisHour: 5,
      remainingBytesToday: 3_000_000_000,
    };
    expect(await ask()).toEqual({ data: { uploadLimits: fresh } });
    expect(await ask()).toEqual({ data: { uploadLimits: fresh } });
    const res = await uploadPost(server.url, { token: alice.token });
    const { size } = res.body.data!.uploadPost;
    expect(await ask()).toEqual({
      data: { uploadLimits: { ...fresh, remainingUploadsThisHour: 4, remainingBytesToday: 3_000_000_000 - size } },
    });
  });

  it('answers null where a limit is off, and needs a signed-in viewer', async () => {
    const server = await start({ UPLOAD_MAX_PER_HOUR: '0', UPLOAD_MAX_BYTES_PER_DAY: '0' });
    const alice = await signUp(server);
    const answer = await gqlTyped(server, UPLOAD_LIMITS, {}, alice.token);
    expect(answer.body.data!.uploadLimits).toMatchObject({ remainingUploadsThisHour: null, remainingBytesToday: null });
    expect(errorCode(await gqlTyped(server, UPLOAD_LIMITS))).toBe('UNAUTHENTICATED');
  });
});
