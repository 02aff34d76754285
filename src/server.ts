// Boots the server: validate config, apply migrations, listen, and shut down gracefully on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { setRequestTimeout } from './http/body-timeout.ts';
import { createLogger } from './logger.ts';

/**
 * The app's modules, imported once the config is known to be good. They load the generated Prisma
 * clients, which `npm install` makes (postinstall); without them Node's own error names a file deep
 * in src/generated, so say what to do instead.
 */
async function loadApp() {
  try {
    const [{ createApp }, { migrate }, { closePasswordWorkers }] = await Promise.all([
      import('./app.ts'),
      import('./db/migrate.ts'),
      import('./infra/passwords.ts'),
    ]);
    return { createApp, migrate, closePasswordWorkers };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'ERR_MODULE_NOT_FOUND' && message.includes('generated')) {
      console.error(
        'The Prisma clients are not generated (src/generated is missing): run `npm run postinstall`, then start again.',
      );
      process.exit(1);
    }
    throw error;
  }
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const { createApp, migrate, closePasswordWorkers } = await loadApp();
  const applied = await migrate({ url: config.databaseUrl, log: (message) => logger.info(message) });
  if (applied.length === 0) logger.info('database is up to date');

  const app = createApp({ config, logger });
  // On SQLite: refuses to run beside an instance it would not hear (SharedDatabaseError, exit 1).
  await app.services.heartbeat.start();
  const server = createServer(app.listener);
  // Keep-alive longer than a typical load balancer's idle timeout, so it never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  setRequestTimeout(server, config);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info({ publicUrl: config.publicUrl, graphiql: config.graphiql }, `listening on ${config.host}:${config.port}`);
  // A plain line a terminal makes clickable, where the JSON logs are for machines.
  console.log(
    `Photo feed API at ${config.publicUrl}/graphql${config.graphiql ? ' (open it in a browser for GraphiQL)' : ''}`,
  );
  // File removals, expired sessions and crashed uploads' temp files, now and periodically; app.close() stops it.
  app.services.maintenance.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: finishing in-flight requests`);
    // No new maintenance runs; one in progress finishes before app.close() disconnects the database.
    void app.services.maintenance.stop();
    server.close(async () => {
      await app.close();
      await closePasswordWorkers();
      logger.info('stopped');
      process.exit(0);
    });
    // Live streams end cleanly (their last event is `complete`), so clients reconnect to another
    // instance; their connections close once the ends are written.
    app.services.live.stop();
    server.closeIdleConnections();
    setTimeout(() => server.closeIdleConnections(), 200).unref();
    // Uploads in flight get a grace period, then the process goes anyway.
    setTimeout(() => {
      logger.warn('forcing shutdown after 10 s');
      process.exit(1);
    }, 10_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
