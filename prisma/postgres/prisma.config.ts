// Used by the prisma CLI for the PostgreSQL schema: `prisma ... --config prisma/postgres/prisma.config.ts`.
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

// Without a url the CLI falls back to downloading a native engine, which fails offline.
if (!/^postgres(ql)?:/.test(process.env.DATABASE_URL ?? '')) {
  process.env.DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/test';
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'migrations') },
  async adapter() {
    // allowExitOnIdle: the CLI never closes this pool, and would otherwise linger 10 s until it idles out.
    return new PrismaPg({ connectionString: process.env.DATABASE_URL!, allowExitOnIdle: true });
  },
});
