// Builds the app: the services, yoga for GraphQL, and the HTTP handler in front of it. It never
// listens; src/server.ts does, and tests mount it on a port of their own.
import type { Config } from './config.ts';
import { createMetrics } from './graphql/metrics.ts';
import { createGraphQLServer } from './graphql/server.ts';
import { createRequestHandler } from './http/handler.ts';
import type { Logger } from './logger.ts';
import { createServices, type ServicesDeps } from './services/index.ts';

export interface AppDeps extends ServicesDeps {
  config: Config;
  logger: Logger;
}

export function createApp({ config, logger, ...serviceOptions }: AppDeps) {
  const services = createServices(config, logger, serviceOptions);
  const metrics = config.metrics ? createMetrics() : null;
  const yoga = createGraphQLServer({ config, logger, services, metrics });
  return {
    yoga,
    services,
    listener: createRequestHandler({ config, yoga, oauth: services.oauth, logger, metrics, health: services.health }),
    async close() {
      await yoga.dispose();
      await services.close();
    },
  };
}

export type App = ReturnType<typeof createApp>;
