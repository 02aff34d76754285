import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql has a CommonJS main and an ESM "module" build. Node (and so Pothos and yoga) loads the
    // CommonJS one; vite would pick the other for our files, and two graphql copies cannot share a schema.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // Tags and drops the PostgreSQL schemas of a TEST_DATABASE_URL run; migrates the SQLite template.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup-file.ts'],
    // Each test file opens its own databases and servers, so files need no fresh module graph each:
    // a worker loads the app once (Prisma, Pothos, yoga) and runs file after file. Forks keep native
    // modules apart.
    pool: 'forks',
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      // Pure functions: no server, no database.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // The real server over HTTP, in this process, one instance at a time: needs no Redis.
      { extends: true, test: { name: 'api', include: ['test/*.test.ts'] } },
      // Several instances sharing a database, and limits counted in Redis: needs Redis (SQLite instances
      // hear each other through it).
      { extends: true, test: { name: 'instances', include: ['test/instances/*.test.ts'] } },
      // Subprocesses: the server booted or killed as a process, the CLIs, the Prisma CLI.
      { extends: true, test: { name: 'slow', include: ['test/slow/**/*.test.ts'] } },
    ],
  },
});
