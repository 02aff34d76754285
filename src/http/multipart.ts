// GraphQL multipart requests (uploads), parsed by graphql-upload-ts in front of yoga so files go to a
// temp file as they arrive instead of memory (src/schema/upload.ts hands them to the resolver).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { processRequest, Upload } from 'graphql-upload-ts';
import { ErrorCode } from '../errors.ts';
import type { SendError } from './answer.ts';

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

// The operations and map fields are small JSON; anything above this is not a real client.
const MAX_FIELD_BYTES = 1_000_000;
/** What a multipart body may hold beyond its file: the operations and map fields, and part headers. */
export const MULTIPART_OVERHEAD_BYTES = MAX_FIELD_BYTES + 64 * 1024;

/**
 * graphql-js quotes a variable it cannot coerce ("got invalid value ...") through its toJSON: without
 * one, a file given for a String would be answered with graphql-upload-ts's internals. One file may
 * sit at several places (the map lists paths per file), so an Upload already described is met again.
 */
function describeUploadsAsFiles(value: unknown, depth = 0): void {
  if (value instanceof Upload) {
    if (!Object.hasOwn(value, 'toJSON')) Object.defineProperty(value, 'toJSON', { value: () => 'an uploaded file' });
  } else if (value !== null && typeof value === 'object' && depth < 32) {
    for (const item of Object.values(value)) describeUploadsAsFiles(item, depth + 1);
  }
}

/**
 * The most the request's file can be: its length (the file and a little more), at most the upload
 * limit; the limit itself for a body sent without a length. Uploads reserve it against the day's quota
 * before the file is read (src/infra/rate-limits/upload-limits.ts).
 */
export function declaredUploadBytes(req: IncomingMessage, maxUploadBytes: number): number {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  return Number.isFinite(declared) && declared >= 0 ? Math.min(declared, maxUploadBytes) : maxUploadBytes;
}

/**
 * Parses the multipart body into GraphQL operations whose Upload variables stream from temp files.
 * Resolves to null after answering the client itself (400 or 413).
 */
export async function parseMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  maxUploadBytes: number,
  sendError: SendError,
): Promise<object | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
    sendError(
      res,
      413,
      ErrorCode.PAYLOAD_TOO_LARGE,
      `The request is larger than the ${maxUploadBytes} byte upload limit.`,
    );
    return null;
  }
  try {
    // The one place the upload size limit is enforced: the file's stream fails with a 413 past it.
    const operations = await processRequest(req, res, {
      maxFileSize: maxUploadBytes,
      maxFiles: 1,
      maxFieldSize: MAX_FIELD_BYTES,
    });
    describeUploadsAsFiles(operations);
    return operations;
  } catch (error) {
    const { status = 400, message } = error as { status?: number; message: string };
    if (!res.headersSent && !res.destroyed) {
      // graphql-upload-ts says 413 for a second file too; that is a malformed request, not a large one.
      if (/max file uploads exceeded/.test(message))
        sendError(res, 400, ErrorCode.BAD_USER_INPUT, 'An upload request carries one file.');
      else if (status === 413)
        sendError(res, 413, ErrorCode.PAYLOAD_TOO_LARGE, `Malformed multipart request: ${message}`);
      else sendError(res, 400, ErrorCode.BAD_REQUEST, `Malformed multipart request: ${message}`);
    }
    return null;
  }
}
