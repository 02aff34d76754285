// GraphQL multipart requests (uploads), parsed by graphql-upload-ts in front of yoga so files spool to
// disk instead of memory. The CSRF check runs before a byte of the body is read.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { type FileUpload, processRequest } from 'graphql-upload-ts';
import { AppError, ErrorCode, isFilesystemError, storageUnavailable } from '../errors.ts';
import type { IncomingUpload } from '../services/posts.ts';
import { sendError } from './answer.ts';

export function isMultipart(req: IncomingMessage): boolean {
  return /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');
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
    return await processRequest(req, res, {
      maxFileSize: maxUploadBytes,
      maxFiles: 1,
      maxFieldSize: MAX_FIELD_BYTES,
    });
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

/**
 * The Upload argument as the posts service takes it. graphql-upload-ts writes each file once, to a temp
 * file (its "capacitor") while it arrives; the service reads it from there and storage links it into
 * place, so the bytes reach the disk once. Its path is internal to graphql-upload-ts (test/upload-safety
 * would fail if it moved). Failures of the upload itself (too large, cut off, never sent) arrive as
 * coded errors.
 */
export async function receivedUpload(upload: Promise<FileUpload>, maxBytes: number): Promise<IncomingUpload> {
  let file: FileUpload;
  let source: Readable;
  try {
    file = await upload;
    source = file.createReadStream();
  } catch (error) {
    throw uploadError(error, maxBytes);
  }
  const stream = new PassThrough();
  source.on('error', (error) => stream.destroy(uploadError(error, maxBytes)));
  stream.on('close', () => source.destroy());
  source.pipe(stream);
  const capacitor = file.capacitor as unknown as { _path: string | null };
  return {
    stream,
    path: () => {
      if (!capacitor._path)
        throw new Error("graphql-upload-ts no longer keeps its temp file's path in capacitor._path");
      return capacitor._path;
    },
    filename: file.filename,
  };
}

/**
 * graphql-upload-ts reports its limits and a cut-off body as http-errors with a status, busboy a
 * malformed body as a plain error; the temp file failing is the server's problem.
 */
function uploadError(error: unknown, maxBytes: number): Error {
  if (error instanceof AppError) return error;
  if (isFilesystemError(error)) return storageUnavailable();
  const status = (error as { status?: number }).status;
  if (status === 413)
    return new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the ${maxBytes} byte limit.`, {
      maxBytes,
    });
  return new AppError(ErrorCode.BAD_USER_INPUT, `The upload did not arrive whole: ${(error as Error).message}`);
}
