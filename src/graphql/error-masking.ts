// The one place errors become what clients see. yoga's masking calls maskError for every error of a
// result: errors that already carry a code pass (yoga's own parse and validation codes, our limits),
// AppErrors get their code, and everything else becomes "Unexpected error." with INTERNAL_SERVER_ERROR,
// its original kept on the error for useUnexpectedErrorLog, which logs it with the request id.
import { GraphQLError, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isSqliteBusy } from '../db/index.ts';
import { AppError, ErrorCode, isErrorCode } from '../errors.ts';
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

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_REQUEST]: 400,
  [ErrorCode.CSRF_REJECTED]: 403,
};

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
  if (original instanceof AppError) {
    // A malformed request is HTTP 400 wherever it is found (an upload cut off is found in its resolver),
    // and a CSRF refusal 403 (a sign-in asking for a cookie from an untrusted page).
    const status = HTTP_STATUS[original.code];
    const http = status ? { http: { status } } : {};
    return withCode(located, original.code, original.message, { ...original.extensions, ...http });
  }
  if (original.name === 'PothosValidationError') return withCode(located, ErrorCode.BAD_USER_INPUT);
  if (isSqliteBusy(original))
    return withCode(located, ErrorCode.DATABASE_BUSY, 'The database is busy. Try again in a moment.');
  return unexpected(located);
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
        }
      }
    },
  };
}
