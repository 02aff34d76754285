// Runs in every test file (vitest setupFiles): drops the PostgreSQL schemas the file's servers used.
// Imported lazily, so SQLite runs and files without servers do not load the database modules for it.
import { afterAll } from 'vitest';

afterAll(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  const { dropTestDatabases } = await import('./database.ts');
  await dropTestDatabases();
});
