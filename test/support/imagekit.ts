// End-state checks shared by the ImageKit suites: what is left in the spool folder and in
// graphql-upload-ts's temp files after a request.
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ResultOf } from '@graphql-typed-document-node/core';
import {
  CREATE_FROM_IMAGEKIT as CREATE_FROM_IMAGEKIT_DOCUMENT,
  UPLOAD_AUTH as UPLOAD_AUTH_DOCUMENT,
} from '../operations/media.ts';
import { filesUnder } from './server.ts';
import { textOf } from './typed.ts';

/**
 * graphql-upload-ts buffers every upload in os.tmpdir()/capacitor-*.tmp. Pointing TMPDIR (this test
 * process only; vitest runs each file in its own fork) at a fresh folder makes leftovers countable.
 */
export function isolateTmpdir(): () => string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'photo-feed-tmp-'));
  process.env.TMPDIR = dir;
  return () => readdirSync(dir).filter((name) => name.startsWith('capacitor-'));
}

export async function spoolFiles(uploadDir: string): Promise<string[]> {
  return (await filesUnder(uploadDir)).filter((file) => file.startsWith('.incoming'));
}

/** Polls until `check` passes: some cleanup (temp files, the worker) finishes just after a response. */
export async function eventually(check: () => unknown | Promise<unknown>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

export { dbIdOf } from './ids.ts';

// The typed documents (test/operations/media.ts) as text, for the tests that still send strings, and
// their result types.
export const UPLOAD_AUTH = textOf(UPLOAD_AUTH_DOCUMENT);
export const CREATE_FROM_IMAGEKIT = textOf(CREATE_FROM_IMAGEKIT_DOCUMENT);
export type UploadAuthData = ResultOf<typeof UPLOAD_AUTH_DOCUMENT>;
export type UploadAuthAnswer = UploadAuthData['imageKitUploadAuth'];
export type CreateFromImageKitData = ResultOf<typeof CREATE_FROM_IMAGEKIT_DOCUMENT>;
