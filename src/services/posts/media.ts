// What an upload is, decided from its bytes: the client's filename and content type are never trusted.
// The type comes from the file's signature (file-type), and then the file must parse as that type:
// an image whose dimensions can be read (image-size), a video container with a track
// (music-metadata). A JPEG signature on three bytes is not a JPEG.
import type { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import { imageSizeFromFile } from 'image-size/fromFile';
import { parseFile } from 'music-metadata';
import { AppError, ErrorCode, isFilesystemError, storageUnavailable } from '../../errors.ts';

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

export interface DetectedMedia {
  mimeType: string;
  kind: FileKind;
  ext: string;
}

export interface ReceivedMedia extends DetectedMedia {
  size: number;
}

export interface MediaDimensions {
  width: number | null;
  height: number | null;
  duration: number | null;
}

/** The kind and extension of an accepted MIME type; null for anything else. */
export function acceptedMedia(mimeType: string): { kind: FileKind; ext: string } | null {
  return Object.hasOwn(ACCEPTED, mimeType) ? (ACCEPTED[mimeType] ?? null) : null;
}

export async function detectMedia(head: Uint8Array): Promise<DetectedMedia | null> {
  const detected = await fileTypeFromBuffer(head);
  const accepted = detected && acceptedMedia(detected.mime);
  return accepted ? { mimeType: detected.mime, ...accepted } : null;
}

export const unsupported = (
  message = 'Only images (JPEG, PNG, GIF, WebP, AVIF, HEIC) and videos (MP4, WebM, MOV) can be posted.',
) => new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, { accepted: ACCEPTED_MIME_TYPES });

/**
 * Reads the upload to its end, refusing it as soon as its first bytes are not an accepted image or
 * video. Nothing is written: the bytes are already in the upload's temp file. (Its size limit is
 * enforced by the multipart parser, which fails the stream with PAYLOAD_TOO_LARGE.)
 */
export async function receiveUpload(source: Readable): Promise<ReceivedMedia> {
  let size = 0;
  let detected: DetectedMedia | null = null;
  const head: Buffer[] = [];
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (detected || size - chunk.length >= SNIFF_BYTES) continue;
      head.push(chunk);
      if (size >= SNIFF_BYTES) {
        detected = await detectMedia(Buffer.concat(head));
        if (!detected) throw unsupported();
      }
    }
  } catch (error) {
    source.destroy();
    throw isFilesystemError(error) ? storageUnavailable() : error;
  }
  detected ??= await detectMedia(Buffer.concat(head));
  if (!detected) throw unsupported();
  return { ...detected, size };
}

/** Checks that the complete file parses as the type its signature claims, and measures it. */
export async function validateMedia(path: string, media: DetectedMedia): Promise<MediaDimensions> {
  try {
    if (media.kind === 'IMAGE') {
      const { width, height } = await imageSizeFromFile(path);
      if (width > 0 && height > 0) return { width, height, duration: null };
    } else {
      const { format } = await parseFile(path, { duration: false, skipCovers: true });
      const video = format.trackInfo.find((track) => track.video)?.video;
      if (format.trackInfo.length > 0) {
        return {
          width: video?.pixelWidth ?? null,
          height: video?.pixelHeight ?? null,
          duration: format.duration ?? null,
        };
      }
    }
  } catch {
    // Unreadable as its type: refused below, like any other file that is not what it claims.
  }
  throw unsupported();
}
