// How errors become what clients see (src/graphql/error-masking.ts): codes kept, AppErrors coded, the rest masked.
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/errors.ts';
import { maskError } from '../../src/graphql/error-masking.ts';

const located = (originalError?: Error, path?: string[], extensions?: Record<string, unknown>) =>
  new GraphQLError(originalError?.message ?? 'graphql says', { originalError, path, extensions });
const pothosValidation = Object.assign(new Error('Argument "first" must be a non-negative integer'), {
  name: 'PothosValidationError',
});
const sqliteBusy = Object.assign(new Error('database is locked'), {
  code: 'P1008',
  meta: { driverAdapterError: { cause: { originalCode: 'SQLITE_BUSY' } } },
});

describe('maskError', () => {
  it.each([
    [
      'a coded GraphQL error stays as it is',
      located(undefined, undefined, { code: 'GRAPHQL_PARSE_FAILED' }),
      'GRAPHQL_PARSE_FAILED',
      'graphql says',
    ],
    [
      'an AppError gets its code and message',
      located(new AppError(ErrorCode.NOT_FOUND, 'Post not found.'), ['post']),
      'NOT_FOUND',
      'Post not found.',
    ],
    [
      'a Pothos validation error is bad input',
      located(pothosValidation, ['feed']),
      'BAD_USER_INPUT',
      pothosValidation.message,
    ],
    [
      'SQLite busy is DATABASE_BUSY',
      located(sqliteBusy, ['register']),
      'DATABASE_BUSY',
      'The database is busy. Try again in a moment.',
    ],
    ['an uncoded request-level GraphQL error is bad input', located(), 'BAD_USER_INPUT', 'graphql says'],
    [
      'an uncoded error during execution is a bug',
      located(undefined, ['post', 'url']),
      'INTERNAL_SERVER_ERROR',
      'Unexpected error.',
    ],
    [
      'anything else is masked',
      located(new Error('ENOENT: /srv/secret/path'), ['uploadPost']),
      'INTERNAL_SERVER_ERROR',
      'Unexpected error.',
    ],
    ['a bare error too', new Error('connection refused'), 'INTERNAL_SERVER_ERROR', 'Unexpected error.'],
  ])('%s', (_label, error, code, message) => {
    const masked = maskError(error) as GraphQLError;
    expect(masked.extensions.code).toBe(code);
    expect(masked.message).toBe(message);
    expect(JSON.stringify(masked)).not.toMatch(/secret|refused/);
  });

  it('keeps extensions of an AppError beside its code', () => {
    const masked = maskError(
      located(new AppError(ErrorCode.RATE_LIMITED, 'Slow down.', { retryAfterSeconds: 30 }), ['login']),
    ) as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(masked.path).toEqual(['login']);
  });

  it('never shows the original message or stack, development included', () => {
    const masked = maskError(located(new Error('boom at /srv/app/src/db.ts'), ['feed'])) as GraphQLError;
    expect(masked.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(masked)).not.toMatch(/boom|srv/);
  });
});
