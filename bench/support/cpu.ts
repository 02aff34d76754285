// CPU used on the machine by processes other than the ones being measured, from /proc (Linux): a bench
// on a shared machine reports how much of it was taken by others while it measured, rather than
// printing figures that silently include their load. PostgreSQL's processes count as measured when the
// server uses PostgreSQL (all of them: another client's queries there are not told apart).
import { readdir, readFile } from 'node:fs/promises';

// Kernel clock ticks per second as /proc reports them (USER_HZ): 100 on every Linux build that matters.
const TICKS_PER_SECOND = 100;

/** Busy ticks of the whole machine (user, nice, system, irq, softirq, steal), or null without /proc. */
async function machineBusy(): Promise<number | null> {
  const stat = await readFile('/proc/stat', 'utf8').catch(() => null);
  const fields = stat?.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number);
  if (!fields || fields.length < 8) return null;
  const [user, nice, system, , , irq, softirq, steal] = fields as number[];
  return user! + nice! + system! + irq! + softirq! + steal!;
}

/** utime + stime of a process (all its threads), in ticks; 0 once it is gone. */
async function processTicks(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return 0;
  // The command name, in parentheses, may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function postgresPids(): Promise<number[]> {
  const entries = await readdir('/proc').catch(() => [] as string[]);
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') pids.push(Number(entry));
  }
  return pids;
}

async function measuredTicks(pids: number[], postgres: boolean): Promise<number> {
  let ticks = 0;
  for (const pid of [...pids, ...(postgres ? await postgresPids() : [])]) ticks += await processTicks(pid);
  return ticks;
}

/**
 * Starts counting; stop() answers the CPU, in cores on average, that processes other than `pids` (and
 * PostgreSQL's, with `postgres`) used meanwhile, or null where /proc is missing. A measured process
 * that exits in between makes the figure too high, never too low.
 */
export async function othersCpu(pids: number[], postgres: boolean): Promise<{ stop(): Promise<number | null> }> {
  const started = performance.now();
  const busy = await machineBusy();
  const ours = await measuredTicks(pids, postgres);
  return {
    async stop() {
      const busyNow = await machineBusy();
      if (busy === null || busyNow === null) return null;
      const others = busyNow - busy - ((await measuredTicks(pids, postgres)) - ours);
      return Math.max(0, others) / TICKS_PER_SECOND / ((performance.now() - started) / 1000);
    },
  };
}
