// yoga builds a URL from the Host header and the request target; one it cannot parse ("Host: a b",
// "Host: x:99999", a target of "*") would throw inside yoga and come back as a bare 500 with a stack.
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
