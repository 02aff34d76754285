// The home feed: posts by the accounts a viewer follows and by the viewer, newest first, read on demand
// from the follow graph (fan-out on read; docs/decisions/0012-home-feed-on-read.md). Two plans, by how
// many accounts the viewer follows, each a bounded read whatever the table's size or the page's depth:
// - a few: one indexed range per account, each limited to the page, merged (a UNION ALL);
// - many: the global (createdAt, id) index walked from the cursor, keeping the posts of followed accounts
//   (one lookup in Follow's unique index per post): with many followed, matches come quickly.
// The page is read for one viewer and never cached, so the same statement reads the viewer's facts about
// its rows (src/db/facts.ts): a page costs no statements for them afterwards.
import { Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { truthy } from './facts.ts';
import { columnsOf, type KeysetWindow, keysetCondition, keysetOrder, sortInReadOrder } from './keyset.ts';
import type { FeedRow } from './post-pages.ts';
import { authorsJoined, POSTS_WITH_AUTHORS, postColumns, readPost, readUser, userColumns } from './rows.ts';
import { andVisiblePosts, type HiddenRows } from './safety.ts';

/** Up to this many followed accounts, the page is merged from one range per account. */
export const HOME_FEED_MERGE_LIMIT = 100;

/** A post of the home feed with its author, and whether the viewer likes the post and follows its author. */
export type HomeFeedRow = FeedRow & { viewerHasLiked: boolean; viewerFollowsAuthor: boolean };

/**
 * The statement reading one page: merged from the ranges of `authors` (the viewer and those they follow),
 * or, with `authors` null (too many to merge), the global walk. Exported so tests can EXPLAIN it.
 */
export function homeFeedPageSql(
  viewerId: string,
  authors: readonly string[] | null,
  window: KeysetWindow,
  hidden?: HiddenRows,
): Prisma.Sql {
  const visible = hidden ? andVisiblePosts(hidden) : Prisma.empty;
  const p = columnsOf('p');
  const select = Prisma.sql`SELECT ${postColumns('p')}, ${userColumns('u', 'author_')} FROM ${POSTS_WITH_AUTHORS}`;
  let page: Prisma.Sql;
  if (authors) {
    // The branches read only the keys (from the covering (authorId, createdAt, id) index), so the
    // statement stays small however many accounts it merges; the page's rows are then read by id.
    const branches = authors.map(
      (authorId) => Prisma.sql`SELECT * FROM (
        SELECT p."id", p."createdAt" FROM "Post" p WHERE p."authorId" = ${authorId} AND ${keysetCondition(window, p)}${visible}
        ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}) AS author_page`,
    );
    const merged = columnsOf('merged');
    page = Prisma.sql`${select}
      WHERE ${authorsJoined} AND p."id" IN (
        SELECT merged."id" FROM (${Prisma.join(branches, ' UNION ALL ')}) AS merged
        ORDER BY ${keysetOrder(window, merged)} LIMIT ${window.take})`;
  } else {
    page = Prisma.sql`${select}
      WHERE ${keysetCondition(window, p)} AND ${authorsJoined}${visible}
        AND (p."authorId" = ${viewerId}
             OR EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId} AND f."followeeId" = p."authorId"))
      ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}`;
  }
  // The facts are looked up for the page's rows only, once it is cut to size.
  return Prisma.sql`SELECT page.*,
      EXISTS (SELECT 1 FROM "Like" l WHERE l."postId" = page."id" AND l."userId" = ${viewerId}) AS "viewerHasLiked",
      EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId} AND f."followeeId" = page."authorId") AS "viewerFollowsAuthor"
    FROM (${page}) AS page`;
}

/**
 * The authors a viewer's home feed merges (the viewer and those they follow), or null when they follow
 * more than HOME_FEED_MERGE_LIMIT (the page then walks the global index).
 */
export async function readHomeFeedAuthors(db: Db, viewerId: string): Promise<string[] | null> {
  // Raw, as the page is: a model query costs about three times the CPU of this one in Prisma's
  // query compiler, and the home feed is read on every request (bench/home-feed.ts).
  const followed = await db.$queryRaw<{ followeeId: string }[]>`
    SELECT "followeeId" FROM "Follow" WHERE "followerId" = ${viewerId} LIMIT ${HOME_FEED_MERGE_LIMIT + 1}`;
  return followed.length <= HOME_FEED_MERGE_LIMIT ? [viewerId, ...followed.map((follow) => follow.followeeId)] : null;
}

/** One page of the home feed, for `authors` as readHomeFeedAuthors gives them. */
export async function readHomeFeedPage(
  db: Db,
  viewerId: string,
  authors: readonly string[] | null,
  window: KeysetWindow,
  hidden?: HiddenRows,
): Promise<HomeFeedRow[]> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>(homeFeedPageSql(viewerId, authors, window, hidden));
  // The outer SELECT keeps no order of its own.
  return sortInReadOrder(
    window,
    rows.map((row) => ({
      ...readPost(row),
      author: readUser(row, 'author_'),
      viewerHasLiked: truthy(row.viewerHasLiked),
      viewerFollowsAuthor: truthy(row.viewerFollowsAuthor),
    })),
  );
}
