// Password guessing limits: every password check (login, and the password confirmations of updateMe
// and deleteMe) is counted before it runs, so requests arriving together cannot slip past a limit.
//
// The policy (README "Security"), per LOGIN_FAILURE_WINDOW_SECONDS:
// - LOGIN_MAX_FAILURES failures for one email from one client: stops a brute force from one place, and
//   locks nobody else out: the account's owner, elsewhere, is not affected.
// - LOGIN_MAX_FAILURES_PER_EMAIL failures for one email from anywhere: a much higher ceiling for a
//   brute force spread over many clients. Locking an owner out takes that many addresses.
// - LOGIN_MAX_FAILURES_PER_IP failures from one client, whatever the email: stops one place trying one
//   password against many accounts.
// And per minute, LOGIN_MAX_PER_MINUTE sign-ins to one account whatever their outcome: each costs a
// password check and a session row, so signing in one account in a loop cannot keep the password
// workers busy.
// A check refused by one limit counts against none, and opens no window. A correct password clears
// its email+client count and takes its failure back from the others.
import { clientKeyOf } from './client-key.ts';
import { type Count, consumeTogether, type RateLimits } from './limiters.ts';

export interface LoginLimitSettings {
  windowSeconds: number;
  maxFailures: number;
  maxFailuresPerEmail: number;
  maxFailuresPerIp: number;
  maxPerMinute: number;
}

export function createLoginLimits(rateLimits: RateLimits, settings: LoginLimitSettings) {
  const failures = (name: string, points: number) =>
    rateLimits.limiter(name, {
      points,
      durationSeconds: settings.windowSeconds,
      message: 'Too many failed sign-in attempts.',
    });
  const pairs = failures('login-pair', settings.maxFailures);
  const emails = failures('login-email', settings.maxFailuresPerEmail);
  const clients = failures('login-ip', settings.maxFailuresPerIp);
  const attempts = rateLimits.limiter('login-account', {
    points: settings.maxPerMinute,
    durationSeconds: 60,
    message: 'Too many sign-ins to this account.',
  });

  /** The failure counts a check from the client adds to: the email from it, the email, the client. */
  const failureCounts = (email: string, ip: string | null) => {
    const client = ip === null ? null : clientKeyOf(ip);
    const pair: Count = { limiter: pairs, subject: `${email}\n${client ?? ''}` };
    const byEmail: Count = { limiter: emails, subject: email };
    const byClient: Count[] = client === null ? [] : [{ limiter: clients, subject: client }];
    return { pair, byEmail, byClient };
  };

  return {
    /**
     * Counts one password check for the email from the client, or throws RATE_LIMITED. The check
     * then counts as a failure unless `succeeded()` is called.
     */
    async begin(email: string, ip: string | null): Promise<{ succeeded(): Promise<void> }> {
      const { pair, byEmail, byClient } = failureCounts(email, ip);
      const shared = [byEmail, ...byClient];
      await consumeTogether([pair, ...shared, { limiter: attempts, subject: email }]);
      return {
        async succeeded() {
          await pair.limiter.forget(pair.subject);
          await Promise.all(shared.map(({ limiter, subject }) => limiter.giveBack(subject)));
        },
      };
    },

    /** Forgets the email's failures, from this client and from anywhere: the owner proved themself by a password reset. */
    async forgive(email: string, ip: string | null): Promise<void> {
      const { pair, byEmail } = failureCounts(email, ip);
      await Promise.all([pair, byEmail].map(({ limiter, subject }) => limiter.forget(subject)));
    },
  };
}

export type LoginLimits = ReturnType<typeof createLoginLimits>;
