// Preloaded into every server a bench starts (node --import tsx --import ./bench/support/instrument.ts),
// so src/ needs no bench hooks. Over the IPC channel the bench asks for:
// - the SQL statements sent through the database drivers so far;
// - the event loop's delay since the previous ask: how long the server was too busy to start anything new;
// - the CPU time the server process has used so far.
// It also exits when the bench goes away (the IPC channel closes), so a killed bench leaves no server behind.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import pg from 'pg';

let statements = 0;

// Prisma's SQLite adapter prepares every statement it runs (no statement cache), so prepare() counts them.
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
  statements += 1;
  return prepare.apply(this, args);
} as typeof prepare;

// Prisma's PostgreSQL adapter sends everything through a pg.Pool, whose clients are pg.Client.
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();

export interface ServerStats {
  sqlStatements: number;
  /** Milliseconds, since the previous stats message. */
  eventLoopDelay: { p50: number; p99: number; max: number };
  /** Milliseconds of CPU (user and system) the server process has used since it started. */
  cpuMs: number;
}

if (process.send) {
  process.on('message', (message) => {
    if (message !== 'stats') return;
    const ms = (ns: number) => ns / 1e6;
    const cpu = process.cpuUsage();
    const stats: ServerStats = {
      sqlStatements: statements,
      eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
      cpuMs: (cpu.user + cpu.system) / 1000,
    };
    delay.reset();
    process.send!(stats);
  });
  // The server's own SIGTERM handler shuts it down gracefully.
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
