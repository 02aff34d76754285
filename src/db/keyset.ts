// Keyset pagination, the one module every connection pages with (docs/decisions/0001-keyset-pagination.md).
// Rows are ordered by (createdAt, id), newest first or oldest first, and a cursor holds both values of
// its row, so paging has no duplicates or gaps when rows share a timestamp or the cursor's own row is
// deleted between pages. A page is read as a range of the (createdAt, id) index however deep it is:
// the condition is a row value, `(createdAt, id) < (?, ?)`, which SQLite and PostgreSQL both serve
// as an index range (an OR of the two columns makes them scan from the newest row down to the cursor).
//
// Here: the cursor codec, the window a request asks for, the SQL condition and order for it, and the
// slicing of what was read into a page with hasNextPage/hasPreviousPage. Pothos' connection-argument
// rules (first/last/after/before, default and maximum sizes) decide the window, as its relay helper would.
import { parseCursorConnectionArgs } from '@pothos/core';
import { badInput } from '../errors.ts';
import { Prisma } from '../generated/sqlite/client.ts';

/** A row's place in the order. */
export interface Position {
  createdAt: Date;
  id: string;
}

/** Which rows come first in a connection. */
export type Order = 'newest-first' | 'oldest-first';

export interface PageSize {
  defaultSize: number;
  maxSize: number;
}

/** A connection's paging arguments, as GraphQL hands them over. */
export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

/** What to read: rows past `after` and short of `before` (in the connection's order), `take` of them, from `read`'s end. */
export interface KeysetWindow {
  order: Order;
  after: Position | null;
  before: Position | null;
  /** The direction rows are read in: the connection's own order, or reversed for a page asked with `last`. */
  read: 'forward' | 'backward';
  /** One more than the page holds, so whether there is more is known without another statement. */
  take: number;
}

export interface Page<Row> {
  rows: Row[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  /** The first and last rows' cursors; for an empty page the cursor it was asked from, or null. */
  startCursor: string | null;
  endCursor: string | null;
}

/** A window and how to slice what it reads into a page. */
export interface PagePlan {
  window: KeysetWindow;
  /** Turns the rows read (in read order, up to window.take) into the page. */
  slice<Row extends Position>(rows: Row[]): Page<Row>;
}

const CURSOR_ID = /^[0-9a-f-]{36}$/;

export function encodeCursor({ createdAt, id }: Position): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [iso, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(iso ?? '');
  if (
    rest.length ||
    !id ||
    !CURSOR_ID.test(id) ||
    Number.isNaN(createdAt.getTime()) ||
    createdAt.toISOString() !== iso
  ) {
    throw badInput('Malformed cursor.', { field: 'cursor' });
  }
  return { createdAt, id };
}

/**
 * The window a connection's arguments ask for, and how to slice what it reads. Cursors are decoded
 * first, so a malformed one is refused before any statement runs.
 */
export function planPage(args: PageArgs, pageSize: PageSize, order: Order): PagePlan {
  const after = args.after ? decodeCursor(args.after) : null;
  const before = args.before ? decodeCursor(args.before) : null;
  const parsed = parseCursorConnectionArgs({ args, ...pageSize });
  const window: KeysetWindow = {
    order,
    after,
    before,
    read: parsed.inverted ? 'backward' : 'forward',
    take: parsed.limit,
  };
  return {
    window,
    slice(rows) {
      const kept = rows.slice(0, parsed.expectedSize);
      if (parsed.inverted) kept.reverse();
      // An empty page keeps the cursor it was asked from (so a client can ask again later), or null
      // where clients (Apollo's relayStylePagination among them) expect null rather than ''.
      const asked = args.after ?? args.before ?? null;
      const first = kept[0];
      const last = kept.at(-1);
      return {
        rows: kept,
        hasNextPage: parsed.hasNextPage(rows.length),
        hasPreviousPage: parsed.hasPreviousPage(rows.length),
        startCursor: first ? encodeCursor(first) : asked,
        endCursor: last ? encodeCursor(last) : asked,
      };
    },
  };
}

/** Whether rows are read newest first. */
function descending({ order, read }: Pick<KeysetWindow, 'order' | 'read'>): boolean {
  return (order === 'newest-first') === (read === 'forward');
}

/** `after` is further along the connection's order: older for newest-first, newer for oldest-first. */
function bounds({ order, after, before }: KeysetWindow) {
  const [older, newer] = order === 'newest-first' ? [after, before] : [before, after];
  return { below: older, above: newer };
}

/** Columns as the SQL names them, e.g. p."createdAt" and p."id". */
export interface KeysetColumns {
  createdAt: Prisma.Sql;
  id: Prisma.Sql;
}

/** The columns of a table alias: `p` gives p."createdAt" and p."id". */
export const columnsOf = (alias: string): KeysetColumns => ({
  createdAt: Prisma.raw(`${alias}."createdAt"`),
  id: Prisma.raw(`${alias}."id"`),
});

/** The window's condition as a row value, which both databases serve as a range of a (createdAt, id) index. */
export function keysetCondition(window: KeysetWindow, columns: KeysetColumns): Prisma.Sql {
  const { below, above } = bounds(window);
  const row = Prisma.sql`(${columns.createdAt}, ${columns.id})`;
  const parts = [
    ...(below ? [Prisma.sql`${row} < (${below.createdAt}, ${below.id})`] : []),
    ...(above ? [Prisma.sql`${row} > (${above.createdAt}, ${above.id})`] : []),
  ];
  return parts.length > 0 ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

/** ORDER BY for the window's read direction. */
export function keysetOrder(window: KeysetWindow, columns: KeysetColumns): Prisma.Sql {
  const direction = Prisma.raw(descending(window) ? 'DESC' : 'ASC');
  return Prisma.sql`${columns.createdAt} ${direction}, ${columns.id} ${direction}`;
}

/**
 * The window as Prisma findMany arguments, for reads Prisma composes (nested selections, filters).
 * Prisma cannot write a row value, so the condition is its bounded equivalent: `createdAt <= X AND
 * (createdAt < X OR id < Y)`, whose first part the index serves as a range and whose second only sorts
 * out the rows sharing X.
 */
export function keysetArgs(window: KeysetWindow) {
  const { below, above } = bounds(window);
  const conditions = [
    ...(below
      ? [
          {
            createdAt: { lte: below.createdAt },
            OR: [{ createdAt: { lt: below.createdAt } }, { id: { lt: below.id } }],
          },
        ]
      : []),
    ...(above
      ? [
          {
            createdAt: { gte: above.createdAt },
            OR: [{ createdAt: { gt: above.createdAt } }, { id: { gt: above.id } }],
          },
        ]
      : []),
  ];
  const direction = descending(window) ? ('desc' as const) : ('asc' as const);
  return {
    conditions,
    orderBy: [{ createdAt: direction }, { id: direction }] as [
      { createdAt: typeof direction },
      { id: typeof direction },
    ],
    take: window.take,
  };
}

/** The window continued past `row` in its own read direction, to read more of one page (a filtered read). */
export function continuedAfter(window: KeysetWindow, row: Position): KeysetWindow {
  const towardsOlder = descending(window);
  const pastRow = { ...window };
  // Reading towards older rows, the rest are below `row`; towards newer, above it.
  if (towardsOlder === (window.order === 'newest-first')) pastRow.after = row;
  else pastRow.before = row;
  return pastRow;
}

/** Sorts rows in the window's read order, for reads that do not keep it (a UNION ALL of ranges). */
export function sortInReadOrder<Row extends Position>(window: KeysetWindow, rows: Row[]): Row[] {
  const sign = descending(window) ? -1 : 1;
  return rows.sort(
    (a, b) => sign * (a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
}

/** A string naming the window, for caches and for batching reads of the same window. */
export function windowKey({ order, read, take, after, before }: KeysetWindow): string {
  const at = (position: Position | null) => (position ? `${position.createdAt.toISOString()}/${position.id}` : '');
  return [order, read, take, at(after), at(before)].join('|');
}
