// At most a few media jobs (sharp pipelines, ffmpeg and ffprobe processes, HEIC decodes) run at once;
// the rest wait their turn. Each job is CPU-bound and holds its image or video's working memory, so
// running every upload at once would only make them all slower and the process larger.
import os from 'node:os';
import { lowerLibvipsThreads } from './priority.ts';

export interface JobLimiter {
  /** Runs the job when a slot is free; resolves or rejects with the job's own result. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running now and jobs waiting for a slot, for metrics and tests. */
  readonly running: number;
  readonly waiting: number;
}

/** A first-come, first-served limiter of `slots` jobs running at once. */
export function createJobLimiter(slots: number): JobLimiter {
  if (!Number.isInteger(slots) || slots < 1)
    throw new RangeError(`A job limiter needs at least one slot, not ${slots}.`);
  let running = 0;
  const queue: (() => void)[] = [];
  return {
    async run<T>(job: () => Promise<T>): Promise<T> {
      // A finishing job hands its slot straight to the next in line, so a newcomer cannot take it in between.
      if (running < slots) running += 1;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        lowerLibvipsThreads();
        return await job();
      } finally {
        lowerLibvipsThreads();
        const next = queue.shift();
        if (next) next();
        else running -= 1;
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return queue.length;
    },
  };
}

/**
 * One job per core but one, at least 1 and at most 3: a core stays for the event loop, which answers
 * every other request while photos are re-encoded (on 2 cores, 4 uploads at once otherwise took both
 * and the feed's p99 grew several times over: bench/media.ts). sharp runs on libuv's thread pool (4
 * threads by default), and a slot stays free there for the file system work of requests.
 */
export const MEDIA_JOB_SLOTS = Math.max(1, Math.min(3, os.availableParallelism() - 1));

/** The process-wide limiter every exported function of src/infra/media runs its heavy work in. */
export const mediaJobs = createJobLimiter(MEDIA_JOB_SLOTS);
