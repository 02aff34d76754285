// GraphQL multipart requests (uploads), parsed by graphql-upload-ts in front of yoga so files spool to
// disk instead of memory. The CSRF check runs before a byte of the body is read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type FileUpload, processRequest } from 'graphql-upload-ts';
import { toUploadError } from '../services/media.ts';
import type { IncomingUpload } from '../services/posts.ts';

// The headers Apollo Client and urql already send; a browser form cannot set any of them without a preflight.
export const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name', 'graphql-require-preflight'];

// Content types a browser can POST cross-site without a preflight ("simple requests").
const SIMPLE_CONTENT_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain'];

export function needsPreflightHeader(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return SIMPLE_CONTENT_TYPES.includes(type);
}

export function hasPreflightHeader(req: IncomingMessage): boolean {
  return PREFLIGHT_HEADERS.some((name) => {
    const value = req.headers[name];
    return typeof value === 'string' && value.trim() !== '';
  });
}

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
}

/**
 * An answer given before yoga: the connection stays open, and drainAfterAnswer (src/http/body.ts)
 * reads what is left of the body, so the client finishes sending and reads this.
 */
export function sendJsonError(res: ServerResponse, status: number, message: string, code: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}

// The operations and map fields are small JSON; anything above this is not a real client.
const MAX_FIELD_BYTES = 1_000_000;
/** What a multipart body may hold beyond its file: the operations and map fields, and part headers. */
export const MULTIPART_OVERHEAD_BYTES = MAX_FIELD_BYTES + 64 * 1024;

/**
 * Parses the multipart body into GraphQL operations whose Upload variables stream from temp files.
 * Resolves to null after answering the client itself (400 or 413).
 */
export async function parseMultipart(
  req: IncomingMessage,
  res: ServerResponse,
  maxUploadBytes: number,
): Promise<object | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
    sendJsonError(res, 413, `The request is larger than the ${maxUploadBytes} byte upload limit.`, 'PAYLOAD_TOO_LARGE');
    return null;
  }
  try {
    // One byte over the limit lets our own counter (src/services/media.ts) decide and report it.
    return await processRequest(req, res, {
      maxFileSize: maxUploadBytes + 1,
      maxFiles: 1,
      maxFieldSize: MAX_FIELD_BYTES,
    });
  } catch (error) {
    const { status = 400, message } = error as { status?: number; message: string };
    if (!res.headersSent && !res.destroyed) {
      // graphql-upload-ts says 413 for a second file too; that is a malformed request, not a large one.
      if (/max file uploads exceeded/.test(message))
        sendJsonError(res, 400, 'An upload request carries one file.', 'BAD_USER_INPUT');
      else if (status === 413) sendJsonError(res, 413, `Malformed multipart request: ${message}`, 'PAYLOAD_TOO_LARGE');
      else sendJsonError(res, 400, `Malformed multipart request: ${message}`, 'BAD_REQUEST');
    }
    return null;
  }
}

/**
 * The Upload argument as the posts service takes it. graphql-upload-ts writes each file once, to a temp
 * file (its "capacitor") while it arrives; the service reads it from there and storage links it into
 * place, so the bytes reach the disk once. Its path is internal to graphql-upload-ts (test/uploads
 * checks it is still where this looks). Errors of the upload itself (too large, cut off, never sent)
 * become coded errors.
 */
export async function receivedUpload(upload: Promise<FileUpload>, maxBytes: number): Promise<IncomingUpload> {
  try {
    const file = await upload;
    const capacitor = file.capacitor as unknown as { _path: string | null };
    return {
      stream: file.createReadStream(),
      path: () => {
        if (!capacitor._path)
          throw new Error("graphql-upload-ts no longer keeps its temp file's path in capacitor._path");
        return capacitor._path;
      },
      filename: file.filename,
    };
  } catch (error) {
    throw toUploadError(error, maxBytes);
  }
}
