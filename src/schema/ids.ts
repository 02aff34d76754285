// Global ids handed to mutations: an id of another type is the client's mistake (BAD_USER_INPUT, naming
// the argument), an id of the right type that names nothing is NOT_FOUND (the services say so).
import { badInput, notFound } from '../errors.ts';

/** The database id inside a global id of `typename`, or BAD_USER_INPUT for an id of another type. */
export function idOf(globalId: { typename: string; id: string }, typename: string, field: string): string {
  if (globalId.typename !== typename) throw badInput(`${field} must be the id of a ${typename}.`, { field });
  return globalId.id;
}

/**
 * The row a mutation answers with, read again after its write. One deleted in between (another request
 * deleting the post or the account) is NOT_FOUND, as it would have been a moment earlier.
 */
export async function stillThere<T>(read: Promise<T | null>, what: 'Post' | 'User' | 'Comment'): Promise<T> {
  const row = await read;
  if (!row) throw notFound(`${what} not found.`);
  return row;
}
