// The social connections as raw reads, one statement for any number of parents (src/db/pages-by-parent.ts):
// a post's likers and comments, a user's followers and following. Each edge's cursor is the position of
// the row that makes it (the like, the follow, the comment), so paging is exact however many share a
// timestamp; the node is the user or comment it leads to.
import { type Comment, Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { columnsOf, type KeysetWindow } from './keyset.ts';
import { readPagesByParent } from './pages-by-parent.ts';
import { commentColumns, type PublicUser, readComment, readUser, userColumns } from './rows.ts';
import { andVisibleComments, andVisibleUsers, type HiddenRows } from './safety.ts';

/** An edge to a user: the row that links them (a like or a follow), and the user. */
export interface UserEdgeRow {
  id: string;
  createdAt: Date;
  parentId: string;
  user: PublicUser;
}

/** A comment with its author, as comment pages carry them. */
export type CommentRow = Comment & { author: PublicUser };

const userEdges = (table: 'Like' | 'Follow', parentColumn: string, userColumn: string, hidden?: HiddenRows) => ({
  from: Prisma.sql`e."id" AS "edge_id", e."createdAt" AS "edge_createdAt", e.${Prisma.raw(`"${parentColumn}"`)} AS "edge_parentId", ${userColumns('u', 'user_')}
    FROM ${Prisma.raw(`"${table}"`)} e JOIN "User" u ON u."id" = e.${Prisma.raw(`"${userColumn}"`)}`,
  parentColumn: Prisma.raw(`e."${parentColumn}"`),
  where: hidden ? andVisibleUsers(hidden) : undefined,
  keyset: columnsOf('e'),
  toRow: (raw: Record<string, unknown>): UserEdgeRow => ({
    id: raw.edge_id as string,
    createdAt: raw.edge_createdAt as Date,
    parentId: raw.edge_parentId as string,
    user: readUser(raw, 'user_'),
  }),
  parentOf: (row: UserEdgeRow) => row.parentId,
});

/** Who liked each post, newest like first (windows of order newest-first). */
export const readLikersByPost = (db: Db, postIds: readonly string[], window: KeysetWindow, hidden?: HiddenRows) =>
  readPagesByParent(db, userEdges('Like', 'postId', 'userId', hidden), postIds, window);

/** Who follows each user, newest follow first. */
export const readFollowersByUser = (db: Db, userIds: readonly string[], window: KeysetWindow, hidden?: HiddenRows) =>
  readPagesByParent(db, userEdges('Follow', 'followeeId', 'followerId', hidden), userIds, window);

/** Whom each user follows, newest follow first. */
export const readFollowingByUser = (db: Db, userIds: readonly string[], window: KeysetWindow, hidden?: HiddenRows) =>
  readPagesByParent(db, userEdges('Follow', 'followerId', 'followeeId', hidden), userIds, window);

/** Each post's comments with their authors, oldest first (windows of order oldest-first). */
export const readCommentsByPost = (db: Db, postIds: readonly string[], window: KeysetWindow, hidden?: HiddenRows) =>
  readPagesByParent<CommentRow>(
    db,
    {
      from: Prisma.sql`${commentColumns('c')}, ${userColumns('u', 'author_')} FROM "Comment" c JOIN "User" u ON u."id" = c."authorId"`,
      parentColumn: Prisma.raw('c."postId"'),
      where: hidden ? andVisibleComments(hidden) : undefined,
      keyset: columnsOf('c'),
      toRow: (raw) => ({ ...readComment(raw), author: readUser(raw, 'author_') }),
      parentOf: (comment) => comment.postId,
    },
    postIds,
    window,
  );
