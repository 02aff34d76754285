// The hot reads of posts, as raw SQL where Prisma would send more statements or spend more CPU
// planning them than the database spends answering (README "Performance"). The same SQL serves SQLite
// and PostgreSQL: quoted identifiers, bound parameters, and the driver adapters hand back dates and
// booleans typed as Prisma would. Pages are keyset windows (src/db/keyset.ts).
import { type Post, Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { columnsOf, type KeysetWindow, keysetCondition, keysetOrder } from './keyset.ts';
import { readPagesByParent } from './pages-by-parent.ts';
import {
  authorsJoined,
  POSTS_WITH_AUTHORS,
  type PublicUser,
  postColumns,
  readPost,
  readUser,
  userColumns,
} from './rows.ts';
import { andVisiblePosts, type HiddenRows } from './safety.ts';

/** A post with its author, as feed pages carry them. */
export type FeedRow = Post & { author: PublicUser };

/**
 * The statement reading a page of everyone's posts with their authors, all of them or those `hidden`
 * leaves the viewer. Exported so tests can EXPLAIN it.
 */
export function feedPageSql(window: KeysetWindow, hidden?: HiddenRows): Prisma.Sql {
  const p = columnsOf('p');
  return Prisma.sql`
    SELECT ${postColumns('p')}, ${userColumns('u', 'author_')}
    FROM ${POSTS_WITH_AUTHORS}
    WHERE ${keysetCondition(window, p)} AND ${authorsJoined}${hidden ? andVisiblePosts(hidden) : Prisma.empty}
    ORDER BY ${keysetOrder(window, p)}
    LIMIT ${window.take}`;
}

/** A page of everyone's posts with their authors (those a viewer may see, given `hidden`), in one statement. */
export async function readFeedPage(db: Db, window: KeysetWindow, hidden?: HiddenRows): Promise<FeedRow[]> {
  const rows = await db.$queryRaw<Record<string, unknown>[]>(feedPageSql(window, hidden));
  return rows.map((row) => ({ ...readPost(row), author: readUser(row, 'author_') }));
}

/** The same window of posts for each of several authors, in one statement (src/db/pages-by-parent.ts). */
export function readPostsByAuthors(db: Db, authorIds: readonly string[], window: KeysetWindow, hidden?: HiddenRows) {
  return readPagesByParent<Post>(
    db,
    {
      from: Prisma.sql`${postColumns('p')} FROM "Post" p`,
      parentColumn: Prisma.raw('p."authorId"'),
      where: hidden ? andVisiblePosts(hidden) : undefined,
      keyset: columnsOf('p'),
      toRow: (raw) => readPost(raw),
      parentOf: (post) => post.authorId,
    },
    authorIds,
    window,
  );
}
