// At most PASSWORD_CHECKS_IN_FLIGHT_PER_IP password checks (or hashes) run at once for one client;
// the others are refused at once with RATE_LIMITED. bcrypt runs on a small worker pool
// (src/infra/passwords.ts): one account signed in from 40 connections kept it busy, and another
// user's sign-in took 5.5-10.8 s instead of 0.33 s. Counted in this instance's memory whatever
// REDIS_URL says: what it protects is this instance's pool, and a count of work in flight must not
// outlive the process doing the work.
import { clientKeyOf } from './client-key.ts';
import type { RateLimits } from './limiters.ts';

export function createPasswordCheckSlots(rateLimits: RateLimits, perClient: number) {
  const inFlight = rateLimits.limiter('password-checks', {
    points: perClient,
    // No expiry: a slot is held exactly while its work runs, and given back when it ends.
    durationSeconds: 0,
    scope: 'instance',
    message: 'Another password check from this address is still running.',
  });
  return {
    /**
     * Takes one of the client's slots, or throws RATE_LIMITED when they are all taken. The returned
     * function gives it back; call it in a finally. A request without a client address takes none.
     */
    async acquire(ip: string | null): Promise<() => Promise<void>> {
      if (ip === null) return async () => {};
      const client = clientKeyOf(ip);
      await inFlight.consume(client);
      return () => inFlight.giveBack(client);
    },
  };
}

export type PasswordCheckSlots = ReturnType<typeof createPasswordCheckSlots>;
