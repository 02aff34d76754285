// A like's rows as the likes service writes them: in raw SQL, as the hot reads are. A like is written
// several times a second while the feed is read, and each model query Prisma 6.19 compiles on the event
// loop costs about three times the CPU of the same statement sent raw, and leaves garbage the collector
// then sweeps while the feed is busy (README, Performance: bench:feed under writes).
import { randomUUID } from 'node:crypto';
import type { Db } from './client.ts';

/** The post's author, or null when there is no such post. */
export async function readPostAuthor(db: Db, postId: string): Promise<{ id: string; authorId: string } | null> {
  const [row] = await db.$queryRaw<{ id: string; authorId: string }[]>`
    SELECT "id", "authorId" FROM "Post" WHERE "id" = ${postId}`;
  return row ?? null;
}

/**
 * Likes the post for the user; false when they already did (the pair is unique, so a like sent twice at
 * once writes one row). A post or user that is gone is a foreign key violation (isForeignKeyViolation).
 */
export async function insertLike(db: Db, postId: string, userId: string): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "Like" ("id", "postId", "userId", "createdAt") VALUES (${randomUUID()}, ${postId}, ${userId}, ${new Date()})
    ON CONFLICT ("postId", "userId") DO NOTHING`;
  return inserted > 0;
}

/** Takes back the user's like of the post; false when there was none. */
export async function deleteLike(db: Db, postId: string, userId: string): Promise<boolean> {
  const deleted = await db.$executeRaw`DELETE FROM "Like" WHERE "postId" = ${postId} AND "userId" = ${userId}`;
  return deleted > 0;
}
