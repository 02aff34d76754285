// Receives an upload stream into a spool file, counting bytes and deciding the type from the bytes.
// The client's filename and content type are never trusted.
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromBuffer } from 'file-type';
import { AppError, ErrorCode } from '../errors.ts';

export type FileKind = 'IMAGE' | 'VIDEO';

const ACCEPTED: Record<string, { kind: FileKind; ext: string }> = {
  'image/jpeg': { kind: 'IMAGE', ext: 'jpg' },
  'image/png': { kind: 'IMAGE', ext: 'png' },
  'image/gif': { kind: 'IMAGE', ext: 'gif' },
  'image/webp': { kind: 'IMAGE', ext: 'webp' },
  'image/avif': { kind: 'IMAGE', ext: 'avif' },
  'image/heic': { kind: 'IMAGE', ext: 'heic' },
  'image/heif': { kind: 'IMAGE', ext: 'heic' },
  'video/mp4': { kind: 'VIDEO', ext: 'mp4' },
  'video/webm': { kind: 'VIDEO', ext: 'webm' },
  'video/quicktime': { kind: 'VIDEO', ext: 'mov' },
};

export const ACCEPTED_MIME_TYPES = Object.keys(ACCEPTED);

// file-type decides every format we accept from at most this many leading bytes.
const SNIFF_BYTES = 4100;

export interface SpooledMedia {
  path: string;
  size: number;
  mimeType: string;
  kind: FileKind;
  ext: string;
}

/** The kind and extension of an accepted MIME type; null for anything else. */
export function acceptedMedia(mimeType: string): { kind: FileKind; ext: string } | null {
  return Object.hasOwn(ACCEPTED, mimeType) ? ACCEPTED[mimeType] : null;
}

export async function detectMedia(head: Uint8Array): Promise<Omit<SpooledMedia, 'path' | 'size'> | null> {
  const detected = await fileTypeFromBuffer(head);
  const accepted = detected && acceptedMedia(detected.mime);
  return accepted ? { mimeType: detected.mime, ...accepted } : null;
}

export const unsupported = () =>
  new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'Only images (JPEG, PNG, GIF, WebP, AVIF, HEIC) and videos (MP4, WebM, MOV) can be posted.', {
    accepted: ACCEPTED_MIME_TYPES,
  });

export const tooLarge = (maxBytes: number) =>
  new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `The file is larger than the ${maxBytes} byte limit.`, { maxBytes });

/**
 * Streams `source` into a new file in `spoolDir`, refusing it as soon as it is too large or its first
 * bytes are not an accepted image or video. On any failure the partial spool file is removed.
 */
export async function spoolMedia(open: () => Readable, { spoolDir, maxBytes }: { spoolDir: string; maxBytes: number }): Promise<SpooledMedia> {
  await mkdir(spoolDir, { recursive: true });
  let source: Readable;
  try {
    // graphql-upload-ts throws here when the file already failed (over its limit, or cut off).
    source = open();
  } catch (error) {
    throw toUploadError(error, maxBytes);
  }
  const spoolPath = path.join(spoolDir, `${randomUUID()}.part`);
  let size = 0;
  let detected: Awaited<ReturnType<typeof detectMedia>> = null;
  const head: Buffer[] = [];
  let headBytes = 0;

  async function* inspect(chunks: AsyncIterable<Buffer>) {
    for await (const chunk of chunks) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge(maxBytes);
      if (!detected) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_BYTES) {
          detected = await detectMedia(Buffer.concat(head));
          if (!detected) throw unsupported();
        }
      }
      yield chunk;
    }
    detected ??= await detectMedia(Buffer.concat(head));
    if (!detected) throw unsupported();
  }

  try {
    await pipeline(source, inspect, createWriteStream(spoolPath, { flags: 'wx' }));
  } catch (error) {
    await rm(spoolPath, { force: true });
    source.destroy();
    throw toUploadError(error, maxBytes);
  }
  return { path: spoolPath, size, ...detected! };
}

/** graphql-upload-ts reports its own limits as http-errors with a status. */
function toUploadError(error: unknown, maxBytes: number): unknown {
  if (error instanceof AppError) return error;
  const status = (error as { status?: number }).status;
  if (status === 413) return tooLarge(maxBytes);
  if (status === 400 || status === 499) {
    return new AppError(ErrorCode.BAD_USER_INPUT, `The upload did not arrive whole: ${(error as Error).message}`);
  }
  return error;
}
