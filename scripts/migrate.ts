// Applies pending migrations to DATABASE_URL and exits: the release step before rolling out new
// instances. `npm start` does the same on boot, so this is optional; both take the same lock.
//   npm run db:migrate
import { ConfigError, loadConfig } from '../src/config.ts';
import { MigrationError, migrate } from '../src/db/migrate.ts';

async function main(): Promise<number> {
  const config = loadConfig();
  const applied = await migrate({ url: config.databaseUrl, log: (message) => console.log(message) });
  if (applied.length === 0) console.log('Database is up to date');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(
      error instanceof ConfigError || error instanceof MigrationError ? `${error.name}: ${error.message}` : error,
    );
    process.exit(1);
  },
);
