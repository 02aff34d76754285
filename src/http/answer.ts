// Answers given before yoga, as GraphQL error bodies, so every client reads them like any other error.
import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../errors.ts';

/**
 * The connection stays open: drainAfterAnswer (src/http/body.ts) reads what is left of the body, so
 * the client finishes sending and reads this.
 */
export type SendError = (res: ServerResponse, status: number, code: ErrorCode, message: string) => void;

/** The function that sends such answers, telling `counted` (the metrics) about each. */
export function createErrorAnswers(counted: (code: ErrorCode) => void = () => {}): SendError {
  return (res, status, code, message) => {
    counted(code);
    const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
    // The GraphQL-over-HTTP media type: clients read a 4xx in it as GraphQL errors, not a bare HTTP failure.
    res.writeHead(status, { 'content-type': 'application/graphql-response+json; charset=utf-8' }).end(body);
  };
}
