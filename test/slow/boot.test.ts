// The server as a process, at boot: a bad configuration stops it with a message naming the variable.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScript } from '../support/process.ts';
import { newTempDir } from '../support/server.ts';

describe('booting with ImageKit half configured', () => {
  it('stops the server at boot with a message naming the missing variable', async () => {
    const dir = await newTempDir();
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, 'boot.db')}`,
      IMAGEKIT_PRIVATE_KEY: 'private_abc',
      IMAGEKIT_PUBLIC_KEY: 'public_abc',
      IMAGEKIT_URL_ENDPOINT: '',
    };
    const failure = await runScript('src/server.ts', [], env);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/IMAGEKIT_URL_ENDPOINT: required when IMAGEKIT_PRIVATE_KEY is set/);
    expect(failure.stderr).not.toMatch(/IMAGEKIT_PUBLIC_KEY/);
  });
});
