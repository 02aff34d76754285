// The home feed: posts by the accounts a viewer follows and by the viewer, newest first, read on demand
// from the follow graph (fan-out on read; docs/decisions/0012-home-feed-on-read.md). Two plans, by how
// many accounts the viewer follows, each a bounded read whatever the table's size or the page's depth:
// - a few: one indexed range per account, each limited to the page, merged (a UNION ALL);
// - many: the global (createdAt, id) index walked from the cursor, keeping the posts of followed accounts
//   (one lookup in Follow's unique index per post): with many followed, matches come quickly.
import { Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { columnsOf, type KeysetWindow, keysetCondition, keysetOrder } from './keyset.ts';
import type { FeedRow } from './post-pages.ts';
import { postColumns, readPost, readUser, userColumns } from './rows.ts';

/** Up to this many followed accounts, the page is merged from one range per account. */
export const HOME_FEED_MERGE_LIMIT = 100;

export async function readHomeFeedPage(db: Db, viewerId: string, window: KeysetWindow): Promise<FeedRow[]> {
  const followed = await db.follow.findMany({
    where: { followerId: viewerId },
    select: { followeeId: true },
    take: HOME_FEED_MERGE_LIMIT + 1,
  });
  const p = columnsOf('p');
  const select = Prisma.sql`SELECT ${postColumns('p')}, ${userColumns('u', 'author_')} FROM "Post" p JOIN "User" u ON u."id" = p."authorId"`;
  let rows: Record<string, unknown>[];
  if (followed.length <= HOME_FEED_MERGE_LIMIT) {
    const authors = [viewerId, ...followed.map((follow) => follow.followeeId)];
    const branches = authors.map(
      (authorId) => Prisma.sql`SELECT * FROM (
        ${select} WHERE p."authorId" = ${authorId} AND ${keysetCondition(window, p)}
        ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}) AS page`,
    );
    const merged = columnsOf('merged');
    rows = await db.$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM (${Prisma.join(branches, ' UNION ALL ')}) AS merged
      ORDER BY ${keysetOrder(window, merged)} LIMIT ${window.take}`;
  } else {
    rows = await db.$queryRaw<Record<string, unknown>[]>`
      ${select}
      WHERE ${keysetCondition(window, p)}
        AND (p."authorId" = ${viewerId}
             OR EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId} AND f."followeeId" = p."authorId"))
      ORDER BY ${keysetOrder(window, p)} LIMIT ${window.take}`;
  }
  return rows.map((row) => ({ ...readPost(row), author: readUser(row, 'author_') }));
}
