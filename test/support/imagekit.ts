// End-state checks shared by the ImageKit suites: what is left in the spool folder and in
// graphql-upload-ts's temp files after a request.
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filesUnder } from './server.ts';

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

/** imageKitUploadAuth with every field, for a file name given as $fileName. */
export const UPLOAD_AUTH = /* GraphQL */ `
  query UploadAuth($fileName: String) {
    imageKitUploadAuth(fileName: $fileName) {
      uploadUrl token expire folder fileName maxBytes publicKey urlEndpoint fields { name value }
    }
  }
`;

export interface UploadAuthAnswer {
  uploadUrl: string;
  token: string;
  expire: number;
  folder: string;
  fileName: string;
  maxBytes: number;
  publicKey: string;
  urlEndpoint: string;
  fields: { name: string; value: string }[];
}
export type UploadAuthData = { imageKitUploadAuth: UploadAuthAnswer };

export const CREATE_FROM_IMAGEKIT = /* GraphQL */ `
  mutation($fileId: String!, $caption: String) {
    createPostFromImageKit(fileId: $fileId, caption: $caption) { id caption url thumbnailUrl fileType mimeType fileName size isOwner }
  }
`;
export type CreateFromImageKitData = {
  createPostFromImageKit: {
    id: string;
    caption: string | null;
    url: string;
    thumbnailUrl: string | null;
    fileType: 'IMAGE' | 'VIDEO';
    mimeType: string;
    fileName: string;
    size: number;
    isOwner: boolean;
  };
};
