// Runs ffmpeg and ffprobe as child processes: never on the event loop, always with a deadline (the
// process is killed when it passes), and with its output kept to a bounded size.
import { spawn } from 'node:child_process';
import { lowerPriority } from './priority.ts';

export interface ToolRun {
  stdout: string;
  stderr: string;
}

/** The tool exited with an error, was killed at its deadline, or could not be started. */
export class ToolFailure extends Error {
  override readonly name = 'ToolFailure';

  constructor(
    message: string,
    readonly stderr: string,
    /** 'exit': non-zero exit; 'timeout': killed at the deadline; 'overflow': too much output; 'spawn': never started. */
    readonly kind: 'exit' | 'timeout' | 'overflow' | 'spawn',
  ) {
    super(message);
  }
}

// ffprobe's JSON for a file with a few streams is a few kilobytes; ffmpeg at -v error says little.
const MAX_OUTPUT_BYTES = 1024 * 1024;

/**
 * Runs `command` with `args` (no shell), resolving with its output when it exits with 0, rejecting
 * with ToolFailure otherwise. Past `timeoutMs` it is killed with SIGKILL (ffmpeg may ignore SIGTERM
 * while it is stuck reading), and so is output past 1 MB.
 */
export function runTool(
  command: string,
  args: readonly string[],
  { timeoutMs }: { timeoutMs: number },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    // ffmpeg's work is the media's: below the requests' priority (src/infra/media/priority.ts).
    if (child.pid) lowerPriority(child.pid);
    // Kept as bytes until the end: a UTF-8 character may be split across two chunks.
    const out = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    let printed = 0;
    let timedOut = false;
    let overflowed = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const collect = (key: keyof typeof out) => (chunk: Buffer) => {
      printed += chunk.length;
      if (printed > MAX_OUTPUT_BYTES) {
        overflowed = true;
        child.kill('SIGKILL');
        return;
      }
      out[key].push(chunk);
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new ToolFailure(`${command} could not be started: ${error.message}`, '', 'spawn'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out.stdout).toString('utf8');
      const stderr = Buffer.concat(out.stderr).toString('utf8');
      if (code === 0 && !timedOut && !overflowed) return resolve({ stdout, stderr });
      const why = timedOut
        ? `was killed after ${timeoutMs} ms`
        : overflowed
          ? 'printed more than 1 MB and was killed'
          : `exited with ${signal ?? code}`;
      const kind = timedOut ? 'timeout' : overflowed ? 'overflow' : 'exit';
      reject(new ToolFailure(`${command} ${why}: ${stderr.trim().slice(-500)}`, stderr, kind));
    });
  });
}
