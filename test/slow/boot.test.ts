// The server as a process, at boot, as a new developer meets it: the URL to open, and clear messages
// for a bad configuration or a missing install step.
import { cp, mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newTestDatabaseUrl } from '../support/database.ts';
import { runScript, startServerProcess } from '../support/process.ts';
import { newTempDir, TEST_JWT_SECRET } from '../support/server.ts';

const root = path.join(import.meta.dirname, '..', '..');

describe('starting', () => {
  it('prints the GraphQL URL from PUBLIC_URL, ready to click', async () => {
    const dir = await newTempDir();
    const server = await startServerProcess({
      NODE_ENV: 'development',
      DATABASE_URL: newTestDatabaseUrl(dir),
      DATA_DIR: dir,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      JWT_SECRET: TEST_JWT_SECRET,
      PUBLIC_URL: 'https://api.example.test',
    });
    try {
      expect(server.output()).toContain(
        'Photo feed API at https://api.example.test/graphql (open it in a browser for GraphiQL)',
      );
    } finally {
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    }
  });

  it('says to run npm run postinstall when the Prisma clients were never generated (npm ci --ignore-scripts)', async () => {
    // A copy of the project without src/generated, as an install that skipped its scripts leaves it.
    const copy = await newTempDir('photo-feed-no-generated-');
    await cp(path.join(root, 'src'), path.join(copy, 'src'), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}generated`),
    });
    await cp(path.join(root, 'prisma'), path.join(copy, 'prisma'), { recursive: true });
    await cp(path.join(root, 'package.json'), path.join(copy, 'package.json'));
    await symlink(path.join(root, 'node_modules'), path.join(copy, 'node_modules'));
    await mkdir(path.join(copy, 'data'));
    const failure = await runScript(
      'src/server.ts',
      [],
      { PATH: process.env.PATH, DATA_DIR: path.join(copy, 'data') },
      { cwd: copy },
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('run `npm run postinstall`');
    expect(failure.stderr).not.toMatch(/ERR_MODULE_NOT_FOUND/);
  });
});

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

describe('booting in production without a mail server', () => {
  it('stops the server at boot naming SMTP_URL, and MAIL_LOG_ONLY for running without mail on purpose', async () => {
    const dir = await newTempDir();
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      DATA_DIR: dir,
      DATABASE_URL: `file:${path.join(dir, 'boot.db')}`,
    };
    const failure = await runScript('src/server.ts', [], env);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/SMTP_URL: required when NODE_ENV=production .*set MAIL_LOG_ONLY=true/);
    expect(failure.stdout).not.toMatch(/listening/);
  });
});

describe('a second server process on the same SQLite file', () => {
  it('exits naming REDIS_URL while the first runs, and starts at once after the first was killed -9', async () => {
    const dir = await newTempDir();
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: `file:${path.join(dir, 'shared.db')}`,
      DATA_DIR: dir,
      UPLOAD_DIR: path.join(dir, 'uploads'),
      JWT_SECRET: TEST_JWT_SECRET,
    };
    const first = await startServerProcess(env);
    let third: Awaited<ReturnType<typeof startServerProcess>> | undefined;
    try {
      const second = await runScript('src/server.ts', [], {
        PATH: process.env.PATH,
        ...env,
        PORT: '0',
        HOST: '127.0.0.1',
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(
        new RegExp(
          `^SharedDatabaseError: Another instance already serves the SQLite database .*shared\\.db \\(pid ${first.child.pid} `,
          'm',
        ),
      );
      expect(second.stderr).toContain('Give every instance on this file the same REDIS_URL');
      expect((await fetch(`${first.url}/health`)).status).toBe(200);

      first.child.kill('SIGKILL');
      await first.exited;
      third = await startServerProcess(env);
      expect((await fetch(`${third.url}/health`)).status).toBe(200);
    } finally {
      first.child.kill('SIGKILL');
      third?.child.kill('SIGTERM');
      if (third) expect(await third.exited).toBe(0);
    }
    // Three processes boot one after another: each takes several seconds on a loaded machine.
  }, 120_000);
});
