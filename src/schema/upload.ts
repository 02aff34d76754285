// The Upload argument, as the posts service takes it: graphql-upload-ts's file, already parsed in front
// of yoga (src/http/multipart.ts), with its failures turned into coded errors.
import { PassThrough, type Readable } from 'node:stream';
import type { FileUpload } from 'graphql-upload-ts';
import { AppError, ErrorCode, isFilesystemError, storageUnavailable } from '../errors.ts';
import type { IncomingUpload } from '../services/posts/posts.ts';

/**
 * The Upload argument as the posts service takes it. graphql-upload-ts writes each file once, to a temp
 * file (its "capacitor") while it arrives; the service reads it from there and storage links it into
 * place, so the bytes reach the disk once. Its path is internal to graphql-upload-ts (test/upload-safety
 * would fail if it moved). Failures of the upload itself (too large, cut off, never sent) arrive as
 * coded errors.
 */
export async function receivedUpload(
  upload: Promise<FileUpload>,
  maxBytes: number,
  declaredBytes: number,
): Promise<IncomingUpload> {
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
    declaredBytes,
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
  // A malformed request, as a broken multipart body refused before yoga is (src/http/multipart.ts).
  return new AppError(ErrorCode.BAD_REQUEST, `The upload did not arrive whole: ${(error as Error).message}`);
}
