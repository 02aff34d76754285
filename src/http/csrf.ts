// CSRF: a browser can POST a form or multipart body cross-site without asking the server first (a
// "simple request"). Such requests must carry a header a form cannot set, which makes the browser
// ask first (a CORS preflight). Checked before a byte of the body is read.
import type { IncomingMessage } from 'node:http';

// The headers Apollo Client and urql can send; a browser form cannot set any of them without a preflight.
export const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name', 'graphql-require-preflight'];

// Content types a browser can POST cross-site without a preflight ("simple requests").
const SIMPLE_CONTENT_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain'];

/** Whether the request carries a non-empty preflight header (one header, by its lowercase name). */
export const hasPreflightHeader = (header: (name: string) => string | string[] | null | undefined) =>
  PREFLIGHT_HEADERS.some((name) => {
    const value = header(name);
    return typeof value === 'string' && value.trim() !== '';
  });

/** A POST a page on another site could have sent without the server's consent. */
export function isUnguardedSimplePost(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const type = (req.headers['content-type'] ?? '').split(';', 1).join('').trim().toLowerCase();
  if (!SIMPLE_CONTENT_TYPES.includes(type)) return false;
  return !hasPreflightHeader((name) => req.headers[name]);
}

export const CSRF_MESSAGE = `This request needs one of the headers ${PREFLIGHT_HEADERS.join(', ')} (CSRF protection).`;
