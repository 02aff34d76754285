// Boots the server: validate config, apply migrations, listen, and shut down gracefully on SIGTERM/SIGINT.
import { createServer } from 'node:http';
import { createApp } from './app.ts';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { createLogger } from './logger.ts';
import { closePasswordWorkers } from './services/passwords.ts';

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
  const applied = await migrate({ url: config.databaseUrl, log: (message) => logger.info(message) });
  if (applied.length === 0) logger.info('database is up to date');

  const app = createApp({ config, logger });
  const server = createServer(app.listener);
  // Keep-alive longer than a typical load balancer's idle timeout, so it never reuses a closed socket.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  logger.info(`listening on http://${config.host}:${config.port}/graphql`, {
    publicUrl: config.publicUrl,
    graphiql: config.graphiql,
  });
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
    server.closeIdleConnections();
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
