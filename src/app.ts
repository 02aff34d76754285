// Builds the server: yoga for GraphQL, with uploads, local media and /health in front of it.
// It never listens; src/server.ts does, and tests mount it on a port of their own.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { Config } from './config.ts';
import { type Context, createContext } from './context.ts';
import { isSqliteBusy } from './db/index.ts';
import { ErrorCode, isGraphQLError } from './errors.ts';
import { useHttpAnswers } from './graphql/http-answers.ts';
import { useNoIntrospection } from './graphql/introspection.ts';
import { useOperationLimits } from './graphql/operation-limits.ts';
import { drainAfterAnswer, readBody } from './http/body.ts';
import { clientIpOf } from './http/client-ip.ts';
import { isMediaRequest, serveMedia } from './http/media.ts';
import {
  hasPreflightHeader,
  isMultipart,
  MULTIPART_OVERHEAD_BYTES,
  needsPreflightHeader,
  parseMultipart,
  sendJsonError,
} from './http/multipart.ts';
import type { Logger } from './logger.ts';
import { schema } from './schema/index.ts';
import { createServices, type ServiceOptions } from './services/index.ts';

export const GRAPHQL_PATH = '/graphql';

export const LIMITS = {
  maxDepth: 10,
  maxAliases: 30,
  maxTokens: 2000,
  maxCost: 5000,
  maxDirectives: 50,
};

// Messages of the limit checks: they are the client's fault, so they get BAD_USER_INPUT.
const LIMIT_MESSAGE = /limit of \d+ exceeded|Token limit|Query Cost limit/i;

/** Gives every error a stable extensions.code, masking anything unexpected. */
export function classifyError(
  error: GraphQLError,
  context: { requestId?: string; logger: Logger },
  expose: boolean,
): GraphQLError {
  if (error.extensions?.code) return error;
  const original = error.originalError;
  const withCode = (code: string, message = error.message) =>
    new GraphQLError(message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: original,
      extensions: { ...error.extensions, code },
    });
  if (!original || isGraphQLError(original)) {
    if (LIMIT_MESSAGE.test(error.message))
      return withCode(ErrorCode.BAD_USER_INPUT, error.message.replace(/^Syntax Error: /, ''));
    if (error.message.startsWith('Syntax Error')) return withCode('GRAPHQL_PARSE_FAILED');
    if (error.message.startsWith('Variable "$')) return withCode(ErrorCode.BAD_USER_INPUT);
    if (!error.path) return withCode('GRAPHQL_VALIDATION_FAILED');
    return withCode(ErrorCode.BAD_USER_INPUT);
  }
  if (original.name === 'PothosValidationError') return withCode(ErrorCode.BAD_USER_INPUT);
  if (isSqliteBusy(original)) {
    context.logger.warn('database busy', { requestId: context.requestId, path: error.path?.join('.') });
    return withCode(ErrorCode.DATABASE_BUSY, 'The database is busy. Try again in a moment.');
  }
  context.logger.error('unexpected error', {
    requestId: context.requestId,
    path: error.path?.join('.'),
    error: original,
  });
  const masked = withCode(ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.');
  if (expose) masked.extensions.originalError = { message: original.message, stack: original.stack };
  return masked;
}

export interface AppOptions extends ServiceOptions {
  config: Config;
  logger: Logger;
}

export function createApp({ config, logger, ...serviceOptions }: AppOptions) {
  const services = createServices(config, logger, serviceOptions);
  const requestIds = new WeakMap<Request, string>();

  const requestIdPlugin: Plugin = {
    onRequest({ request }) {
      const incoming = request.headers.get('x-request-id');
      requestIds.set(request, incoming && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID());
    },
    onResponse({ request, response }) {
      const id = requestIds.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };

  const yoga = createYoga<{ req?: IncomingMessage; res?: ServerResponse }, Context>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    landingPage: false,
    graphiql: config.graphiql ? { title: 'Photo feed API' } : false,
    // Uploads are parsed by graphql-upload-ts before yoga (src/http/multipart.ts); yoga's own parser would hold files in memory.
    multipart: false,
    logging: {
      debug: (...args) => logger.debug(String(args[0]), { args: args.slice(1) }),
      info: (...args) => logger.info(String(args[0]), { args: args.slice(1) }),
      warn: (...args) => logger.warn(String(args[0]), { args: args.slice(1) }),
      error: (...args) => logger.error(String(args[0]), { args: args.slice(1) }),
    },
    context: ({ request, req }) =>
      createContext({
        request,
        requestId: requestIds.get(request) ?? randomUUID(),
        clientIp: clientIpOf(req, config.trustProxyHops),
        services,
        logger,
      }),
    maskedErrors: {
      maskError: (error) =>
        isGraphQLError(error) ? error : new GraphQLError('Unexpected error.', { originalError: error as Error }),
    },
    plugins: [
      requestIdPlugin,
      EnvelopArmorPlugin({
        maxDepth: { n: LIMITS.maxDepth },
        maxAliases: { n: LIMITS.maxAliases },
        maxTokens: { n: LIMITS.maxTokens },
        // Replaced by useOperationLimits, which sees page sizes passed as variables.
        costLimit: { enabled: false },
        maxDirectives: { n: LIMITS.maxDirectives },
        blockFieldSuggestion: { enabled: config.production },
      }),
      {
        onResultProcess({ request, result, setResult }) {
          if (Array.isArray(result) || !result || typeof result !== 'object' || !('errors' in result) || !result.errors)
            return;
          const context = { requestId: requestIds.get(request), logger };
          setResult({
            ...result,
            errors: result.errors.map((error) =>
              classifyError(error as GraphQLError, context, config.env === 'development'),
            ),
          });
        },
      } satisfies Plugin,
      useOperationLimits({ maxCost: LIMITS.maxCost }),
      useHttpAnswers(),
      ...(config.introspection ? [] : [useNoIntrospection()]),
    ],
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Whatever answers this request, a body the client is still sending gets read to the end.
    drainAfterAnswer(req, res, config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES);
    const url = req.url ?? '/';
    if (url === '/health' || url.startsWith('/health?')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    if (isMediaRequest(url)) return serveMedia(req, res, config.uploadDir);
    if (needsPreflightHeader(req) && !hasPreflightHeader(req)) {
      return sendJsonError(
        res,
        403,
        'This request needs an apollo-require-preflight, x-apollo-operation-name or graphql-require-preflight header (CSRF protection).',
        'CSRF_HEADER_REQUIRED',
      );
    }
    if (isMultipart(req)) {
      const operations = await parseMultipart(req, res, config.maxUploadBytes);
      if (!operations) return;
      // @whatwg-node/server hands a pre-parsed body to yoga as JSON, Upload objects intact.
      (req as IncomingMessage & { body?: object }).body = operations;
      // The length was the whole upload's, already read and limited above; yoga would hold it against
      // its 25 MB JSON body limit and refuse every upload over 25 MB.
      delete req.headers['content-length'];
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Read under the cap before yoga parses it: a 5 MB "login" is refused without being held.
      const read = await readBody(req, config.maxJsonBytes);
      if ('tooLarge' in read) {
        return sendJsonError(
          res,
          413,
          `The request body is larger than the ${config.maxJsonBytes} byte limit.`,
          ErrorCode.PAYLOAD_TOO_LARGE,
        );
      }
      (req as IncomingMessage & { body?: Buffer }).body = read.body;
    }
    await yoga.requestListener(req, res);
  }

  function listener(req: IncomingMessage, res: ServerResponse): void {
    handle(req, res).catch((error) => {
      logger.error('request failed', { url: req.url, error });
      if (!res.headersSent) sendJsonError(res, 500, 'Unexpected error.', ErrorCode.INTERNAL_SERVER_ERROR);
      else res.destroy();
    });
  }

  return {
    yoga,
    services,
    listener,
    async close() {
      await yoga.dispose();
      await services.close();
    },
  };
}

export type App = ReturnType<typeof createApp>;
