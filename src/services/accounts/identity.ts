// Who an account is: the rules for emails and usernames, shared by registration, sign-in, the
// account mails and profile updates. Each parse function returns the stored form or throws
// BAD_USER_INPUT naming the field.
import { domainToASCII, domainToUnicode } from 'node:url';
import { badInput } from '../../errors.ts';

export const EMAIL_MAX_LENGTH = 254;

// Deliberately simple: one @, no spaces, a dot in the domain. Real proof is the verification mail.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// Control, format (zero-width, bidi) and separator characters: invisible, so two addresses could
// look the same and differ.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * Stored in one spelling per mailbox, so uniqueness holds however it is typed, on every provider:
 * trimmed, lowercased and in NFC (precomposed), with the domain as UTS-46 maps it (fullwidth letters
 * and dots folded, xn-- labels decoded). An ASCII address without xn-- labels stays as it was, lowercased.
 */
export function parseEmail(input: string): string {
  // Before anything else touches it: a 20 MB "email" is refused without being copied or counted.
  const address = input.length <= EMAIL_MAX_LENGTH * 2 ? input.trim().toLowerCase().normalize('NFC') : '';
  const at = address.lastIndexOf('@');
  const domain = at > 0 && !INVISIBLE.test(address) ? canonicalDomain(address.slice(at + 1)) : '';
  const email = domain ? `${address.slice(0, at)}@${domain}` : '';
  if (email.length > EMAIL_MAX_LENGTH || INVISIBLE.test(email) || !EMAIL_PATTERN.test(email)) {
    throw badInput(`Email must be a valid email address of at most ${EMAIL_MAX_LENGTH} characters.`, {
      field: 'email',
    });
  }
  return email;
}

/**
 * The domain in its Unicode form after UTS-46 (through its ASCII form, so every spelling of it meets
 * in one), or '' when it is none. An empty label is refused: "example.com." is the same domain as
 * "example.com" and would otherwise be a second account for the same mailbox.
 */
function canonicalDomain(domain: string): string {
  const ascii = domainToASCII(domain);
  if (!ascii || ascii.split('.').includes('')) return '';
  return domainToUnicode(ascii);
}

export const USERNAME_PATTERN = /^[a-z0-9_.]{3,30}$/;

/** Stored lowercased: a-z, 0-9, _ and ., 3 to 30 of them. */
export function parseUsername(input: string): string {
  const username = input.length <= 100 ? input.trim().toLowerCase() : '';
  if (!USERNAME_PATTERN.test(username)) {
    throw badInput('Username must be 3 to 30 characters of a-z, 0-9, _ and .', { field: 'username' });
  }
  return username;
}
