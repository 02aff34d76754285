// yoga serving the schema, with the plugins that make its answers safe and stable: limits, error codes
// and masking, request ids, introspection off in production.

import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { useGraphQLSSE } from '@graphql-yoga/plugin-graphql-sse';
import { createYoga } from 'graphql-yoga';
import { unusedQueries } from '../builder.ts';
import type { Config } from '../config.ts';
import { type Context, createContext } from '../context.ts';
import { ErrorCode } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { schema } from '../schema/index.ts';
import type { Services } from '../services/index.ts';
import { type OperationType, useCookieCsrf } from './cookie-csrf.ts';
import {
  isGraphQLError,
  markAsBadInput,
  maskError,
  unreachableDependency,
  useUnexpectedErrorLog,
} from './error-masking.ts';
import { createGraphiQLPage, GRAPHIQL_DEFAULT_QUERY, GRAPHIQL_HEADERS } from './graphiql.ts';
import { useHttpAnswers } from './http-answers.ts';
import { useNoIntrospection } from './introspection.ts';
import type { Metrics } from './metrics.ts';
import { useOperationLimits } from './operation-limits.ts';
import { usePasswordCheckSlots } from './password-check-slots.ts';
import { createRequestIds } from './request-id.ts';
import { useRequestParamChecks } from './request-params.ts';
import type { ServerContext } from './server-context.ts';
import { useSharedEventExecution } from './shared-events.ts';
import { useSubscriptionAnswers } from './subscription-answers.ts';

export const GRAPHQL_PATH = '/graphql';
/**
 * The graphql-sse protocol's own endpoint, distinct-connections mode (also served on GRAPHQL_PATH by
 * yoga's SSE, which speaks it).
 */
export const GRAPHQL_SSE_PATH = '/graphql/stream';

/**
 * graphql-sse's single-connection mode is refused: its reservations (PUT) are made by anyone, kept in
 * one instance's memory until a stream attaches (never, for a flood of them), and named by a
 * Math.random token that lets whoever has it send operations into the stream. Every request of the
 * mode carries a token or is a PUT; a distinct connection carries neither.
 */
function refuseSingleConnection(request: {
  method: string;
  url: string;
  headers: { get(key: string): string | null | undefined };
}): '' | readonly [string, { status: number; statusText: string; headers: Record<string, string> }] {
  const url = new URL(request.url, 'http://localhost');
  if (
    request.method !== 'PUT' &&
    !request.headers.get('x-graphql-event-stream-token') &&
    !url.searchParams.has('token')
  ) {
    return '';
  }
  const message =
    'Single-connection mode is not served: use distinct connections (graphql-sse singleConnection: false).';
  return [
    JSON.stringify({ errors: [{ message, extensions: { code: ErrorCode.BAD_REQUEST } }] }),
    { status: 400, statusText: 'Bad Request', headers: { 'content-type': 'application/json; charset=utf-8' } },
  ] as const;
}

export const QUERY_LIMITS = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 5000,
  maxDirectives: 50,
};

export type { ServerContext };

export function createGraphQLServer({
  config,
  logger,
  services,
  metrics,
}: {
  config: Config;
  logger: Logger;
  services: Services;
  /** Null when METRICS=false. */
  metrics: Metrics | null;
}) {
  const requestIds = createRequestIds();
  if (config.env === 'development') {
    unusedQueries.report = (info) =>
      logger.warn(`Prisma query was unused in resolver for ${info.parentType.name}.${info.fieldName}`);
  }
  const armorLimit = (n: number) => ({ n, onReject: [markAsBadInput] });
  const cookie = {
    settings: config.sessions.cookie,
    origins: { allowed: config.corsOrigins, ownOrigin: new URL(config.publicUrl).origin },
  };
  const graphiqlPage = createGraphiQLPage();

  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    // src/http/cors.ts answers CORS for every route, this one included.
    cors: false,
    graphiql: config.graphiql
      ? {
          title: 'Photo feed API',
          defaultQuery: GRAPHIQL_DEFAULT_QUERY,
          // Yoga's GraphiQL hands `headers` to GraphiQL as its defaultHeaders: the first tab's and every new tab's.
          headers: GRAPHIQL_HEADERS,
        }
      : false,
    // Every asset inline: the page works without internet access (src/graphql/graphiql.ts).
    renderGraphiQL: graphiqlPage.render,
    // Uploads are parsed by graphql-upload-ts before yoga (src/http/multipart.ts); yoga's own parser
    // would hold files in memory.
    multipart: false,
    logging: {
      debug: (...args) => logger.debug({ args: args.slice(1) }, String(args[0])),
      info: (...args) => logger.info({ args: args.slice(1) }, String(args[0])),
      warn: (...args) => logger.warn({ args: args.slice(1) }, String(args[0])),
      // yoga logs each error maskError rewrote. A coded one is the client's doing, and an unexpected one
      // or an outage (also when the context's session lookup met it) useUnexpectedErrorLog logs with
      // its request id: at error level, only what is neither.
      error: (...args) =>
        isGraphQLError(args[0]) || unreachableDependency(args[0])
          ? logger.debug({ args: args.slice(1) }, String(args[0]))
          : logger.error({ args: args.slice(1) }, String(args[0])),
    },
    context: ({ request, req, ...initial }) =>
      createContext({
        request,
        requestId: requestIds.of(request) ?? 'unknown',
        clientIp: (initial as ServerContext).clientIp ?? null,
        uploadBytes: (initial as ServerContext).uploadBytes ?? null,
        services,
        logger,
        refused: Boolean((initial as { operationRefusal?: unknown }).operationRefusal),
        operationType: (initial as { operationType?: OperationType | null }).operationType ?? null,
        cookie,
        // Node merges headers set on the response with those yoga writes (its own carry no Set-Cookie).
        setCookie: (line) => (initial as ServerContext).res?.appendHeader('set-cookie', line),
        dropConnection: () => (req as ServerContext['req'])?.socket.destroy(),
      }),
    maskedErrors: { maskError, isDev: false },
    plugins: [
      requestIds.plugin,
      useRequestParamChecks(),
      EnvelopArmorPlugin({
        maxDepth: armorLimit(QUERY_LIMITS.maxDepth),
        maxAliases: armorLimit(QUERY_LIMITS.maxAliases),
        maxTokens: armorLimit(QUERY_LIMITS.maxTokens),
        maxDirectives: armorLimit(QUERY_LIMITS.maxDirectives),
        // Replaced by useOperationLimits, which sees page sizes passed as variables.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: config.production },
      }),
      useOperationLimits({ maxCost: QUERY_LIMITS.maxCost }),
      // A refused cookie mutation runs nothing: before it could take a password-check slot.
      useCookieCsrf(),
      usePasswordCheckSlots(),
      useUnexpectedErrorLog(logger, requestIds.of),
      useHttpAnswers(),
      useSubscriptionAnswers(),
      // One execution of a live event for all the streams whose answer is the same (decision 0022).
      useSharedEventExecution(),
      // Compressed, with an ETag (src/graphql/graphiql.ts).
      graphiqlPage.plugin,
      ...(metrics ? [metrics.plugin] : []),
      ...(config.introspection ? [] : [useNoIntrospection()]),
      // Subscriptions over the graphql-sse protocol, last: the request hooks above (request ids, metrics)
      // see its requests first, and its operations go through the operation hooks like any other.
      useGraphQLSSE({ endpoint: GRAPHQL_SSE_PATH, authenticate: refuseSingleConnection }),
    ],
  });
}

export type GraphQLServer = ReturnType<typeof createGraphQLServer>;
