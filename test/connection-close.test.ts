// "Connection: close" on a request with a body: the server closes the connection after its answer,
// instead of holding it for the keep-alive timeout; answered early, while the body is still arriving,
// it first drains the body so the client reads the answer instead of a reset.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { codeOf, socketRequest } from './support/http.ts';
import { FIXTURES, startTestServer, type TestServer } from './support/server.ts';
import { streamingUpload, UPLOAD_POST } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;

const MB = 1024 * 1024;
// Node's keep-alive timeout on the test server is 5 s: a connection held open shows as null here.
const AWAIT_CLOSE_MS = 2500;
// Closing "after the answer" leaves time for a loaded machine, and is far below the keep-alive timeout.
const PROMPTLY_MS = 1000;

beforeAll(async () => {
  server = await startTestServer({ MAX_UPLOAD_BYTES: String(8 * MB) });
  alice = await signUp(server);
});
afterAll(() => server?.close());

const json = (connection: string, query = '{ __typename }') => {
  const body = JSON.stringify({ query });
  return socketRequest(server.url, {
    headers: { connection, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    body,
    awaitCloseMs: AWAIT_CLOSE_MS,
  });
};

/** A whole multipart upload of the photo fixture, sent in one piece. */
async function photoUpload(connection: string) {
  const boundary = 'close-boundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n` +
        `${JSON.stringify({ query: UPLOAD_POST, variables: { file: null } })}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
        `--${boundary}\r\ncontent-disposition: form-data; name="0"; filename="photo.jpg"\r\n\r\n`,
    ),
    await readFile(path.join(FIXTURES, 'photo.jpg')),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return socketRequest(server.url, {
    headers: {
      connection,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      'content-length': body.length,
      'apollo-require-preflight': 'true',
      authorization: `Bearer ${alice.token}`,
    },
    body,
    awaitCloseMs: AWAIT_CLOSE_MS,
  });
}

describe('a request with a body and Connection: close', () => {
  it('is answered with Connection: close, and the server closes the connection after the answer', async () => {
    const res = await json('close');
    expect(res.json).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers.connection).toBe('close');
    expect(res.closedMs).not.toBeNull();
    expect(res.closedMs).toBeLessThan(PROMPTLY_MS);
  });

  it('is an upload: stored, answered, and the connection closed after the answer', async () => {
    const res = await photoUpload('close');
    expect(res.json).toMatchObject({ data: { uploadPost: { fileName: 'photo.jpg' } } });
    expect(res.headers.connection).toBe('close');
    expect(res.closedMs).not.toBeNull();
    expect(res.closedMs).toBeLessThan(PROMPTLY_MS);
  });

  it('answered before its body has arrived: read cleanly, then closed once the body is drained', async () => {
    const form = streamingUpload({ fileBytes: 6 * MB });
    const res = await socketRequest(server.url, {
      headers: { connection: 'close', 'content-type': form.contentType, 'apollo-require-preflight': 'true' },
      body: form.body(),
      awaitCloseMs: AWAIT_CLOSE_MS,
    });
    expect({ code: codeOf(res), error: res.error }).toEqual({ code: 'UNAUTHENTICATED', error: undefined });
    expect(res.closedMs).not.toBeNull();
    expect(res.closedMs).toBeLessThan(PROMPTLY_MS);
  });
});

describe('a request with a body and Connection: keep-alive', () => {
  it('leaves the connection open for the next request', async () => {
    const res = await json('keep-alive');
    expect(res.json).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers.connection).toBe('keep-alive');
    expect(res.closedMs).toBeNull();
  });
});
