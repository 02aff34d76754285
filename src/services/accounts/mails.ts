// The account mails, each with a plain-text and an HTML body.
import type { MailMessage } from '../../infra/mailer.ts';

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);

function actionMail(
  to: string,
  subject: string,
  intro: string,
  action: string,
  link: string,
  outro: string,
): MailMessage {
  return {
    to,
    subject,
    text: `${intro}\n\n${action}:\n${link}\n\n${outro}\n`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(action)}</a></p><p>${escapeHtml(outro)}</p>`,
  };
}

export function resetPasswordMail(to: string, link: string, lifetimeSeconds: number): MailMessage {
  return actionMail(
    to,
    'Reset your password',
    'Someone asked to reset the password of your account.',
    'Choose a new password',
    link,
    `The link works for ${Math.round(lifetimeSeconds / 60)} minutes. If it was not you, ignore this mail; your password stays as it is.`,
  );
}

export function verifyEmailMail(to: string, link: string): MailMessage {
  return actionMail(
    to,
    'Confirm your email address',
    'Please confirm that this is your email address.',
    'Confirm my email',
    link,
    'If you did not sign up, ignore this mail.',
  );
}

/** Goes to the old address, so a stolen session cannot move an account away unnoticed. */
export function emailChangedMail(to: string, newEmail: string): MailMessage {
  const intro = `The email address of your account was changed to ${newEmail}.`;
  const outro = 'If you did not make this change, reset your password at once and contact us.';
  return {
    to,
    subject: 'Your email address was changed',
    text: `${intro}\n\n${outro}\n`,
    html: `<p>${escapeHtml(intro)}</p><p>${escapeHtml(outro)}</p>`,
  };
}
