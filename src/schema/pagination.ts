// Keyset pagination on (createdAt, id), newest first, for any model with those two columns. A cursor
// holds both values, so paging has no duplicates or gaps when many rows share a timestamp or the
// cursor's own row is deleted between pages.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';
import type { Post, Prisma } from '../db/index.ts';
import { badInput } from '../errors.ts';

export interface PageSize {
  defaultSize: number;
  maxSize: number;
}

export const FEED_PAGE: PageSize = { defaultSize: 20, maxSize: 100 };
/** Nested under a page of posts (feed → author → posts), so smaller: the cost limit multiplies them. */
export const USER_POSTS_PAGE: PageSize = { defaultSize: 20, maxSize: 50 };
export const USERS_PAGE: PageSize = { defaultSize: 20, maxSize: 100 };

/** Field options of a connection with this page size, for the cost limit (src/graphql/operation-limits.ts). */
export const paged = (pageSize: PageSize) => ({ extensions: { pageSize } });

interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (
    rest.length ||
    !id ||
    !/^[0-9a-f-]{36}$/.test(id) ||
    Number.isNaN(createdAt.getTime()) ||
    createdAt.toISOString() !== iso
  ) {
    throw badInput('Malformed cursor.', { field: 'cursor' });
  }
  return { createdAt, id };
}

/** Rows strictly older (`lt`) or newer (`gt`) than the position, in (createdAt, id) order. */
function beyond({ createdAt, id }: Position, op: 'lt' | 'gt') {
  return { OR: [{ createdAt: { [op]: createdAt } }, { createdAt, id: { [op]: id } }] };
}

/** The rows after `row` in the page's own order, to fetch more of one page. */
export function following(row: Position, page: Pick<KeysetPage, 'orderBy'>): object {
  return beyond(row, page.orderBy[0].createdAt === 'desc' ? 'lt' : 'gt');
}

export interface KeysetPage {
  /** Conditions for the cursor window, to AND with the caller's own filter. */
  window: object[];
  orderBy: [{ createdAt: 'asc' | 'desc' }, { id: 'asc' | 'desc' }];
  take: number;
}

export function resolveKeysetConnection<Row extends Position>(
  args: DefaultConnectionArguments,
  pageSize: PageSize,
  fetch: (page: KeysetPage) => Promise<Row[]>,
) {
  // Decode first, so a malformed cursor is refused before any query runs.
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const toCursor = (row: Row) => encodeCursor(row);
  return resolveCursorConnection<Promise<Row[]>>({ args, ...pageSize, toCursor }, ({ limit, inverted }) => {
    const direction = inverted ? 'asc' : 'desc';
    return fetch({
      window: [...(after ? [beyond(after, 'lt')] : []), ...(before ? [beyond(before, 'gt')] : [])],
      orderBy: [{ createdAt: direction }, { id: direction }],
      take: limit,
    });
  });
}

export function resolvePostConnection(
  context: Context,
  info: GraphQLResolveInfo,
  args: DefaultConnectionArguments,
  pageSize: PageSize,
  where: Prisma.PostWhereInput = {},
) {
  return resolveKeysetConnection(
    args,
    pageSize,
    async ({ window, orderBy, take }) =>
      // Loads what the query selects under edges.node, authors included, in the same round of statements.
      context.db.post.findMany({
        ...queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] }),
        where: { AND: [where, ...(window as Prisma.PostWhereInput[])] },
        orderBy,
        take,
      }) as Promise<Post[]>,
  );
}
