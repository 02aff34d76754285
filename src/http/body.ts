// Request bodies: JSON (and other non-upload) bodies are read here under a size cap before yoga parses
// them, and a body still arriving after the server has answered (an upload refused early) is drained,
// so the client finishes sending and reads the answer instead of hanging or seeing a reset.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

export type BodyResult = { body: Buffer } | { tooLarge: true } | { cutOff: true };

/**
 * Reads the whole body, or stops at the first byte over `maxBytes`, or when the connection is gone
 * before the body's end (the client went away, or its body took too long: src/http/body-timeout.ts).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ tooLarge: true });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (result: BodyResult) => {
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onGone);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Nothing more is kept; drainAfterAnswer reads (and drops) the rest once the 413 is sent.
        req.pause();
        done({ tooLarge: true });
      } else chunks.push(chunk);
    };
    const onEnd = () => done({ body: Buffer.concat(chunks, size) });
    // The request ends in an error (ECONNRESET "aborted") or just closes, as the connection goes.
    const onGone = () => done({ cutOff: true });
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onGone);
  });
}

/**
 * The body as yoga is handed it, through @whatwg-node/server's pre-parsed `req.body`. That library
 * tests the value with Object.keys, which for a Buffer or a string makes one string per byte: about
 * 250 ms of CPU per MB, before anyone has signed in. A JSON object is handed parsed (as multipart
 * operations are), so it is parsed once. Anything else (not JSON, an array, a bare value, an empty
 * object) is handed as a stream, which yoga reads and answers as it always has.
 */
export function bodyForYoga(contentType: string | undefined, body: Buffer): object {
  if (isJsonContentType(contentType)) {
    const parsed = parseJsonObject(body);
    if (parsed) return parsed;
  }
  return Readable.from([body], { objectMode: false });
}

/** What yoga reads as JSON: application/json or application/graphql+json, with or without parameters. */
function isJsonContentType(header: string | undefined): boolean {
  const type = header?.split(',')[0];
  return ['application/json', 'application/graphql+json'].some(
    (json) => type === json || type?.startsWith(`${json};`) === true,
  );
}

/** The body as a JSON object with at least one key (what @whatwg-node/server takes as parsed), or null. */
function parseJsonObject(body: Buffer): object | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.keys(parsed).length > 0 ? parsed : null;
}

/**
 * Once the answer is sent, reads and drops whatever of the body the client is still sending, so it can
 * finish its request and read the answer. Past `maxBytes` the server stops listening: it closes its
 * side and gives the client LINGER_MS to finish before cutting the connection.
 * (Node drains a body nobody started reading by itself; this covers bodies read part of the way.)
 */
export function drainAfterAnswer(req: IncomingMessage, res: ServerResponse, maxBytes: number): void {
  if (req.httpVersion === '1.1' && !res.shouldKeepAlive && hasBody(req)) closeOnceDrained(req, res);
  res.once('finish', () => {
    if (req.complete || req.destroyed) return;
    // The multipart parser may still be attached, pausing the body while nobody reads its file.
    req.unpipe();
    let drained = 0;
    const onData = (chunk: Buffer) => {
      drained += chunk.length;
      if (drained <= maxBytes) return;
      req.off('data', onData);
      stopListening(req);
    };
    req.on('data', onData);
    req.resume();
  });
}

const LINGER_MS = 2000;

/**
 * Closes the connection without reading the rest of the body: the server closes its side at once,
 * and cuts the connection LINGER_MS later (or when the client has closed it). Closed outright while
 * the client is still sending, the connection would be reset, and the client could lose the answer it
 * has not read yet. The request itself is destroyed then: once answered, Node no longer ends it when
 * its socket goes, and whoever still reads it (graphql-upload-ts, which removes its temp file when the
 * request closes) would wait forever.
 */
export function stopListening(req: IncomingMessage): void {
  const cut = () => req.destroy();
  req.socket.once('close', cut).end();
  setTimeout(cut, LINGER_MS).unref();
}

/**
 * "Connection: close" on a request with a body. Answered once the body has arrived, the connection
 * closes after the answer, as asked. Answered early, while the client is still sending, closing right
 * after the answer would make the client see a reset (EPIPE) instead of it: the connection then stays
 * open while the rest of the body is drained, and closes once both are done. Which of the two is
 * known only when the answer's head is written (whoever writes it: yoga or an early refusal).
 */
function closeOnceDrained(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!req.complete) {
      this.shouldKeepAlive = true;
      const closeWhenDone = () => {
        if (res.writableFinished && req.complete && !req.socket.destroyed) req.socket.end();
      };
      res.once('finish', closeWhenDone);
      req.once('end', closeWhenDone);
    }
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}
