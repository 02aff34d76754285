// Instances sharing one SQLite file must hear each other's changes (a logout, a deactivation) through
// the same Redis; without it each keeps serving what the others changed for as long as its caches keep
// it (60 s for a session). Nothing would say so. So each instance on SQLite keeps a heartbeat row, and
// one that would not hear an instance already running (no REDIS_URL, or another key prefix) refuses to
// start, saying what to set.
//
// A row counts while its instance runs: renewed within STALE_AFTER_MS, and, on this host, its process
// alive. A crashed instance's row therefore never blocks a restart here, and one on another host (a
// shared volume) stops counting once it is stale.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';

export const BEAT_INTERVAL_MS = 5000;
export const STALE_AFTER_MS = 30_000;

/** What an instance hears other instances through: "local" (nothing), or its Redis channel. */
export const LOCAL_CHANNEL = 'local';

export class SharedDatabaseError extends Error {
  override readonly name = 'SharedDatabaseError';
}

export interface InstanceHeartbeatDeps {
  db: Db;
  /** The SQLite file, for the message. */
  file: string;
  /** LOCAL_CHANNEL, or the name of the Redis channel the instance's changes go through. */
  channel: string;
  logger: Logger;
}

export interface InstanceHeartbeat {
  /** Claims a place among the file's instances, or throws SharedDatabaseError. Then beats until stop(). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

type Row = { id: string; host: string; pid: number; channel: string; startedAt: Date; beatAt: Date };

/** Heartbeats of this process, running now: rows with our pid are alive exactly when listed here. */
const runningHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isRunning(row: Row, now: number): boolean {
  if (now - row.beatAt.getTime() > STALE_AFTER_MS) return false;
  if (row.host !== os.hostname()) return true;
  // Our own pid: another instance in this process (tests), or a previous life of this one (a restarted
  // container gets the same pid) that is gone.
  if (row.pid === process.pid) return runningHere.has(row.id);
  return processAlive(row.pid);
}

/** Two instances hear each other only through one Redis channel; "local" hears no one. */
const hearEachOther = (a: string, b: string) => a === b && a !== LOCAL_CHANNEL;

export function createInstanceHeartbeat({ db, file, channel, logger }: InstanceHeartbeatDeps): InstanceHeartbeat {
  const id = randomUUID();
  let timer: NodeJS.Timeout | undefined;

  async function beat() {
    try {
      const { count } = await db.instanceHeartbeat.updateMany({ where: { id }, data: { beatAt: new Date() } });
      // Another instance took ours for dead (this one stalled past STALE_AFTER_MS) and removed it.
      if (count === 0 && runningHere.has(id)) await db.instanceHeartbeat.create({ data: row(new Date()) });
    } catch (error) {
      logger.warn({ error }, 'could not renew this instance’s heartbeat');
    }
  }

  const row = (at: Date): Row => ({ id, host: os.hostname(), pid: process.pid, channel, startedAt: at, beatAt: at });

  return {
    async start() {
      const mine = row(new Date());
      // Ours first, then the others: of two instances starting together, at least the later one sees
      // the earlier one's row.
      await db.instanceHeartbeat.create({ data: mine });
      runningHere.add(id);
      const now = Date.now();
      const others = (await db.instanceHeartbeat.findMany({ where: { id: { not: id } } })) as Row[];
      const gone = others.filter((other) => !isRunning(other, now));
      if (gone.length > 0) await db.instanceHeartbeat.deleteMany({ where: { id: { in: gone.map((g) => g.id) } } });
      // The one that started first keeps running; a tie goes by id, so exactly one of two refuses.
      const blocking = others.find(
        (other) =>
          isRunning(other, now) &&
          !hearEachOther(other.channel, channel) &&
          (other.startedAt < mine.startedAt || (+other.startedAt === +mine.startedAt && other.id < id)),
      );
      if (blocking) {
        runningHere.delete(id);
        await db.instanceHeartbeat.deleteMany({ where: { id } });
        throw new SharedDatabaseError(refusal(file, blocking, now));
      }
      timer = setInterval(() => void beat(), BEAT_INTERVAL_MS).unref();
    },
    async stop() {
      clearInterval(timer);
      if (!runningHere.delete(id)) return;
      await db.instanceHeartbeat.deleteMany({ where: { id } }).catch((error: unknown) => {
        // It goes stale by itself.
        logger.warn({ error }, 'could not remove this instance’s heartbeat');
      });
    },
  };
}

function refusal(file: string, other: Row, now: number): string {
  const seen = Math.round((now - other.beatAt.getTime()) / 1000);
  return [
    `Another instance already serves the SQLite database ${file} (pid ${other.pid} on ${other.host}, seen ${seen} s ago),`,
    'and the two would not hear each other: a logout or a deactivation on one would go unnoticed by the other for up to 60 s.',
    'Give every instance on this file the same REDIS_URL (e.g. REDIS_URL=redis://127.0.0.1:6379), or run only one.',
    `(An instance that stopped without saying so no longer counts once its process is gone, or ${STALE_AFTER_MS / 1000} s after it was last seen on another host.)`,
  ].join(' ');
}

/** PostgreSQL: instances hear each other through the database; there is nothing to check. */
export const noHeartbeat: InstanceHeartbeat = { start: async () => {}, stop: async () => {} };
