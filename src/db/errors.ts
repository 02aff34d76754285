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

/** A findUniqueOrThrow (or an update of a row) found no row (P2025). */
export function isRecordNotFound(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'P2025';
}
