// Checks of a request's GraphQL parameters that yoga leaves out, before anything reads them.
import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.ts';

/**
 * How deep objects and lists may nest in variables and extensions: far past any input this schema
 * takes, and far below what a recursive walk (ours, graphql-js's coercion) can take before it
 * overflows the stack. JSON.parse itself takes 10,000 levels in 20 KB.
 */
export const MAX_NESTING = 64;

/** An object or a list as JSON makes them; not an Upload, whose insides are not the client's data. */
function isPlainData(value: unknown): value is object {
  return (
    value !== null &&
    typeof value === 'object' &&
    (Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype)
  );
}

/**
 * Whether `value` nests objects or lists more than `max` deep (the value itself is level 0), found
 * without recursion, so no depth can overflow the stack here.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (!isPlainData(value)) return false;
  const pending: [container: object, depth: number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [container, depth] = next;
    if (depth > max) return true;
    for (const child of Object.values(container)) if (isPlainData(child)) pending.push([child, depth + 1]);
  }
  return false;
}

/** The path of the first string in `value` that is not well-formed Unicode, or null. */
export function malformedStringPath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.isWellFormed() ? null : path;
  // Upload objects are not plain data; their file names are checked where they are used.
  if (!isPlainData(value)) return null;
  for (const [key, item] of Object.entries(value)) {
    if (!key.isWellFormed()) return `${path}.${key.toWellFormed()}`;
    const found = malformedStringPath(item, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** What is wrong with the parameters, or null. */
function problemOf(params: GraphQLParams): { code: ErrorCode; message: string } | null {
  const { operationName, query, variables, extensions } = params as Record<string, unknown>;
  // graphql-js would throw on an operationName that is an object, which yoga answers as a 500.
  if (operationName != null && typeof operationName !== 'string') {
    return { code: ErrorCode.BAD_REQUEST, message: 'operationName must be a string.' };
  }
  if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { code: ErrorCode.BAD_REQUEST, message: 'variables must be an object.' };
  }
  // Before anything walks them: a recursive walk of 10,000 levels overflows the stack (a 500).
  if (nestsDeeperThan(variables, MAX_NESTING) || nestsDeeperThan(extensions, MAX_NESTING)) {
    return {
      code: ErrorCode.BAD_REQUEST,
      message: `variables and extensions may nest objects and lists at most ${MAX_NESTING} levels deep.`,
    };
  }
  // JSON can carry a lone UTF-16 surrogate ("\ud800") that no Unicode text contains. graphql-js
  // refuses one written in a query, not one in variables; past here it would reach bcrypt as U+FFFD,
  // or a database driver that fails on it: an unexpected error instead of bad input.
  const where =
    malformedStringPath(variables ?? null, '$') ??
    (typeof query === 'string' && !query.isWellFormed() ? 'the query' : null) ??
    (typeof operationName === 'string' && !operationName.isWellFormed() ? 'the operation name' : null);
  if (where === null) return null;
  return {
    code: ErrorCode.BAD_USER_INPUT,
    message: `${where.replace(/^\$\./, '$')} is not well-formed Unicode (it has a lone surrogate).`,
  };
}

export function useRequestParamChecks(): Plugin {
  return {
    onParams({ params }) {
      const problem = problemOf(params);
      if (!problem) return;
      throw createGraphQLError(problem.message, { extensions: { code: problem.code, http: { status: 400 } } });
    },
  };
}
