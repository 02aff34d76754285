// GraphQL multipart requests as the spec describes them: operations, map, then the file part.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, type GqlResponse } from './server.ts';

export const UPLOAD_POST = /* GraphQL */ `
  mutation Upload($file: Upload!, $caption: String) {
    uploadPost(file: $file, caption: $caption) { id caption url fileType fileName mimeType size isOwner author { id username } }
  }
`;

export interface UploadOptions {
  token?: string | null;
  fixture?: string;
  bytes?: Uint8Array;
  filename?: string;
  contentType?: string;
  caption?: string | null;
  headers?: Record<string, string>;
}

export async function multipartBody({ fixture = 'photo.jpg', bytes, filename, contentType = 'application/octet-stream', caption = null }: UploadOptions) {
  const data = bytes ?? (await readFile(path.join(FIXTURES, fixture)));
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: UPLOAD_POST, variables: { file: null, caption } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append("0", new Blob([new Uint8Array(data)], { type: contentType }), filename ?? fixture);
  return form;
}

export async function uploadPost(url: string, options: UploadOptions = {}): Promise<GqlResponse> {
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
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: response.status, headers: response.headers, body };
}
