// A Server-Sent Events client on a connection of its own (node:http, agent: false), for the live-update
// tests: it opens a subscription by POST (or GET) with Accept: text/event-stream, parses the events as
// they arrive, and says when the server ended the stream (a `complete` event, the connection closed).
import { request } from 'node:http';

export interface SseEvent {
  event: string;
  data: string;
}

/** One event's payload: a GraphQL result, or nothing for `complete`. */
export type SseResult<T = unknown> = {
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
};

export interface SseStream {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Every event received so far, comments (keep-alives) aside. */
  events: SseEvent[];
  /** Keep-alive comments received so far, with when each came. */
  comments: number[];
  /** The next `next` event's result, waiting at most `timeoutMs`. */
  next<T = unknown>(timeoutMs?: number): Promise<SseResult<T>>;
  /** Resolves when the server ends the response (or the connection goes). */
  ended: Promise<{ complete: boolean; error?: string }>;
  /** Closes the connection, as a client leaving. */
  close(): void;
  /** Stops reading, leaving the connection open: the server's writes pile up. */
  pause(): void;
  /** Reads again (what was buffered, then whatever the server did meanwhile: an end, a cut). */
  resume(): void;
}

export interface OpenSseOptions {
  path?: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  token?: string | null;
  timeoutMs?: number;
}

export function openSse(
  baseUrl: string,
  query: string,
  variables: Record<string, unknown> = {},
  { path = '/graphql', method = 'POST', headers = {}, token, timeoutMs = 5000 }: OpenSseOptions = {},
): Promise<SseStream> {
  const body = JSON.stringify({ query, variables });
  const url = new URL(`${baseUrl}${path}`);
  if (method === 'GET') {
    url.searchParams.set('query', query);
    url.searchParams.set('variables', JSON.stringify(variables));
  }
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method,
      agent: false,
      headers: {
        accept: 'text/event-stream',
        ...(method === 'POST' ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on('response', (res) => {
      clearTimeout(timer);
      const events: SseEvent[] = [];
      const comments: number[] = [];
      const waiters: (() => void)[] = [];
      let read = 0;
      let buffer = '';
      let complete = false;
      let endedResolve!: (value: { complete: boolean; error?: string }) => void;
      const ended = new Promise<{ complete: boolean; error?: string }>((r) => {
        endedResolve = r;
      });
      let done = false;
      const finish = (error?: string) => {
        if (done) return;
        done = true;
        endedResolve({ complete, error });
        for (const wake of waiters.splice(0)) wake();
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { event: 'message', data: '' };
          let isComment = true;
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            isComment = false;
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'event') event.event = value;
            else if (field === 'data') data.push(value);
          }
          if (isComment) {
            comments.push(Date.now());
            continue;
          }
          event.data = data.join('\n');
          if (event.event === 'complete') complete = true;
          events.push(event);
          for (const wake of waiters.splice(0)) wake();
        }
      });
      res.on('end', () => finish());
      res.on('error', (error) => finish(error.message));
      res.on('close', () => finish('closed'));
      // A paused response says nothing of its connection going: the socket does.
      res.socket.once('close', () => finish('connection closed'));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended,
        async next<T>(waitMs = 5000): Promise<SseResult<T>> {
          const deadline = Date.now() + waitMs;
          for (;;) {
            while (read < events.length) {
              const event = events[read++]!;
              if (event.event === 'next' || event.event === 'message') return JSON.parse(event.data) as SseResult<T>;
            }
            if (done) throw new Error(`the stream ended (complete: ${complete}) before another event`);
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`no event within ${waitMs} ms`);
            await new Promise<void>((wake) => {
              const t = setTimeout(wake, left);
              waiters.push(() => {
                clearTimeout(t);
                wake();
              });
            });
          }
        },
        close: () => req.destroy(),
        pause: () => res.pause(),
        resume: () => res.resume(),
      });
    });
    if (method === 'POST') req.end(body);
    else req.end();
  });
}

/** Waits until the stream has no `next` event within `ms`: nothing arrived that should not have. */
export async function nothingWithin(stream: SseStream, ms: number): Promise<void> {
  const before = stream.events.filter((e) => e.event === 'next').length;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = stream.events.filter((e) => e.event === 'next');
  if (after.length > before) throw new Error(`unexpected event: ${after[after.length - 1]!.data}`);
}
