// Limits on the account flows beyond passwords: registrations per client, and account mails (reset,
// verification, "email changed") per address and per client. A mail refused by a limit is dropped,
// never queued, and the mutation's answer does not change: it must not tell the client anything.
import { clientKeyOf } from './client-key.ts';
import { type Count, consumeTogether, RateLimitRefusal, type RateLimits } from './limiters.ts';

export interface AccountLimitSettings {
  /** Registrations per client per hour; 0 turns the limit off. */
  registerMaxPerIp: number;
  /** Account mails per address per 15 minutes. */
  mailMaxPerAddress: number;
  /** Account mails asked for by one client per hour. */
  mailMaxPerIp: number;
}

/** Which limit kept a mail from going. */
export type MailRefusal = 'address' | 'client';

export function createAccountLimits(rateLimits: RateLimits, settings: AccountLimitSettings) {
  const registrations =
    settings.registerMaxPerIp > 0
      ? rateLimits.limiter('register-ip', {
          points: settings.registerMaxPerIp,
          durationSeconds: 3600,
          message: 'Too many registrations from this address.',
        })
      : null;
  const mailsTo = rateLimits.limiter('mail', {
    points: settings.mailMaxPerAddress,
    durationSeconds: 900,
    message: 'Too many mails to this address.',
  });
  const mailsFrom = rateLimits.limiter('mail-ip', {
    points: settings.mailMaxPerIp,
    durationSeconds: 3600,
    message: 'Too many mails asked for from this address.',
  });

  return {
    /** Counts a registration from the client, or throws RATE_LIMITED. */
    async registration(ip: string | null): Promise<void> {
      if (registrations && ip !== null) await registrations.consume(clientKeyOf(ip));
    },

    /**
     * Counts a mail to the address, asked for by the client (null: by no client, e.g. a superuser's
     * change), and says which limit refuses it, or null when it may go.
     */
    async mailRefusal(email: string, ip: string | null): Promise<MailRefusal | null> {
      const counts: Count[] = [
        { limiter: mailsTo, subject: email },
        ...(ip === null ? [] : [{ limiter: mailsFrom, subject: clientKeyOf(ip) }]),
      ];
      try {
        await consumeTogether(counts);
        return null;
      } catch (error) {
        if (!(error instanceof RateLimitRefusal)) throw error;
        return error.limit === mailsTo.name ? 'address' : 'client';
      }
    },
  };
}

export type AccountLimits = ReturnType<typeof createAccountLimits>;
