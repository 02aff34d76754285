// The feed's hot read: a page of posts with their authors in one statement, where Prisma's findMany
// with include sends two and spends more CPU planning them than the database spends answering
// (README "Performance"). The same SQL serves SQLite and PostgreSQL: quoted identifiers, bound
// parameters, and the driver adapters hand back dates and booleans typed as Prisma would.
import { type Post, Prisma, type User } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';

/** A position in the feed's order: (createdAt, id), newest first. */
export interface FeedPosition {
  createdAt: Date;
  id: string;
}

export interface FeedWindow {
  /** Rows older than this position (a page after it). */
  after: FeedPosition | null;
  /** Rows newer than this position (a page before it). */
  before: FeedPosition | null;
  /** desc walks from new to old; asc is the same window read from its old end. */
  direction: 'asc' | 'desc';
  take: number;
}

/** An author as the feed shows one: every column but the password hash. */
export type FeedAuthor = Omit<User, 'hashedPassword'>;
export type FeedRow = Post & { author: FeedAuthor };

const beyond = ({ createdAt, id }: FeedPosition, op: '<' | '>') =>
  Prisma.sql`(p."createdAt" ${Prisma.raw(op)} ${createdAt} OR (p."createdAt" = ${createdAt} AND p."id" ${Prisma.raw(op)} ${id}))`;

type FlatRow = Post & { [K in keyof FeedAuthor as `author_${K}`]: FeedAuthor[K] };

export async function readFeedPage(db: Db, { after, before, direction, take }: FeedWindow): Promise<FeedRow[]> {
  const conditions = [...(after ? [beyond(after, '<')] : []), ...(before ? [beyond(before, '>')] : [])];
  const where = conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
  const order = Prisma.raw(direction === 'desc' ? 'DESC' : 'ASC');
  const rows = await db.$queryRaw<FlatRow[]>`
    SELECT p."id", p."authorId", p."caption", p."fileType", p."fileName", p."mimeType", p."size", p."storage",
           p."storageKey", p."fileId", p."width", p."height", p."duration", p."createdAt",
           u."id" AS "author_id", u."email" AS "author_email", u."username" AS "author_username",
           u."isActive" AS "author_isActive", u."isSuperuser" AS "author_isSuperuser",
           u."isVerified" AS "author_isVerified", u."createdAt" AS "author_createdAt", u."updatedAt" AS "author_updatedAt"
    FROM "Post" p JOIN "User" u ON u."id" = p."authorId"
    ${where}
    ORDER BY p."createdAt" ${order}, p."id" ${order}
    LIMIT ${take}`;
  return rows.map((row) => ({
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
