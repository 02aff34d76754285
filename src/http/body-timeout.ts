// How long a request body may take to arrive: UPLOAD_TIMEOUT_SECONDS (an upload, mostly). Past it the
// request is answered 408 REQUEST_TIMEOUT, a GraphQL error body like every other refusal, and the
// connection is closed; graphql-upload-ts then removes the upload's temp file, and the resolver still
// waiting for the file fails before anything is stored.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Config } from '../config.ts';
import { ErrorCode } from '../errors.ts';
import type { SendError } from './answer.ts';
import { hasBody, stopListening } from './body.ts';

/** Starts the request's clock, from when its headers have arrived; stopped by the body's end. */
export function limitBodyTime(
  req: IncomingMessage,
  res: ServerResponse,
  timeoutSeconds: number,
  sendError: SendError,
): void {
  if (req.complete || !hasBody(req)) return;
  const timer = setTimeout(() => {
    if (req.complete || req.destroyed) return;
    // Answered already (refused early, the body being drained): the draining ends here.
    if (res.headersSent) return stopListening(req);
    res.once('finish', () => stopListening(req));
    sendError(
      res,
      408,
      ErrorCode.REQUEST_TIMEOUT,
      `The request body did not arrive within ${timeoutSeconds} s; nothing of it was kept.`,
    );
  }, timeoutSeconds * 1000);
  const stop = () => clearTimeout(timer);
  req.once('end', stop).once('close', stop);
}

/**
 * Node cuts a request whose body is still arriving after its requestTimeout (300 s unless set) with
 * a bare 408 and no body, and looks only every 30 s. Its clock starts with the request's first byte
 * and ours once the headers are in (at most headersTimeout later), so it is set past ours: it stays a
 * backstop and never answers first.
 */
export function setRequestTimeout(server: Server, config: Pick<Config, 'uploadTimeoutSeconds'>): void {
  server.requestTimeout = config.uploadTimeoutSeconds * 1000 + server.headersTimeout + 1000;
}
