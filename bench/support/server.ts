// Starts a server in a child process of its own, so the load generator in the bench process does
// not share its event loop. The child is node itself (node --import tsx <entry>), so its pid is the
// server's. It is stopped at the end, or on failure, through bench/support/cleanup.ts.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { deferCleanup } from './cleanup.ts';
import type { RecordedStatement, ServerStats } from './instrument.ts';

const ROOT = path.join(import.meta.dirname, '..', '..');

export interface ChildServer {
  /** http://127.0.0.1:<port>, without a path. */
  url: string;
  pid: number;
  /**
   * SQL statements the server's database drivers have sent so far, and its event loop delay since the
   * previous call (bench/support/instrument.ts).
   */
  stats(): Promise<ServerStats>;
  /** Runs fn, and answers the SQL statements the server sent meanwhile, with their values. */
  recordStatements(fn: () => Promise<unknown>): Promise<RecordedStatement[]>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Runs `entry` (relative to the project root) with only the given settings in its environment, plus
 * HOST and PORT, and waits for GET /health. Nothing else is inherited: a DATABASE_URL, IMAGEKIT_* or
 * REDIS_URL in the shell would otherwise change what is measured.
 */
export async function startServer(entry: string, settings: Record<string, string>): Promise<ChildServer> {
  const port = await freePort();
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...settings,
  };
  // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (open it in Chrome's DevTools).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(
    process.execPath,
    [...profile, '--import', 'tsx', '--import', './bench/support/instrument.ts', entry],
    {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = deferCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const forced = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(forced);
  });

  const url = `http://127.0.0.1:${port}`;
  for (let started = Date.now(); ; await sleep(100)) {
    if (child.exitCode !== null)
      throw new Error(`${entry} exited with code ${child.exitCode} before answering /health`);
    if (
      await fetch(`${url}/health`).then(
        (res) => res.ok,
        () => false,
      )
    )
      break;
    if (Date.now() - started > 60_000) {
      await stop();
      throw new Error(`${entry} did not answer /health within 60 s`);
    }
  }

  /** Sends a message the instrument answers (bench/support/instrument.ts), and waits for its answer. */
  const ask = <T>(message: string, isAnswer: (answer: object) => boolean, what: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (answer: object) => {
        if (!isAnswer(answer)) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve(answer as T);
      };
      const timer = setTimeout(() => {
        child.off('message', onMessage);
        reject(new Error(`the server did not report ${what}`));
      }, 5000);
      child.on('message', onMessage);
      child.send(message);
    });

  return {
    url,
    pid: child.pid!,
    stats: () => ask<ServerStats>('stats', (answer) => 'sqlStatements' in answer, 'its stats'),
    async recordStatements(fn) {
      await ask('record', (answer) => 'recording' in answer, 'that it records');
      const failed = await fn().then(
        () => null,
        (error: unknown) => ({ error }),
      );
      const { recorded } = await ask<{ recorded: RecordedStatement[] }>(
        'recorded',
        (answer) => 'recorded' in answer,
        'the statements it recorded',
      );
      if (failed) throw failed.error;
      return recorded;
    },
    stop,
  };
}
