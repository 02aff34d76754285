// One mailer interface, three implementations: SMTP through nodemailer when SMTP_URL is set; a log line
// naming the address and subject with MAIL_LOG_ONLY=true; otherwise (development) a file per mail in
// DATA_DIR/outbox/, readable by this user only. No log line ever carries a mail's body: reset and
// verification links in it would let anyone reading the logs take over the account.
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailSettings {
  from: string;
  smtpUrl: string | null;
  /** MAIL_LOG_ONLY: nothing is sent; the log says to whom and what, never the body. */
  logOnly: boolean;
  outboxDir: string;
}

export function createLogOnlyMailer(logger: Logger): Mailer {
  return {
    async send({ to, subject }) {
      logger.info({ to, subject }, 'mail not sent (MAIL_LOG_ONLY=true)');
    },
    close() {},
  };
}

/** Each mail as a file the developer opens for its link; the log says where, without the link. */
export function createOutboxMailer(dir: string, from: string, logger: Logger): Mailer {
  return {
    async send({ to, subject, text }) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      // Sortable by time; the random part keeps mails of the same millisecond apart.
      const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(4).toString('hex')}.eml`;
      const file = path.join(dir, name);
      const headers = [`From: ${from}`, `To: ${to}`, `Subject: ${subject}`, `Date: ${new Date().toUTCString()}`];
      const message = `${headers.join('\n')}\nContent-Type: text/plain; charset=utf-8\n\n${text}`;
      await writeFile(file, message, { mode: 0o600, flag: 'wx' });
      logger.info({ to, subject, file }, 'mail written to the outbox (SMTP_URL not set)');
    },
    close() {},
  };
}

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send({ to, subject, text, html }) {
      await transport.sendMail({ from, to, subject, text, html });
    },
    close() {
      transport.close();
    },
  };
}

export function createMailer({ from, smtpUrl, logOnly, outboxDir }: MailSettings, logger: Logger): Mailer {
  if (logOnly) return createLogOnlyMailer(logger);
  if (smtpUrl) return createSmtpMailer(smtpUrl, from);
  // Production without either does not start (src/config.ts).
  return createOutboxMailer(outboxDir, from, logger);
}
