// CORS for every answer this server gives, GraphQL, early refusals and /media alike, so a page on an
// allowed origin can read each of them (a 403 without CORS headers reaches it as "Failed to fetch").
// Credentials (the session cookie) only for origins CORS_ORIGINS lists by name: never with '*' (the
// development default), which reflects any origin for bearer clients and lets none read a cookie's answers.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** '*' allows every origin; a list allows those; an empty list allows none (no CORS headers at all). */
export type AllowedOrigins = '*' | readonly string[];

// What our clients send: JSON and multipart bodies, the bearer token, the CSRF headers, a trace id.
const ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  'accept',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'graphql-require-preflight',
  'x-request-id',
];

export function createCors(allowed: AllowedOrigins) {
  const allows = (origin: string) => allowed === '*' || allowed.includes(origin);

  return {
    /**
     * Adds the CORS headers to the answer of a request from an allowed origin, and answers a
     * preflight itself. Returns true when the request was a preflight and has been answered.
     */
    handle(req: IncomingMessage, res: ServerResponse): boolean {
      const origin = req.headers.origin;
      const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
      res.setHeader('vary', 'Origin');
      if (origin && allows(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        if (allowed !== '*') res.setHeader('access-control-allow-credentials', 'true');
        res.setHeader('access-control-expose-headers', 'x-request-id');
        if (preflight) {
          res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
          res.setHeader('access-control-allow-headers', ALLOWED_HEADERS.join(', '));
          res.setHeader('access-control-max-age', '600');
        }
      }
      if (preflight) res.writeHead(204).end();
      return preflight;
    },
  };
}
