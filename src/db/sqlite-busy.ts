// SQLite allows one writer at a time. better-sqlite3 waits for the lock synchronously, blocking the
// event loop (and so every other request) while it waits; a long wait freezes the server. So the
// driver waits only briefly, and a statement that finds the database locked is retried here, without
// blocking, with growing pauses, until SQLITE_BUSY_TIMEOUT_MS has passed. Then the error goes up and
// is answered DATABASE_BUSY (src/graphql/error-masking.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import type { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

/** How long the driver itself blocks waiting for the lock, per attempt. */
export const SQLITE_LOCK_WAIT_MS = 20;

/** SQLITE_BUSY as the driver adapter reports it, or as Prisma's client passes it on (P1008). */
export function isSqliteBusy(error: unknown): boolean {
  type Cause = { cause?: { originalCode?: unknown } };
  const driverError =
    (error as { meta?: { driverAdapterError?: Cause } })?.meta?.driverAdapterError ?? (error as Cause);
  const code = driverError?.cause?.originalCode;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

async function retryWhileBusy<T>(run: () => Promise<T>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 250)) {
    try {
      return await run();
    } catch (error) {
      if (!isSqliteBusy(error) || Date.now() + pause > deadline) throw error;
      await sleep(pause);
    }
  }
}

/** The adapter factory, with each statement (in a transaction or not) retried while the database is locked. */
export function withBusyRetry(factory: PrismaBetterSQLite3, timeoutMs: number): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const { queryRaw, executeRaw, startTransaction } = adapter;
    adapter.queryRaw = (query) => retryWhileBusy(() => queryRaw.call(adapter, query), timeoutMs);
    adapter.executeRaw = (query) => retryWhileBusy(() => executeRaw.call(adapter, query), timeoutMs);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await retryWhileBusy(() => startTransaction.call(adapter, isolationLevel), timeoutMs);
      const { queryRaw: txQuery, executeRaw: txExecute } = transaction;
      transaction.queryRaw = (query) => retryWhileBusy(() => txQuery.call(transaction, query), timeoutMs);
      transaction.executeRaw = (query) => retryWhileBusy(() => txExecute.call(transaction, query), timeoutMs);
      return transaction;
    };
    return adapter;
  };
  return factory;
}
