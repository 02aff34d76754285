// The rules for text people write and others read (captions, comments, bios, report notes): trimmed,
// line breaks as \n, no control characters but tab and newline, and a length counted in code points,
// as people count characters.
import { badInput } from '../errors.ts';

// Control characters (C0 and C1) other than tab and newline; \r\n and \r are stored as \n first.
const CONTROL = /[^\P{Cc}\t\n]/u;
// Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder the text after them up
// to their terminator, so text displays other than it reads ("Trojan Source"; a file "photo<U+202E>gpj.exe"
// shows as "photoexe.jpg"). The marks U+200E, U+200F and U+061C reorder nothing past their neighbours
// and are part of writing mixed right-to-left text: allowed.
export const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;

export interface TextRules {
  /** The argument's name, for extensions.field and the message. */
  field: string;
  /** What to call it in messages: "Caption", "Comment"... */
  label: string;
  maxLength: number;
  /** Whether empty (after trimming) is refused rather than stored as null. */
  required?: boolean;
}

/** The text as stored: trimmed, null when empty (or BAD_USER_INPUT when required), within maxLength. */
export function cleanText(value: string | null | undefined, rules: TextRules): string | null {
  const trimmed = value?.replace(/\r\n?/g, '\n').trim() || null;
  if (!trimmed) {
    if (rules.required) throw badInput(`${rules.label} must not be empty.`, { field: rules.field });
    return null;
  }
  if (CONTROL.test(trimmed)) {
    throw badInput(`${rules.label} must not contain control characters other than tab and newline.`, {
      field: rules.field,
    });
  }
  if (BIDI_CONTROL.test(trimmed)) {
    throw badInput(
      `${rules.label} must not contain bidirectional embeddings, overrides or isolates (U+202A-U+202E, U+2066-U+2069).`,
      { field: rules.field },
    );
  }
  // Counting stops past the limit, so a 10 MB text is not walked to its end.
  let length = 0;
  for (const _ of trimmed) if (++length > rules.maxLength) break;
  if (length > rules.maxLength) {
    throw badInput(`${rules.label} must be at most ${rules.maxLength} characters.`, { field: rules.field });
  }
  return trimmed;
}

/** cleanText's result for a required text: never null. */
export const cleanRequiredText = (value: string, rules: Omit<TextRules, 'required'>): string =>
  cleanText(value, { ...rules, required: true }) as string;
