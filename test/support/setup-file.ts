// Runs in every test file (vitest setupFiles). After the file: every server it started must have
// answered only with error codes the schema's ErrorCode enum lists, whatever the file tested; then the
// PostgreSQL schemas its servers used are dropped. Imported lazily, so files without servers load
// nothing for it.
import { afterAll, expect } from 'vitest';

afterAll(async () => {
  const { startedServers } = await import('./server.ts');
  const { UNLISTED_CODE } = await import('../../src/graphql/error-masking.ts');
  const unlisted = [...startedServers].flatMap((server) => server.logs.filter((line) => line.includes(UNLISTED_CODE)));
  startedServers.clear();
  expect(unlisted, 'answers with an extensions.code missing from the ErrorCode enum').toEqual([]);
});

afterAll(async () => {
  const { dropTestDatabases } = await import('./database.ts');
  await dropTestDatabases();
});
