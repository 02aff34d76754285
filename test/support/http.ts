// Raw HTTP for tests where fetch would hide what matters: each request on its own connection
// (agent: false), so parallel requests really race; bodies streamed as the test says; and the exact
// outcome, including a socket error or a hang, reported instead of thrown.
import { request } from 'node:http';
import type { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body, when it was JSON. */
  json: any;
  /** A socket error seen while sending or receiving (EPIPE, ECONNRESET...), if any. */
  error?: string;
  ms: number;
}

export interface RawRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string | number>;
  /** A whole body, or a stream sent as it produces (chunked unless content-length is given). */
  body?: string | Buffer | Readable;
  timeoutMs?: number;
}

export function rawRequest(baseUrl: string, { method = 'POST', path = '/graphql', headers = {}, body, timeoutMs = 10_000 }: RawRequest): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    let socketError: string | undefined;
    let responded = false;
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      socketError = error.code ?? error.message;
      if (!settled && !responded) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
    });
    req.on('response', (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => {
        socketError ??= error.code ?? error.message;
      });
      res.on('close', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, error: socketError, ms: performance.now() - started });
      });
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else {
      body.on('error', (error) => req.destroy(error));
      body.pipe(req);
    }
  });
}

/** A JSON GraphQL request on a connection of its own. */
export function rawGql(baseUrl: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  return rawRequest(baseUrl, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

export const codeOf = (response: RawResponse): string | undefined => response.json?.errors?.[0]?.extensions?.code;
