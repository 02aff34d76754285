// GraphQL multipart requests as the spec describes them: operations, map, then the file part.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { FIXTURES, type GqlResponse } from './server.ts';

export const UPLOAD_POST = /* GraphQL */ `
  mutation Upload($file: Upload!, $caption: String) {
    uploadPost(file: $file, caption: $caption) { id caption url fileType fileName mimeType size isOwner author { id username } }
  }
`;

/** What UPLOAD_POST answers. */
export type UploadPostData = {
  uploadPost: {
    id: string;
    caption: string | null;
    url: string;
    fileType: 'IMAGE' | 'VIDEO';
    fileName: string;
    mimeType: string;
    size: number;
    isOwner: boolean;
    author: { id: string; username: string };
  };
};

export interface UploadOptions {
  token?: string | null;
  fixture?: string;
  bytes?: Uint8Array;
  filename?: string;
  contentType?: string;
  caption?: string | null;
  headers?: Record<string, string>;
}

export async function multipartBody({
  fixture = 'photo.jpg',
  bytes,
  filename,
  contentType = 'application/octet-stream',
  caption = null,
}: UploadOptions) {
  const data = bytes ?? (await readFile(path.join(FIXTURES, fixture)));
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UPLOAD_POST, variables: { file: null, caption } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(data)], { type: contentType }), filename ?? fixture);
  return form;
}

export async function uploadPost(url: string, options: UploadOptions = {}): Promise<GqlResponse<UploadPostData>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'apollo-require-preflight': 'true',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: await multipartBody(options),
  });
  const text = await response.text();
  let body: GqlResponse<UploadPostData>['body'] & { raw?: string };
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * A multipart upload as a stream, with a file of `fileBytes` (a real JPEG head, then zeros), sent in
 * 64 KB chunks; for tests about what happens while a body is still arriving.
 */
export function streamingUpload({
  fileBytes,
  caption = null,
  query = UPLOAD_POST,
}: {
  fileBytes: number;
  caption?: string | null;
  query?: string;
}) {
  const boundary = `----test${Date.now().toString(36)}`;
  const head =
    `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n` +
    `${JSON.stringify({ query, variables: { file: null, caption } })}\r\n` +
    `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
    `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="big.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  async function* chunks() {
    yield Buffer.from(head);
    const jpegHead = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    yield jpegHead;
    const zeros = Buffer.alloc(64 * 1024);
    for (let left = fileBytes - jpegHead.length; left > 0; left -= zeros.length) {
      yield left >= zeros.length ? zeros : zeros.subarray(0, left);
      // Paced, as over a real network, so the server answers while the body is still coming.
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    yield Buffer.from(tail);
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: Buffer.byteLength(head) + fileBytes + Buffer.byteLength(tail),
    body: () => Readable.from(chunks()),
  };
}
