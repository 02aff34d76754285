// Connections as Relay pages over the keyset module (src/db/keyset.ts): each connection names its page
// size and order, reads the window it is handed, and gets back edges with cursors and pageInfo.
import { queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.ts';
import {
  encodeCursor,
  type KeysetWindow,
  keysetArgs,
  type Order,
  type Page,
  type PageArgs,
  type PageSize,
  type Position,
  type Post,
  type Prisma,
  planPage,
} from '../db/index.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { visiblePostsWhere } from '../services/safety/visibility.ts';

export type { PageSize };

export const FEED_PAGE: PageSize = { defaultSize: 20, maxSize: 100 };
/** Nested under a page of posts (feed → author → posts), so smaller: the cost limit multiplies them. */
export const USER_POSTS_PAGE: PageSize = { defaultSize: 20, maxSize: 50 };
export const USERS_PAGE: PageSize = { defaultSize: 20, maxSize: 100 };
/** Comments, likers, followers and following: nested under lists too, so as small as User.posts. */
export const SOCIAL_PAGE: PageSize = { defaultSize: 20, maxSize: 50 };

/** Field options of a connection with this page size, for the cost limit (src/graphql/operation-limits.ts). */
export const paged = (pageSize: PageSize) => ({ pageSize });

/** A page as a Relay connection: an edge per row, its cursor the row's keyset position, its node the row or what it leads to. */
export function connectionOf<Row extends Position, Node = Row>(
  page: Page<Row>,
  nodeOf: (row: Row) => Node = (row) => row as unknown as Node,
) {
  return {
    edges: page.rows.map((row) => ({ cursor: encodeCursor(row), node: nodeOf(row) })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.startCursor,
      endCursor: page.endCursor,
    },
  };
}

/** Resolves a connection: plans the window from its arguments (refusing a malformed cursor first), reads it, slices the page. */
export async function resolveKeysetConnection<Row extends Position, Node = Row>(
  args: PageArgs,
  pageSize: PageSize,
  order: Order,
  read: (window: KeysetWindow) => Promise<Row[]>,
  nodeOf?: (row: Row) => Node,
) {
  const plan = planPage(args, pageSize, order);
  return connectionOf(plan.slice(await read(plan.window)), nodeOf);
}

/** A window of posts read with Prisma, with what the query selects under edges.node. */
function readPosts(context: Context, info: GraphQLResolveInfo, window: KeysetWindow, where: Prisma.PostWhereInput) {
  const { conditions, orderBy, take } = keysetArgs(window);
  return context.db.post.findMany({
    ...queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] }),
    where: { AND: [where, ...conditions] },
    orderBy,
    take,
  }) as Promise<Post[]>;
}

/**
 * The feed: one cached page for every viewer when the selection under edges.node needs no more than
 * posts and their authors' columns, which is what clients ask for; otherwise the general path.
 */
export function resolveFeedConnection(context: Context, info: GraphQLResolveInfo, args: PageArgs) {
  // Records the selection's loading plan for Post.author either way: rows of the cached page carry the author.
  const query = queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] });
  return resolveKeysetConnection(args, FEED_PAGE, 'newest-first', async (window) => {
    const hidden = await context.loaders.hidden();
    if (!needsOnlyAuthors(query)) return readPosts(context, info, window, visiblePostsWhere(hidden));
    return context.services.feed.page(window, hidden);
  });
}

/**
 * The viewer's home feed: rows carry their authors, as the feed's do, and the viewer's facts about both;
 * read on demand (src/db/home-feed.ts).
 */
export function resolveHomeFeedConnection(context: Context, info: GraphQLResolveInfo, args: PageArgs) {
  const viewer = context.viewer;
  if (!viewer) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this.');
  // Records the selection's loading plan for Post.author: the rows carry the author.
  queryFromInfo({ context, info, typeName: 'Post', path: ['edges', 'node'] });
  return resolveKeysetConnection(args, FEED_PAGE, 'newest-first', async (window) => {
    const rows = await context.services.feed.homePage(viewer.id, window, await context.loaders.hidden());
    context.loaders.primeHomeFeedFacts(rows);
    return rows;
  });
}

/** Whether a Prisma query loads nothing beyond the post's own columns and its author's. */
function needsOnlyAuthors(query: { include?: Record<string, unknown>; select?: unknown }): boolean {
  if (query.select !== undefined) return false;
  const include = query.include ?? {};
  return Object.entries(include).every(([relation, value]) => relation === 'author' && value === true);
}
