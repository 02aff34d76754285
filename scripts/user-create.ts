// Creates an account from the command line; the way to make the first superuser.
//   npm run user:create -- --email a@b.c --username admin --password '...' [--superuser] [--verified]
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { migrate } from '../src/db/migrate.ts';
import { AppError } from '../src/errors.ts';
import { createLogger } from '../src/logger.ts';
import { createServices } from '../src/services/index.ts';

const usage =
  'usage: npm run user:create -- --email <email> --username <name> --password <password> [--superuser] [--verified]';

const options = {
  email: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  superuser: { type: 'boolean', default: false },
  verified: { type: 'boolean', default: false },
} as const;

async function main(): Promise<number> {
  let values: ReturnType<typeof parseArgs<{ options: typeof options }>>['values'];
  try {
    ({ values } = parseArgs({ options }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  const missing = (['email', 'username', 'password'] as const).filter((name) => !values[name]);
  if (missing.length) {
    console.error(`missing ${missing.map((m) => `--${m}`).join(', ')}\n${usage}`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  await migrate({ url: config.databaseUrl });
  const services = createServices(config, logger);
  try {
    const user = await services.auth.register({
      email: values.email!,
      username: values.username!,
      password: values.password!,
    });
    const updated = await services.db.user.update({
      where: { id: user.id },
      // A superuser made here is trusted from the start, so it is also verified.
      data: { isSuperuser: values.superuser, isVerified: values.verified || values.superuser },
    });
    console.log(
      `created ${updated.isSuperuser ? 'superuser' : 'user'} ${updated.username} <${updated.email}> (id ${updated.id})`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await services.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
