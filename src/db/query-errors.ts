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
