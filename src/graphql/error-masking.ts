// The one place errors become what clients see. yoga's masking calls maskError for every error of a
// result: errors that already carry a code pass (yoga's own parse and validation codes, our limits),
// AppErrors get their code, and everything else becomes "Unexpected error." with INTERNAL_SERVER_ERROR,
// its original kept on the error for useUnexpectedErrorLog, which logs it with the request id.
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isDatabaseUnreachable, isSqliteBusy } from '../db/index.ts';
import { AppError, ErrorCode, isErrorCode, serviceUnavailable } from '../errors.ts';
import { isRedisUnreachable } from '../infra/redis.ts';
import type { Logger } from '../logger.ts';

/**
 * By name, not instanceof: graphql ships CommonJS and ESM builds, and a dependency loading the
 * other one makes instanceof fail for errors it creates (yoga checks the same way).
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/** graphql-armor's limits are the client's doing: BAD_USER_INPUT, not a parse or validation failure. */
export function markAsBadInput(_context: ValidationContext | null, error: GraphQLError): void {
  error.message = error.message.replace(/^Syntax Error: /, '');
  (error.extensions as Record<string, unknown>).code = ErrorCode.BAD_USER_INPUT;
}

function withCode(
  error: GraphQLError,
  code: ErrorCode,
  message = error.message,
  extensions: Record<string, unknown> = {},
) {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...extensions, code },
  });
}

/** yoga's maskedErrors.maskError: every error gets a stable code; the unexpected are masked. */
export function maskError(error: unknown): Error {
  const located = isGraphQLError(error)
    ? error
    : new GraphQLError('Unexpected error.', { originalError: error as Error });
  const original = located.originalError;
  if (!original || isGraphQLError(original)) {
    if (located.extensions.code) return withoutInternals(located);
    // graphql-js's own errors during execution (a non-null field resolved to null...) are bugs.
    return located.path ? unexpected(located) : withCode(located, ErrorCode.BAD_USER_INPUT);
  }
  if (original instanceof AppError) return coded(located, original);
  if (original.name === 'PothosValidationError') return withCode(located, ErrorCode.BAD_USER_INPUT);
  if (isSqliteBusy(original))
    return withCode(located, ErrorCode.DATABASE_BUSY, 'The database is busy. Try again in a moment.');
  const dependency = unreachableDependency(original);
  if (dependency) return withCause(coded(located, serviceUnavailable(dependency)), original);
  return unexpected(located);
}

/** The dependency an error says is unreachable, by what the database and Redis clients throw then. */
export function unreachableDependency(error: unknown): string | null {
  if (isDatabaseUnreachable(error)) return 'database';
  if (isRedisUnreachable(error)) return 'Redis';
  return null;
}

/** An AppError as clients see it: its code and extensions, and the HTTP status some codes take. */
function coded(located: GraphQLError, error: AppError): GraphQLError {
  return withCode(located, error.code, error.message, { ...error.extensions, ...httpOf(error) });
}

function httpOf(error: AppError): { http?: { status: number; headers?: Record<string, string> } } {
  // A malformed request is HTTP 400 wherever it is found (an upload cut off is found in its resolver).
  if (error.code === ErrorCode.BAD_REQUEST) return { http: { status: 400 } };
  // A CSRF refusal found in a resolver (a sign-in asking for a cookie from an untrusted page) is 403 too.
  if (error.code === ErrorCode.CSRF_REJECTED) return { http: { status: 403 } };
  // yoga answers with the highest status among the errors and sends their headers (the body leaves http out).
  if (error.code === ErrorCode.SERVICE_UNAVAILABLE) {
    const retryAfter = String(error.extensions.retryAfterSeconds ?? 5);
    return { http: { status: 503, headers: { 'retry-after': retryAfter } } };
  }
  return {};
}

/** Keeps the client's error that made a dependency unreachable, for useUnexpectedErrorLog; not serialized. */
function withCause(error: GraphQLError, cause: Error): GraphQLError {
  Object.defineProperty(error, 'unreachable', { value: cause });
  return error;
}

/**
 * yoga's own coded errors as clients should see them: without the parser's originalError (a name and
 * message from inside the server), and BAD_REQUEST always HTTP 400. yoga answers 200 to a client
 * accepting application/json, which the GraphQL-over-HTTP spec asks only for well-formed requests.
 */
function withoutInternals(error: GraphQLError): GraphQLError {
  const { originalError, ...extensions } = error.extensions as Record<string, unknown>;
  const http = extensions.http as { status?: number; spec?: boolean } | undefined;
  const badRequest = extensions.code === ErrorCode.BAD_REQUEST && (http?.status !== 400 || http.spec);
  if (originalError === undefined && !badRequest) return error;
  return withCode(error, extensions.code as ErrorCode, error.message, {
    ...extensions,
    ...(badRequest ? { http: { ...http, spec: false, status: 400 } } : {}),
  });
}

/**
 * Masked in every environment, development included: a stack, a database message or a source path
 * tells an attacker about the server, and NODE_ENV is easily left unset. The log has it all.
 */
function unexpected(error: GraphQLError): GraphQLError {
  const cause = error.originalError ?? error;
  const masked = withCode(error, ErrorCode.INTERNAL_SERVER_ERROR, 'Unexpected error.');
  // Kept for useUnexpectedErrorLog; not serialized.
  Object.defineProperty(masked, 'unexpected', { value: cause });
  return masked;
}

/** The log message of an answer whose code the ErrorCode enum does not list (test/support checks for it). */
export const UNLISTED_CODE = 'answered with an error code the ErrorCode enum does not list';

/**
 * Logs what maskError masked, with the request id the client got in x-request-id, and any error code
 * the schema's ErrorCode enum does not list.
 */
export function useUnexpectedErrorLog(logger: Logger, requestIdOf: (request: Request) => string | undefined): Plugin {
  return {
    onResultProcess({ request, result }) {
      for (const single of Array.isArray(result) ? result : [result]) {
        const errors = (single as { errors?: readonly GraphQLError[] } | null)?.errors ?? [];
        for (const error of errors) {
          const code = error.extensions?.code;
          // schema.graphql promises clients these codes; an answer with another is a bug here.
          if (!isErrorCode(code)) {
            logger.error({ requestId: requestIdOf(request), code, message: error.message }, UNLISTED_CODE);
          }
          const cause = (error as GraphQLError & { unexpected?: Error }).unexpected;
          if (cause)
            logger.error(
              {
                requestId: requestIdOf(request),
                path: error.path?.join('.'),
                error: cause,
              },
              'unexpected error',
            );
          else if (error.extensions?.code === ErrorCode.DATABASE_BUSY)
            logger.warn({ requestId: requestIdOf(request) }, 'database busy');
          else if (error.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) {
            const { dependency } = error.extensions;
            logger.warn(
              { requestId: requestIdOf(request), dependency, error: (error as { unreachable?: Error }).unreachable },
              'dependency unreachable',
            );
          }
        }
      }
    },
  };
}
