// The client's address for rate limiting. Behind N trusted proxies, each appends the address it saw
// to X-Forwarded-For, so the client is the N-th entry from the right (counting the socket's peer as
// the last hop); anything further left was written by the client and proves nothing.
import type { IncomingMessage } from 'node:http';

export function clientIpOf(req: IncomingMessage | undefined, trustedHops: number): string | null {
  if (!req) return null;
  const peer = req.socket.remoteAddress ?? null;
  if (trustedHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = peer ? [...forwarded, peer] : forwarded;
  // Fewer entries than trusted hops: the proxies added less than expected; the left-most is the best guess.
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? peer;
}
