// Raw HTTP for tests where fetch would hide what matters: each request on its own connection
// (agent: false), so parallel requests really race; bodies streamed as the test says; and the exact
// outcome, including a socket error or a hang, reported instead of thrown.
import { request } from 'node:http';
import { connect } from 'node:net';
import { Readable } from 'node:stream';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body's bytes, as sent (a compressed body stays compressed). */
  bytes: Buffer;
  /** The parsed body, when it was JSON. */
  json: unknown;
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

export interface SocketRequest extends RawRequest {
  /**
   * Once the exchange is over, wait this long for the server to close the connection, and report in
   * `closedMs` how long after the exchange it did (0 or less: it already had), or null.
   */
  awaitCloseMs?: number;
}

/**
 * Settles once the exchange is over as a client sees it: the answer read and the body sent (as curl
 * waits for both) or the request closed, or a socket error ended it. Rejects when that takes longer than `timeoutMs`.
 */
export function rawRequest(
  baseUrl: string,
  { method = 'POST', path = '/graphql', headers = {}, body, timeoutMs = 10_000 }: RawRequest,
): Promise<RawResponse> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let settled = false;
    let socketError: string | undefined;
    let answer: Omit<RawResponse, 'error' | 'ms'> | undefined;
    let sent = false;
    let closed = false;
    const req = request(`${baseUrl}${path}`, { method, headers, agent: false });
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      req.destroy();
      reject(
        new Error(
          `not done within ${timeoutMs} ms (answer ${answer ? 'read' : 'missing'}, body ${sent ? 'sent' : 'still sending'})`,
        ),
      );
    }, timeoutMs);
    const settle = () => {
      if (settled || !answer || !(sent || closed || socketError)) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...answer, error: socketError, ms: performance.now() - started });
    };
    req.on('finish', () => {
      sent = true;
      settle();
    });
    // Node's client gives up sending once it has read the whole answer on a connection it asked to close.
    req.on('close', () => {
      closed = true;
      settle();
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      socketError ??= error.code ?? error.message;
      if (!answer && !settled) {
        settled = true;
        clearTimeout(timer);
        reject(error);
      }
      settle();
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => {
        socketError ??= error.code ?? error.message;
      });
      res.on('end', () => {
        const bytes = Buffer.concat(chunks);
        const text = bytes.toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        answer = { status: res.statusCode ?? 0, headers: res.headers, text, bytes, json };
        settle();
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
export function rawGql(
  baseUrl: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  return rawRequest(baseUrl, {
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** The first GraphQL error of a JSON answer, if it is one. */
export function firstError(
  response: RawResponse,
): { message: string; extensions?: Record<string, unknown> } | undefined {
  const errors = (response.json as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors[0] : undefined;
}

export const codeOf = (response: RawResponse) => firstError(response)?.extensions?.code as string | undefined;

/**
 * An HTTP/1.1 request written on a bare TCP socket, as curl sends one: the whole body is sent even
 * after an answer arrives, and the exchange is over when both the answer has been read and the body
 * sent (or the socket failed). Node's http client gives up sending on its own, which hides hangs.
 */
export function socketRequest(
  baseUrl: string,
  { method = 'POST', path = '/graphql', headers = {}, body, timeoutMs = 10_000, awaitCloseMs }: SocketRequest,
): Promise<RawResponse & { closedMs?: number | null }> {
  const { hostname, port } = new URL(baseUrl);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let answer: Omit<RawResponse, 'error' | 'ms'> | undefined;
    let sent = false;
    let socketError: string | undefined;
    let settled = false;
    // When the exchange was over, while waiting for the server to close; and when it closed.
    let overAt: number | undefined;
    let closedAt: number | undefined;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) return reject(error);
      const closed = overAt === undefined ? {} : { closedMs: closedAt === undefined ? null : closedAt - overAt };
      resolve({ ...answer!, error: socketError, ms: (overAt ?? performance.now()) - started, ...closed });
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `not done within ${timeoutMs} ms (answer ${answer ? 'read' : 'missing'}, body ${sent ? 'sent' : 'still sending'})`,
          ),
        ),
      timeoutMs,
    );
    const check = () => {
      answer ??= parseResponse(Buffer.concat(received));
      if (!answer || !(sent || socketError)) return;
      if (awaitCloseMs === undefined) return finish();
      if (overAt === undefined) {
        overAt = performance.now();
        clearTimeout(timer);
        setTimeout(finish, awaitCloseMs);
      }
      if (closedAt !== undefined) finish();
    };
    // The server closing its side (FIN), whether or not the socket is fully closed yet.
    socket.on('end', () => {
      closedAt ??= performance.now();
      check();
    });
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      check();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      socketError ??= error.code ?? error.message;
      check();
    });
    socket.on('close', () => {
      closedAt ??= performance.now();
      check();
      if (!answer)
        finish(new Error(`connection closed without a complete answer${socketError ? ` (${socketError})` : ''}`));
      else if (!sent) {
        socketError ??= 'closed while sending';
        finish();
      }
    });
    const head = [
      `${method} ${path} HTTP/1.1`,
      // A test may send its own Host header, a hostile one included.
      ...(Object.keys(headers).some((k) => k.toLowerCase() === 'host') ? [] : [`host: ${hostname}:${port}`]),
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    const chunked = body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length');
    socket.write(`${[...head, ...(chunked ? ['transfer-encoding: chunked'] : [])].join('\r\n')}\r\n\r\n`);
    const done = () => {
      sent = true;
      check();
    };
    if (body === undefined) return done();
    const source = typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([Buffer.from(body)]) : body;
    (async () => {
      for await (const chunk of source) {
        const data = chunked
          ? Buffer.concat([
              Buffer.from(`${(chunk as Buffer).length.toString(16)}\r\n`),
              chunk as Buffer,
              Buffer.from('\r\n'),
            ])
          : (chunk as Buffer);
        if (socket.destroyed) return;
        if (!socket.write(data)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
      }
      if (chunked && !socket.destroyed) socket.write('0\r\n\r\n');
      if (!socket.destroyed) socket.write('', done);
    })().catch((error) => {
      socketError ??= error.code ?? error.message;
      check();
    });
  });
}

/** A complete response out of the bytes read so far (content-length or chunked body), or undefined. */
function parseResponse(bytes: Buffer): Omit<RawResponse, 'error' | 'ms'> | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let rest = bytes.subarray(end + 4);
  let body: Buffer;
  if (headers['transfer-encoding'] === 'chunked') {
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      if (lineEnd < 0) return undefined;
      const size = parseInt(rest.subarray(0, lineEnd).toString(), 16);
      if (rest.length < lineEnd + 2 + size + 2) return undefined;
      if (size === 0) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  } else {
    const length = Number(headers['content-length'] ?? 0);
    if (rest.length < length) return undefined;
    body = rest.subarray(0, length);
  }
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, text, bytes: body, json };
}
