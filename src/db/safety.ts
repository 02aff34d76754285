// Safety as the database holds it: blocks, the rows a viewer must not see, and the SQL conditions every
// read of posts, comments and accounts adds for a viewer. The rule itself (who is invisible to whom)
// is src/services/safety/visibility.ts; here is only how it is read and written in SQL.
import { Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { truthy } from './facts.ts';
import { columnsOf, type KeysetWindow } from './keyset.ts';
import { readPagesByParent } from './pages-by-parent.ts';
import { isUniqueViolation } from './query-errors.ts';
import { type PublicUser, readUser, userColumns } from './rows.ts';

/**
 * What a viewer must not see, as the reads take it: accounts invisible to them (and everything those
 * accounts wrote), single posts and comments, and rows hidden for everyone but their author.
 */
export interface HiddenRows {
  /** A superuser: nothing is hidden, nothing is filtered. */
  seesAll: boolean;
  /** The viewer, who still sees their own hidden rows; null without one. */
  viewerId: string | null;
  /** Accounts invisible to the viewer: blocks either way, accounts the viewer reported. */
  users: ReadonlySet<string>;
  /** Posts and comments the viewer reported. */
  content: ReadonlySet<string>;
}

/** Nothing hidden but the rows hidden for everyone (`hidden`), for a viewer with no blocks or reports. */
export const nothingHiddenFor = (viewerId: string | null, seesAll = false): HiddenRows => ({
  seesAll,
  viewerId,
  users: new Set(),
  content: new Set(),
});

const notIn = (column: Prisma.Sql, ids: ReadonlySet<string>) =>
  ids.size === 0 ? Prisma.empty : Prisma.sql` AND ${column} NOT IN (${Prisma.join([...ids])})`;

/** ` AND ...` keeping the posts (alias `p`) the viewer may see; nothing for a superuser. */
export function andVisiblePosts(hidden: HiddenRows, alias = 'p'): Prisma.Sql {
  return andVisibleWritten(hidden, alias);
}

/** ` AND ...` keeping the comments (alias `c`) the viewer may see. */
export function andVisibleComments(hidden: HiddenRows, alias = 'c'): Prisma.Sql {
  return andVisibleWritten(hidden, alias);
}

function andVisibleWritten(hidden: HiddenRows, alias: string): Prisma.Sql {
  if (hidden.seesAll) return Prisma.empty;
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const ownHidden =
    hidden.viewerId === null
      ? Prisma.sql`NOT ${column('hidden')}`
      : Prisma.sql`(NOT ${column('hidden')} OR ${column('authorId')} = ${hidden.viewerId})`;
  return Prisma.sql` AND ${ownHidden}${notIn(column('authorId'), hidden.users)}${notIn(column('id'), hidden.content)}`;
}

/** ` AND ...` keeping the accounts (alias `u`) the viewer may see. */
export function andVisibleUsers(hidden: HiddenRows, alias = 'u'): Prisma.Sql {
  if (hidden.seesAll) return Prisma.empty;
  const column = (name: string) => Prisma.raw(`${alias}."${name}"`);
  const ownHidden =
    hidden.viewerId === null
      ? Prisma.sql`NOT ${column('hidden')}`
      : Prisma.sql`(NOT ${column('hidden')} OR ${column('id')} = ${hidden.viewerId})`;
  return Prisma.sql` AND ${ownHidden}${notIn(column('id'), hidden.users)}`;
}

/**
 * The accounts on the other side of the viewer's blocks (either way), and the targets of the viewer's
 * open reports, in one statement.
 */
export async function readHiddenFor(db: Db, viewerId: string): Promise<{ users: Set<string>; content: Set<string> }> {
  const rows = await db.$queryRaw<{ kind: string; id: string }[]>`
    SELECT 'USER' AS "kind", b."blockedId" AS "id" FROM "Block" b WHERE b."blockerId" = ${viewerId}
    UNION ALL SELECT 'USER', b."blockerId" FROM "Block" b WHERE b."blockedId" = ${viewerId}
    UNION ALL SELECT CAST(m."targetType" AS TEXT), m."targetId"
      FROM "Report" r JOIN "ModerationCase" m ON m."id" = r."caseId" WHERE r."reporterId" = ${viewerId}`;
  const users = new Set<string>();
  const content = new Set<string>();
  for (const row of rows) (row.kind === 'USER' ? users : content).add(row.id);
  return { users, content };
}

/** Whether either account blocks the other. */
export async function isBlockedBetween(db: Db, a: string, b: string): Promise<boolean> {
  // Raw: asked before every like, follow and comment (src/db/likes.ts says why).
  const [row] = await db.$queryRaw<{ blocked: unknown }[]>`
    SELECT EXISTS (SELECT 1 FROM "Block" WHERE ("blockerId" = ${a} AND "blockedId" = ${b})
                                            OR ("blockerId" = ${b} AND "blockedId" = ${a})) AS "blocked"`;
  return truthy(row?.blocked);
}

/** A block as the viewer's list shows it: the row (its cursor) and the blocked account. */
export interface BlockRow {
  id: string;
  createdAt: Date;
  parentId: string;
  user: PublicUser;
}

/** The accounts each blocker blocks, newest block first (windows of order newest-first). */
export const readBlockedByUser = (db: Db, blockerIds: readonly string[], window: KeysetWindow) =>
  readPagesByParent<BlockRow>(
    db,
    {
      from: Prisma.sql`e."id" AS "edge_id", e."createdAt" AS "edge_createdAt", e."blockerId" AS "edge_parentId", ${userColumns('u', 'user_')}
        FROM "Block" e JOIN "User" u ON u."id" = e."blockedId"`,
      parentColumn: Prisma.raw('e."blockerId"'),
      keyset: columnsOf('e'),
      toRow: (raw) => ({
        id: raw.edge_id as string,
        createdAt: raw.edge_createdAt as Date,
        parentId: raw.edge_parentId as string,
        user: readUser(raw, 'user_'),
      }),
      parentOf: (row) => row.parentId,
    },
    blockerIds,
    window,
  );

/**
 * Blocks `blockedId` for `blockerId`: the row, and both accounts' safetyFilters, in one transaction.
 * False when the block was there already (nothing changed).
 */
export async function insertBlock(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
  try {
    await db.$transaction(async (tx) => {
      await tx.block.create({ data: { blockerId, blockedId } });
      await tx.user.updateMany({
        where: { id: { in: [blockerId, blockedId] } },
        data: { safetyFilters: { increment: 1 } },
      });
    });
    return true;
  } catch (error) {
    // Blocked already (perhaps by a request sent at the same moment): nothing to do.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Removes the block, and lowers both accounts' safetyFilters; false when there was none. */
export async function deleteBlock(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.block.deleteMany({ where: { blockerId, blockedId } });
    if (count === 0) return false;
    await tx.user.updateMany({
      where: { id: { in: [blockerId, blockedId] }, safetyFilters: { gt: 0 } },
      data: { safetyFilters: { decrement: 1 } },
    });
    return true;
  });
}

/** Removes the follows between the two accounts, both ways (the count triggers keep the counts). */
export async function deleteFollowsBetween(db: Db, a: string, b: string): Promise<void> {
  await db.follow.deleteMany({
    where: {
      OR: [
        { followerId: a, followeeId: b },
        { followerId: b, followeeId: a },
      ],
    },
  });
}

/** Removes the notifications either account made for the other (a block: neither hears of the other). */
export async function deleteNotificationsBetween(db: Db, a: string, b: string): Promise<void> {
  await db.notification.deleteMany({
    where: {
      OR: [
        { userId: a, actorId: b },
        { userId: b, actorId: a },
      ],
    },
  });
}
