// Preloaded into every server a bench starts (node --import tsx --import ./bench/support/instrument.ts),
// so src/ needs no bench hooks. Over the IPC channel the bench asks for:
// - the SQL statements sent through the database drivers so far, and how many PostgreSQL has not yet
//   answered (SQLite's run synchronously: none is ever pending when the server can answer);
// - the event loop's delay since the previous ask: how long the server was too busy to start anything new;
// - the statements sent between a 'record' and a 'recorded' message, with the values bound to them, so a
//   bench can EXPLAIN exactly what one request sent (bench/feed-scale.ts);
// - the CPU time the server process has used so far.
// It also exits when the bench goes away (the IPC channel closes), so a killed bench leaves no server behind.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';

let statements = 0;
let pending = 0;

export interface RecordedStatement {
  sql: string;
  /** The values bound, as the driver received them (the adapters' own encoding of dates and booleans). */
  values: unknown[];
}
/** Only while a bench asks for it: the load itself is measured without this. */
let recorded: RecordedStatement[] | null = null;

// Prisma's SQLite adapter prepares every statement it runs (no statement cache), so prepare() counts them.
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
  statements += 1;
  const statement = prepare.apply(this, args);
  if (recorded) {
    const list = recorded;
    const sql = String(args[0]);
    const bind = statement.bind;
    // The adapter binds its values once, as one array, before it runs the statement.
    statement.bind = function (this: typeof statement, ...values: unknown[]) {
      list.push({ sql, values: values.length === 1 && Array.isArray(values[0]) ? values[0] : values });
      return (bind as (...v: unknown[]) => typeof statement).apply(this, values);
    } as typeof bind;
  }
  return statement;
} as typeof prepare;

// Prisma's PostgreSQL adapter sends everything through a pg.Pool, whose clients are pg.Client.
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  const [first, second] = args as [unknown, unknown];
  if (recorded && first !== null && typeof first === 'object' && 'text' in first) {
    const { text, values } = first as { text: string; values?: unknown[] };
    recorded.push({ sql: text, values: values ?? [] });
  } else if (recorded && typeof first === 'string') {
    recorded.push({ sql: first, values: Array.isArray(second) ? second : [] });
  }
  // pg-pool passes a callback; a client used directly answers a promise.
  pending += 1;
  const done = () => {
    pending -= 1;
  };
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = function (this: unknown, ...results: unknown[]) {
      done();
      return callback.apply(this, results);
    };
  }
  const result = (query as (...a: unknown[]) => unknown).apply(this, args);
  if (typeof callback !== 'function') {
    if (result instanceof Promise) result.then(done, done);
    else done();
  }
  return result;
} as typeof query;

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

export interface ServerStats {
  sqlStatements: number;
  /** PostgreSQL statements sent and not yet answered. */
  sqlPending: number;
  /** Milliseconds, since the previous stats message. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** Milliseconds of CPU (user and system) the server process has used since it started. */
  cpuMs: number;
}

if (process.send) {
  process.on('message', (message) => {
    if (message === 'record') {
      recorded = [];
      process.send!({ recording: true });
      return;
    }
    if (message === 'recorded') {
      // IPC messages are JSON: a bigint would not survive.
      const plain = (value: unknown) => (typeof value === 'bigint' ? value.toString() : value);
      process.send!({ recorded: (recorded ?? []).map(({ sql, values }) => ({ sql, values: values.map(plain) })) });
      recorded = null;
      return;
    }
    if (message !== 'stats') return;
    const ms = (ns: number) => ns / 1e6;
    const cpu = process.cpuUsage();
    const stats: ServerStats = {
      sqlStatements: statements,
      sqlPending: pending,
      eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    delay.reset();
    process.send!(stats);
  });
  // The server's own SIGTERM handler shuts it down gracefully.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
