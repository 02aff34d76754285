// The request line and headers put in the shape yoga expects. yoga builds a URL from the Host header
// and the request target; one it cannot parse ("Host: a b", "Host: x:99999", a target of "*") would
// throw inside yoga and come back as a bare 500 with a stack.
import type { IncomingMessage } from 'node:http';

/**
 * Puts an absolute-form target ("GET http://host/graphql", which HTTP/1.1 servers must accept) into
 * origin form, and answers whether the host and target together make a URL.
 */
export function normalizeRequestTarget(req: IncomingMessage): boolean {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) {
    const absolute = parseUrl(target);
    if (!absolute || (absolute.protocol !== 'http:' && absolute.protocol !== 'https:')) return false;
    req.url = `${absolute.pathname}${absolute.search}`;
  }
  return parseUrl(`http://${req.headers.host ?? 'localhost'}${req.url}`) !== null;
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Media types are case-insensitive ("Application/JSON"), yoga compares them as written; parameters
 * (a multipart boundary) are not, so only the type itself is lowered.
 */
export function normalizeContentType(req: IncomingMessage): void {
  const header = req.headers['content-type'];
  if (!header) return;
  const split = header.indexOf(';');
  const type = split === -1 ? header : header.slice(0, split);
  req.headers['content-type'] = type.trim().toLowerCase() + (split === -1 ? '' : header.slice(split));
}
