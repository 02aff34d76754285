// The hot reads of posts, as raw SQL where Prisma would send more statements or spend more CPU
// planning them than the database spends answering (README "Performance"). The same SQL serves SQLite
// and PostgreSQL: quoted identifiers, bound parameters, and the driver adapters hand back dates and
// booleans typed as Prisma would. Pages are keyset windows (src/db/keyset.ts).
import { type Post, Prisma, type User } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { columnsOf, type KeysetWindow, keysetCondition, keysetOrder, sortInReadOrder } from './keyset.ts';

/** An author as the feed shows one: every column but the password hash. */
export type FeedAuthor = Omit<User, 'hashedPassword'>;
export type FeedRow = Post & { author: FeedAuthor };

const POST_COLUMNS = Prisma.raw(
  ['id', 'authorId', 'caption', 'fileType', 'fileName', 'mimeType', 'size', 'storage', 'storageKey', 'fileId']
    .concat(['width', 'height', 'duration', 'createdAt'])
    .map((column) => `p."${column}"`)
    .join(', '),
);

type FlatRow = Post & { [K in keyof FeedAuthor as `author_${K}`]: FeedAuthor[K] };

/** A post row as the driver hands it back, with numbers as numbers (PostgreSQL's bigint-safe strings aside). */
function postOf(row: Post): Post {
  return {
    id: row.id,
    authorId: row.authorId,
    caption: row.caption,
    fileType: row.fileType,
    fileName: row.fileName,
    mimeType: row.mimeType,
    size: Number(row.size),
    storage: row.storage,
    storageKey: row.storageKey,
    fileId: row.fileId,
    width: row.width === null ? null : Number(row.width),
    height: row.height === null ? null : Number(row.height),
    duration: row.duration === null ? null : Number(row.duration),
    createdAt: row.createdAt,
  };
}

/** A page of everyone's posts with their authors, in one statement. */
export async function readFeedPage(db: Db, window: KeysetWindow): Promise<FeedRow[]> {
  const p = columnsOf('p');
  const rows = await db.$queryRaw<FlatRow[]>`
    SELECT ${POST_COLUMNS},
           u."id" AS "author_id", u."email" AS "author_email", u."username" AS "author_username",
           u."isActive" AS "author_isActive", u."isSuperuser" AS "author_isSuperuser",
           u."isVerified" AS "author_isVerified", u."createdAt" AS "author_createdAt", u."updatedAt" AS "author_updatedAt"
    FROM "Post" p JOIN "User" u ON u."id" = p."authorId"
    WHERE ${keysetCondition(window, p)}
    ORDER BY ${keysetOrder(window, p)}
    LIMIT ${window.take}`;
  return rows.map((row) => ({
    ...postOf(row),
    author: {
      id: row.author_id,
      email: row.author_email,
      username: row.author_username,
      isActive: row.author_isActive,
      isSuperuser: row.author_isSuperuser,
      isVerified: row.author_isVerified,
      createdAt: row.author_createdAt,
      updatedAt: row.author_updatedAt,
    },
  }));
}

/**
 * The same window of posts for each of several authors, in one statement: a UNION ALL of one indexed
 * range per author (SQLite has no LATERAL join), each limited on its own, so a page nested under a list
 * (feed → author → posts) costs one statement whatever the list's length, and reads window.take rows
 * per author however many posts each has.
 */
export async function readPostsByAuthors(
  db: Db,
  authorIds: readonly string[],
  window: KeysetWindow,
): Promise<Map<string, Post[]>> {
  const byAuthor = new Map<string, Post[]>(authorIds.map((id) => [id, []]));
  if (authorIds.length === 0) return byAuthor;
  const p = columnsOf('p');
  const branches = [...byAuthor.keys()].map(
    (authorId) => Prisma.sql`SELECT * FROM (
      SELECT ${POST_COLUMNS} FROM "Post" p
      WHERE p."authorId" = ${authorId} AND ${keysetCondition(window, p)}
      ORDER BY ${keysetOrder(window, p)}
      LIMIT ${window.take}) AS page`,
  );
  const rows = await db.$queryRaw<Post[]>`${Prisma.join(branches, ' UNION ALL ')}`;
  for (const row of rows) byAuthor.get(row.authorId)?.push(postOf(row));
  // SQL promises no order for a UNION ALL, whatever its branches' ORDER BY.
  for (const posts of byAuthor.values()) sortInReadOrder(window, posts);
  return byAuthor;
}
