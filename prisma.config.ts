// Used by the prisma CLI only (generate, migrate diff, migrate status). The server applies
// migrations itself (src/db/migrate.ts), so nothing here is on the start path.
import path from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { defineConfig } from 'prisma/config';

// Without a url the CLI falls back to downloading a native engine, which fails offline.
process.env.DATABASE_URL ??= 'file:./data/dev.db';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL! });
  },
});
