// Media work runs below the priority of the threads that answer requests (Linux niceness applies per
// thread, and to child processes): a feed request keeps its share of the CPU while photos are being
// re-encoded. libvips computes in threads of its own ("libvips worker"), ffmpeg in its own processes,
// HEIC decoding in a worker thread that lowers itself (heic-worker.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The niceness media work runs at, as bcrypt's worker threads do (src/infra/password-worker.mjs). */
export const MEDIA_NICENESS = 10;

const lowered = new Set<number>();

/** Sets a thread's or process's niceness, where allowed; nothing happens where it is not. */
export function lowerPriority(id: number): void {
  try {
    os.setPriority(id, MEDIA_NICENESS);
  } catch {
    // Gone already, or not permitted: it runs at the default priority.
  }
}

/**
 * Lowers libvips' worker threads that have not been lowered yet. libvips starts them on demand and
 * keeps them for reuse, so calling this around each job catches each thread once.
 */
export function lowerLibvipsThreads(): void {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return; // Not Linux: no per-thread niceness to set.
  }
  for (const task of tasks) {
    const tid = Number(task);
    if (lowered.has(tid)) continue;
    let name: string;
    try {
      name = readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (name !== 'libvips worker') continue;
    lowered.add(tid);
    lowerPriority(tid);
  }
}
