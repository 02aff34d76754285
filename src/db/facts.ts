// A post's counts and whether the viewer liked it, a user's counts and whether the viewer follows them,
// for all the rows of a page at once (one statement for the posts and their authors). Cached per
// instance by src/services/social/facts.ts until a write changes them (docs/decisions/0011-stored-counts.md,
// 0023-social-facts-cached.md).
import { Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';

export interface PostFacts {
  likeCount: number;
  commentCount: number;
  viewerHasLiked: boolean;
}

export interface UserFacts {
  followerCount: number;
  followingCount: number;
  postCount: number;
  viewerFollows: boolean;
}

// SQLite answers EXISTS with 0/1 and PostgreSQL with a boolean; counts may come back as strings.
export const truthy = (value: unknown) => value === true || value === 1 || value === 1n || value === '1';

/**
 * The facts of each post and of its author, for `viewerId` (null: no viewer, so nothing liked or
 * followed), in one statement: a page asks for both, and on PostgreSQL a round trip costs more than
 * either read. Posts that are gone are absent.
 */
export async function readPostFacts(
  db: Db,
  postIds: readonly string[],
  viewerId: string | null,
): Promise<Map<string, PostFacts & { author: { id: string } & UserFacts }>> {
  if (postIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT p."id", p."likeCount", p."commentCount",
           EXISTS (SELECT 1 FROM "Like" l WHERE l."postId" = p."id" AND l."userId" = ${viewerId ?? ''}) AS "viewerHasLiked",
           u."id" AS "authorId", u."followerCount", u."followingCount", u."postCount",
           EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId ?? ''} AND f."followeeId" = u."id") AS "viewerFollows"
    FROM "Post" p JOIN "User" u ON u."id" = p."authorId" WHERE p."id" IN (${Prisma.join(postIds)})`;
  return new Map(
    rows.map((row) => [
      row.id as string,
      {
        likeCount: Number(row.likeCount),
        commentCount: Number(row.commentCount),
        viewerHasLiked: viewerId !== null && truthy(row.viewerHasLiked),
        author: { id: row.authorId as string, ...userFactsOf(row, viewerId) },
      },
    ]),
  );
}

const userFactsOf = (row: Record<string, unknown>, viewerId: string | null): UserFacts => ({
  followerCount: Number(row.followerCount),
  followingCount: Number(row.followingCount),
  postCount: Number(row.postCount),
  viewerFollows: viewerId !== null && truthy(row.viewerFollows),
});

/** The facts of each user, for `viewerId`. Users that are gone are absent. */
export async function readUserFacts(
  db: Db,
  userIds: readonly string[],
  viewerId: string | null,
): Promise<Map<string, UserFacts>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.$queryRaw<Record<string, unknown>[]>`
    SELECT u."id", u."followerCount", u."followingCount", u."postCount",
           EXISTS (SELECT 1 FROM "Follow" f WHERE f."followerId" = ${viewerId ?? ''} AND f."followeeId" = u."id") AS "viewerFollows"
    FROM "User" u WHERE u."id" IN (${Prisma.join(userIds)})`;
  return new Map(rows.map((row) => [row.id as string, userFactsOf(row, viewerId)]));
}
