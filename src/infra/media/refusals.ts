// The errors media processing ends in: the file's fault (UNSUPPORTED_MEDIA_TYPE, with a reason code
// in extensions.reason) or the disk's (STORAGE_UNAVAILABLE). Encoders and ffmpeg report both as text.
import { AppError, ErrorCode, storageUnavailable } from '../../errors.ts';

export type RefusalReason =
  | 'UNREADABLE_IMAGE'
  | 'TOO_MANY_PIXELS'
  | 'UNREADABLE_VIDEO'
  | 'NO_VIDEO_STREAM'
  | 'VIDEO_TIMEOUT';

/** UNSUPPORTED_MEDIA_TYPE with a message for people and `extensions.reason` for code; `cause` keeps the tool's words. */
export function refuse(message: string, reason: RefusalReason, cause?: unknown): AppError {
  return Object.assign(new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, message, { reason }), { cause });
}

// What libvips and ffmpeg print when writing the output failed: the disk's fault, not the file's.
const DISK_FAILURE = /no space left|disk quota|read-only file system|permission denied|input\/output error/i;

/** STORAGE_UNAVAILABLE when a tool's message says the disk failed; null otherwise. */
export function diskFailure(message: string, cause: unknown): AppError | null {
  return DISK_FAILURE.test(message) ? Object.assign(storageUnavailable(), { cause }) : null;
}
