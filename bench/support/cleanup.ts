// Cleanup that runs however a bench ends: normally (runCleanups in a finally), on an exception, or on
// Ctrl-C / SIGTERM, which would otherwise kill the bench before its finally blocks and leave servers,
// temp dirs and PostgreSQL schemas behind. Cleanups run newest first, each at most once.
const pending: (() => Promise<void> | void)[] = [];

/** Registers fn to run at the end; returns a function that runs it now (and not again later). */
export function deferCleanup(fn: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    const i = pending.indexOf(once);
    if (i >= 0) pending.splice(i, 1);
    await fn();
  };
  pending.push(once);
  return once;
}

export async function runCleanups(): Promise<void> {
  while (pending.length > 0) {
    try {
      await pending[pending.length - 1]!();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    void runCleanups().finally(() => process.exit(130));
  });
}
