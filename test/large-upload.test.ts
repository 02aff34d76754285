// Uploads past yoga's 25 MB request body limit, which applies to JSON bodies, not to uploads.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { type FakeImageKit, startFakeImageKit } from './support/fake-imagekit.ts';
import { FIXTURES, startTestServer } from './support/server.ts';
import { uploadPost } from './support/upload.ts';

const MB = 1024 * 1024;
let fake: FakeImageKit;
let bytes: Buffer;
let clipBytes: number;

beforeAll(async () => {
  fake = await startFakeImageKit();
  const clip = await readFile(path.join(FIXTURES, 'clip.mp4'));
  clipBytes = clip.length;
  bytes = Buffer.concat([clip, Buffer.alloc(30 * MB - clip.length)]);
});
afterAll(() => fake?.close());

describe('a 30 MB upload', () => {
  it.each(['local', 'imagekit'] as const)('is stored with %s storage', async (storage) => {
    const server = await startTestServer({
      MAX_UPLOAD_BYTES: String(40 * MB),
      ...(storage === 'imagekit' ? fake.env() : {}),
    });
    try {
      const res = await uploadPost(server.url, { token: (await signUp(server)).token, bytes, filename: 'big.mp4' });
      expect(res.body.errors).toBeUndefined();
      // Stored remuxed: the 30 MB of padding after the MP4's boxes is no part of the video, and goes.
      expect(res.body.data!.uploadPost).toMatchObject({ fileType: 'VIDEO', mimeType: 'video/mp4' });
      expect(res.body.data!.uploadPost.size).toBeLessThan(clipBytes + 1024);
      expect(await server.db.post.count({ where: { storage } })).toBe(1);
    } finally {
      await server.close();
    }
  });
});
