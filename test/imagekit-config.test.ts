// ImageKit configuration: which storage is active, what is required with what, and the base URL.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';
import { signUp } from './support/accounts.ts';
import { startFakeImageKit } from './support/fake-imagekit.ts';
import { startTestServer } from './support/server.ts';
import { uploadPost } from './support/upload.ts';

const base = { JWT_SECRET: 'x'.repeat(40) };
const keys = {
  IMAGEKIT_PRIVATE_KEY: 'private_abc',
  IMAGEKIT_PUBLIC_KEY: 'public_abc',
  IMAGEKIT_URL_ENDPOINT: 'https://ik.imagekit.io/demo/',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ ...base, ...env }, () => {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('ImageKit configuration', () => {
  it('keeps local storage without keys, and turns ImageKit on with them', () => {
    expect(loadConfig(base)).toMatchObject({ storage: 'local', imagekit: null });
    expect(loadConfig({ ...base, ...keys })).toMatchObject({
      storage: 'imagekit',
      imagekit: {
        privateKey: 'private_abc',
        publicKey: 'public_abc',
        urlEndpoint: 'https://ik.imagekit.io/demo',
        folder: '/uploads/',
        baseUrl: null,
        timeoutMs: 60_000,
        maxRetries: 2,
      },
    });
  });

  it('lets STORAGE force local storage while keeping the keys for posts already on ImageKit', () => {
    expect(loadConfig({ ...base, ...keys, STORAGE: 'local' })).toMatchObject({
      storage: 'local',
      imagekit: { publicKey: 'public_abc' },
    });
  });

  it('names each missing variable', () => {
    expect(problemsOf({ IMAGEKIT_PRIVATE_KEY: 'private_abc' })).toEqual([
      expect.stringMatching(/^IMAGEKIT_PUBLIC_KEY: required when IMAGEKIT_PRIVATE_KEY is set \(.*API keys\)$/),
      expect.stringMatching(/^IMAGEKIT_URL_ENDPOINT: required when IMAGEKIT_PRIVATE_KEY is set \(.*URL-endpoints/),
    ]);
    expect(problemsOf({ STORAGE: 'imagekit' })).toEqual([
      expect.stringMatching(/^IMAGEKIT_PRIVATE_KEY: required when STORAGE=imagekit/),
    ]);
    expect(problemsOf({ ...keys, IMAGEKIT_PRIVATE_KEY: 'public_abc' })).toEqual([
      expect.stringMatching(/^IMAGEKIT_PRIVATE_KEY: this is the public key/),
    ]);
    expect(problemsOf({ ...keys, IMAGEKIT_URL_ENDPOINT: 'ik.imagekit.io/demo' })).toEqual([
      expect.stringMatching(/^IMAGEKIT_URL_ENDPOINT:/),
    ]);
  });

  it('normalises the folder and reads the retry and timeout settings', () => {
    const { imagekit } = loadConfig({
      ...base,
      ...keys,
      IMAGEKIT_FOLDER: 'media/feed',
      IMAGEKIT_TIMEOUT_MS: '5000',
      IMAGEKIT_MAX_RETRIES: '0',
    });
    expect(imagekit).toMatchObject({ folder: '/media/feed/', timeoutMs: 5000, maxRetries: 0 });
  });

  it("takes the API base URL from IMAGEKIT_BASE_URL, else from the SDK's IMAGE_KIT_BASE_URL", () => {
    const both = { IMAGEKIT_BASE_URL: 'http://127.0.0.1:1/', IMAGE_KIT_BASE_URL: 'http://127.0.0.1:2/' };
    expect(loadConfig({ ...base, ...keys, ...both }).imagekit?.baseUrl).toBe('http://127.0.0.1:1/');
    expect(loadConfig({ ...base, ...keys, IMAGE_KIT_BASE_URL: both.IMAGE_KIT_BASE_URL }).imagekit?.baseUrl).toBe(
      'http://127.0.0.1:2/',
    );
  });

  it("sends uploads to the SDK's IMAGE_KIT_BASE_URL when IMAGEKIT_BASE_URL is unset", async () => {
    const fake = await startFakeImageKit();
    const { IMAGEKIT_BASE_URL, ...env } = fake.env();
    const server = await startTestServer({ ...env, IMAGE_KIT_BASE_URL: IMAGEKIT_BASE_URL! });
    try {
      const res = await uploadPost(server.url, { token: (await signUp(server)).token });
      expect(res.body.data!.uploadPost.url).toMatch(new RegExp(`^${fake.urlEndpoint}/uploads/`));
      expect(fake.files.size).toBe(1);
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
