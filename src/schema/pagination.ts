// Keyset pagination on (createdAt, id), newest first, for any model with those two columns. A cursor
// holds both values, so paging has no duplicates or gaps when many rows share a timestamp or the
// cursor's own row is deleted between pages.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { type DefaultConnectionArguments, resolveCursorConnection } from '@pothos/plugin-relay';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';
import type { FeedWindow, Post, Prisma } from '../db/index.ts';
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

/** The page to read: the cursors' window, which end to read it from, and how many rows. */
export type KeysetWindow = FeedWindow;

/** The window as Prisma findMany arguments: conditions to AND with the caller's own filter, order and size. */
export function prismaWindow({ after, before, direction, take }: KeysetWindow) {
  return {
    conditions: [...(after ? [beyond(after, 'lt')] : []), ...(before ? [beyond(before, 'gt')] : [])],
    orderBy: [{ createdAt: direction }, { id: direction }] as [{ createdAt: 'asc' | 'desc' }, { id: 'asc' | 'desc' }],
    take,
  };
}

/** The rows after `row` in the window's own order, to fetch more of one page. */
export function following(row: Position, window: Pick<KeysetWindow, 'direction'>): object {
  return beyond(row, window.direction === 'desc' ? 'lt' : 'gt');
}

export function resolveKeysetConnection<Row extends Position>(
  args: DefaultConnectionArguments,
  pageSize: PageSize,
  fetch: (window: KeysetWindow) => Promise<Row[]>,
) {
  // Decode first, so a malformed cursor is refused before any query runs.
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const toCursor = (row: Row) => encodeCursor(row);
  const connection = resolveCursorConnection<Promise<Row[]>>({ args, ...pageSize, toCursor }, ({ limit, inverted }) =>
    fetch({ after, before, direction: inverted ? 'asc' : 'desc', take: limit }),
  );
  return connection.then(withoutEmptyCursors);
}

/**
 * An empty page keeps the cursor it was asked from (so a client can ask again later); with none,
 * Pothos answers '' where clients (Apollo's relayStylePagination among them) expect null.
 */
function withoutEmptyCursors<C extends { pageInfo: { startCursor?: string | null; endCursor?: string | null } }>(
  connection: C,
): C {
  const { pageInfo } = connection;
  return {
    ...connection,
    pageInfo: { ...pageInfo, startCursor: pageInfo.startCursor || null, endCursor: pageInfo.endCursor || null },
  };
}

export function resolvePostConnection(
  context: Context,
  info: GraphQLResolveInfo,
  args: DefaultConnectionArguments,
  pageSize: PageSize,
  where: Prisma.PostWhereInput = {},
) {
  return resolveKeysetConnection(args, pageSize, async (window) => {
    const { conditions, orderBy, take } = prismaWindow(window);
    // Loads what the query selects under edges.node, authors included, in the same round of statements.
    return context.db.post.findMany({
      ...queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] }),
      where: { AND: [where, ...(conditions as Prisma.PostWhereInput[])] },
      orderBy,
      take,
    }) as Promise<Post[]>;
  });
}

/**
 * The feed: one cached page for every viewer when the selection under edges.node needs no more than
 * posts and their authors' columns, which is what clients ask for; otherwise the general path.
 */
export function resolveFeedConnection(context: Context, info: GraphQLResolveInfo, args: DefaultConnectionArguments) {
  // Records the selection's loading plan for Post.author either way: rows of the cached page carry the author.
  const query = queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] });
  if (!needsOnlyAuthors(query)) return resolvePostConnection(context, info, args, FEED_PAGE);
  return resolveKeysetConnection<Post>(args, FEED_PAGE, (window) => context.services.feed.page(window));
}

/** Whether a Prisma query loads nothing beyond the post's own columns and its author's. */
function needsOnlyAuthors(query: { include?: Record<string, unknown>; select?: unknown }): boolean {
  if (query.select !== undefined) return false;
  const include = query.include ?? {};
  return Object.entries(include).every(([relation, value]) => relation === 'author' && value === true);
}
