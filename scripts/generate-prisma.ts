// Derives prisma/postgres/schema.prisma from prisma/schema.prisma and generates both clients.
// The models are written once; only the datasource and the client's output differ per provider.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { derivePostgresSchema } from './lib/schema-files.ts';

writeFileSync('prisma/postgres/schema.prisma', derivePostgresSchema(readFileSync('prisma/schema.prisma', 'utf8')));

for (const config of ['prisma.config.ts', 'prisma/postgres/prisma.config.ts']) {
  execFileSync('npx', ['prisma', 'generate', '--config', config], { stdio: 'inherit' });
}
