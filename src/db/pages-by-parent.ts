// One keyset window of child rows for each of several parents, in one statement: a UNION ALL of one
// indexed range per parent (SQLite has no LATERAL join), each limited on its own. A connection nested
// under a list (feed → author → posts, post → comments, post → likers) costs one statement for the
// whole list, and reads window.take rows per parent however many children each has.
import { Prisma } from '../generated/sqlite/client.ts';
import type { Db } from './client.ts';
import { type KeysetColumns, type KeysetWindow, keysetCondition, keysetOrder, sortInReadOrder } from './keyset.ts';

export interface ChildPages<Row> {
  /** SELECT list and FROM clause of one parent's rows, e.g. `p."id", ... FROM "Post" p`. */
  from: Prisma.Sql;
  /** The column naming the parent, e.g. p."authorId". */
  parentColumn: Prisma.Sql;
  /** More conditions on the rows, as ` AND ...` (what the viewer may see: src/db/safety.ts). */
  where?: Prisma.Sql;
  /** The keyset columns of the child rows (the edges' cursors). */
  keyset: KeysetColumns;
  /** Turns a raw row into what the connection's edges hold; it must keep createdAt and id. */
  toRow: (raw: Record<string, unknown>) => Row & { createdAt: Date; id: string };
  /** The parent of a row, as `parentColumn` holds it. */
  parentOf: (row: Row) => string;
}

/**
 * SQLite refuses a compound SELECT of more than 500 terms (SQLITE_MAX_COMPOUND_SELECT), which aliased
 * pages can reach (8 feed pages of 100 posts nesting likers): more parents than this go in several statements.
 */
export const MAX_PARENTS_PER_STATEMENT = 100;

export async function readPagesByParent<Row>(
  db: Db,
  spec: ChildPages<Row>,
  parentIds: readonly string[],
  window: KeysetWindow,
): Promise<Map<string, (Row & { createdAt: Date; id: string })[]>> {
  const byParent = new Map<string, (Row & { createdAt: Date; id: string })[]>(parentIds.map((id) => [id, []]));
  const parents = [...byParent.keys()];
  for (let start = 0; start < parents.length; start += MAX_PARENTS_PER_STATEMENT) {
    const branches = parents.slice(start, start + MAX_PARENTS_PER_STATEMENT).map(
      (parentId) => Prisma.sql`SELECT * FROM (
      SELECT ${spec.from}
      WHERE ${spec.parentColumn} = ${parentId} AND ${keysetCondition(window, spec.keyset)}${spec.where ?? Prisma.empty}
      ORDER BY ${keysetOrder(window, spec.keyset)}
      LIMIT ${window.take}) AS page`,
    );
    const raw = await db.$queryRaw<Record<string, unknown>[]>`${Prisma.join(branches, ' UNION ALL ')}`;
    for (const row of raw.map(spec.toRow)) byParent.get(spec.parentOf(row))?.push(row);
  }
  // SQL promises no order for a UNION ALL, whatever its branches' ORDER BY.
  for (const rows of byParent.values()) sortInReadOrder(window, rows);
  return byParent;
}
