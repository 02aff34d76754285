// One mailer interface, two implementations: SMTP through nodemailer when SMTP_URL is set, otherwise a
// log line with the message and its link (as the original app printed its tokens).
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The action link, logged by the log mailer so development needs no mail server. */
  link?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createLogMailer(logger: Logger): Mailer {
  return {
    async send({ to, subject, link, text }) {
      logger.info({ to, subject, link, text }, 'mail (SMTP_URL not set, so logged instead of sent)');
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

export function createMailer({ smtpUrl, from }: { smtpUrl: string | null; from: string }, logger: Logger): Mailer {
  return smtpUrl ? createSmtpMailer(smtpUrl, from) : createLogMailer(logger);
}
