// What a failed query means, in Prisma's codes (https://www.prisma.io/docs/orm/reference/error-reference),
// as both providers report them.

/** A write ran into a unique index (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'P2002';
}

/** The columns of the unique index a write ran into (driver adapters report them under meta). */
export function uniqueViolationFields(error: unknown): string[] {
  if (!isUniqueViolation(error)) return [];
  const meta = (
    error as { meta?: { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: unknown } } } } }
  ).meta;
  const fields = meta?.driverAdapterError?.cause?.constraint?.fields ?? meta?.target;
  return Array.isArray(fields) ? fields.map(String) : [];
}

/**
 * A write referred to a row that is not there (P2003), such as a post whose author was deleted
 * meanwhile. Both driver adapters report it so (SQLite's SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL's
 * 23503); the adapter's own kind is there too, for raw SQL, which Prisma reports under another code.
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const { code, meta } = (error ?? {}) as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  return code === 'P2003' || meta?.driverAdapterError?.cause?.kind === 'ForeignKeyConstraintViolation';
}

/** A findUniqueOrThrow (or an update of a row) found no row (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'P2025';
}

/**
 * The database could not be reached, or stopped answering: connection refused, reset or closed, no
 * connection (or no free one) within DATABASE_TIMEOUT_MS, a statement not answered within it, the
 * server shutting down or starting up. Not the query's fault: the answer is SERVICE_UNAVAILABLE.
 * Checked along the cause chain, since Prisma, the driver adapter and pg each wrap the one below.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth += 1) {
    if (isUnreachableItself(cause)) return true;
    const { meta, cause: next } = cause as { meta?: { driverAdapterError?: unknown }; cause?: unknown };
    cause = meta?.driverAdapterError ?? next;
  }
  return false;
}

/** Prisma's codes for a server it cannot reach (P1001), that timed out (P1002) or closed the connection (P1017). */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017']);
/** The driver adapter's kinds for the same. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout']);
/**
 * pg's own messages: the pool's wait for a connection, a new connection's own timeout (src/db/client.ts),
 * a statement's timeout, a connection that ended mid-query.
 */
const UNREACHABLE_PG_MESSAGES = [
  'timeout exceeded when trying to connect',
  'timeout expired',
  'Query read timeout',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
];
/**
 * PostgreSQL's SQLSTATEs for a connection going away: class 08 (connection exception), and 57P01-57P03
 * (terminated by an administrator, a crash, or the server is starting up or shutting down).
 */
const UNREACHABLE_SQLSTATE = /^(08|57P0[1-3])/;

function isUnreachableItself(error: unknown): boolean {
  const { code, kind, originalCode, message } = error as {
    code?: unknown;
    kind?: unknown;
    originalCode?: unknown;
    message?: unknown;
  };
  if (typeof code === 'string' && UNREACHABLE_PRISMA_CODES.has(code)) return true;
  if (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) return true;
  if (typeof originalCode === 'string' && UNREACHABLE_SQLSTATE.test(originalCode)) return true;
  return typeof message === 'string' && UNREACHABLE_PG_MESSAGES.some((m) => message.startsWith(m));
}
