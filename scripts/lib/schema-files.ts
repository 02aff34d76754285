// The PostgreSQL schema is the SQLite one with another datasource and client output, and without
// the Pothos generator (the Pothos types and datamodel are provider-independent).
export function derivePostgresSchema(sqliteSchema: string): string {
  const header = '// GENERATED from prisma/schema.prisma by `npm run db:generate`. Do not edit.\n';
  const body = sqliteSchema
    .replace(/^\/\/ The single source[\s\S]*?\n\n/, '')
    .replace(/generator pothos \{[\s\S]*?\n\}\n\n/, '')
    .replace('output       = "../src/generated/sqlite"', 'output       = "../../src/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"');
  return header + body;
}
