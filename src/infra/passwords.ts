// Password hashing, and the password rules shared by register, reset and profile updates. bcrypt runs
// in worker threads (src/infra/password-worker.mjs): at cost 12 a check takes ~250 ms of CPU,
// which on the event loop would stall every other request.
import os from 'node:os';
import bcrypt from 'bcryptjs';
import { Piscina } from 'piscina';

export const PASSWORD_MIN_LENGTH = 8;
// bcrypt only reads the first 72 bytes; a longer password would be silently truncated.
export const PASSWORD_MAX_BYTES = 72;

/** Why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES)
    return `Password should be at most ${PASSWORD_MAX_BYTES} bytes.`;
  if (email && password.toLowerCase().includes(email.toLowerCase())) return 'Password should not contain e-mail.';
  return null;
}

let pool: Piscina | undefined;

/**
 * One pool for the process, started on first use: every app instance in it shares the same CPUs.
 * One thread fewer than the cores, so the event loop keeps one; idle threads exit after a minute.
 */
function workers(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./password-worker.mjs', import.meta.url).href,
    minThreads: 0,
    maxThreads: Math.max(1, os.availableParallelism() - 1),
    idleTimeout: 60_000,
    // Plain JavaScript needs no loader: the main thread's flags (tsx, a profiler's preload) stay out.
    execArgv: [],
  });
  return pool;
}

/** Stops the worker threads (they would also exit on their own once idle). */
export async function closePasswordWorkers(): Promise<void> {
  const running = pool;
  pool = undefined;
  await running?.destroy();
}

export function createPasswordHasher(cost: number) {
  let dummy: Promise<string> | undefined;
  const hash = (password: string): Promise<string> => workers().run({ password, cost }, { name: 'hash' });
  const verify = (password: string, hashed: string): Promise<boolean> =>
    workers().run({ password, hash: hashed }, { name: 'compare' });
  /** A hash of no one's password at the configured cost, made once: unknown accounts are checked against it. */
  const dummyHash = () => {
    dummy ??= hash('dummy-password-for-timing');
    return dummy;
  };
  return {
    hash,
    verify,
    dummyHash,
    /** A hash made at another cost (an older setting, or user:create elsewhere) is redone at the next sign-in. */
    needsRehash: (hashed: string) => bcrypt.getRounds(hashed) !== cost,
    /** Spends the same time as a real check, for accounts that do not exist. */
    async verifyAgainstDummy(password: string): Promise<false> {
      await verify(password, await dummyHash());
      return false;
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
