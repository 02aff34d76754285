import { Kind } from 'graphql';
import { Upload } from 'graphql-upload-ts';
import { builder } from '../builder.ts';
import { badInput } from '../errors.ts';

builder.scalarType('DateTime', {
  description: 'An instant, as an ISO 8601 string in UTC, e.g. 2026-11-29T06:33:24.000Z.',
  serialize: (value) => (value instanceof Date ? value : new Date(value as string)).toISOString(),
  parseValue: (value) => parseDate(value),
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : null),
});

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw badInput('DateTime must be an ISO 8601 string.');
  return date;
}

builder.scalarType('Upload', {
  description:
    'A file part of a GraphQL multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec).',
  serialize: () => {
    throw new Error('Upload is an input-only scalar.');
  },
  parseValue: (value) => {
    if (value instanceof Upload) return value.promise;
    throw badInput('Upload must be a file part of a multipart request.');
  },
  parseLiteral: () => {
    throw badInput('Upload must be a file part of a multipart request, not a literal.');
  },
});
