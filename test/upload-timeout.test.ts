// UPLOAD_TIMEOUT_SECONDS: a body still arriving past it is answered 408 REQUEST_TIMEOUT with a GraphQL
// error body (Node's own timeout gave a bare 408 after 300 s), the connection is closed, and nothing of
// the upload stays: no temp file, no stored file, no row.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { type RawResponse, socketRequest } from './support/http.ts';
import { eventually, isolateTmpdir } from './support/imagekit.ts';
import { filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { UPLOAD_POST, uploadPost } from './support/upload.ts';

const capacitorFiles = isolateTmpdir();

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer({ UPLOAD_TIMEOUT_SECONDS: '1' });
  alice = await signUp(server);
});
afterAll(() => server?.close());

const BOUNDARY = 'slow-boundary';
const JPEG_HEAD = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

/** `head`, then a byte every 100 ms for 10 s: a client on a connection that has all but stalled. */
function trickle(head: string | Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(head);
      for (let i = 0; i < 100; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        yield Buffer.from([0]);
      }
    })(),
  );
}

const operations = `--${BOUNDARY}\r\ncontent-disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({
  query: UPLOAD_POST,
  variables: { file: null, caption: 'slow' },
})}\r\n`;
const map = `--${BOUNDARY}\r\ncontent-disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n`;
const fileHead = `--${BOUNDARY}\r\ncontent-disposition: form-data; name="0"; filename="slow.jpg"\r\ncontent-type: image/jpeg\r\n\r\n`;

function slowUpload(head: string | Buffer) {
  return socketRequest(server.url, {
    headers: {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'apollo-require-preflight': 'true',
      authorization: `Bearer ${alice.token}`,
    },
    body: trickle(head),
    timeoutMs: 8000,
  });
}

function expectTimedOut(res: RawResponse) {
  expect({ status: res.status, type: res.headers['content-type'], json: res.json }).toEqual({
    status: 408,
    type: 'application/graphql-response+json; charset=utf-8',
    json: {
      errors: [
        {
          message: 'The request body did not arrive within 1 s; nothing of it was kept.',
          extensions: { code: 'REQUEST_TIMEOUT' },
        },
      ],
    },
  });
  // The answer came once the second was up, and the server then closed the connection on the trickle.
  expect(res.ms).toBeGreaterThanOrEqual(1000);
  expect(res.error).toBeDefined();
}

async function expectNothingKept() {
  await eventually(async () => {
    expect({
      temp: capacitorFiles(),
      stored: await filesUnder(server.config.uploadDir),
      posts: await server.db.post.count(),
      removals: await server.db.fileRemoval.count(),
    }).toEqual({ temp: [], stored: [], posts: 0, removals: 0 });
  });
}

const loudLogs = (from: number) => server.logs.slice(from).filter((line) => /"level":"(error|warn)"/.test(line));

describe('a body that does not arrive within UPLOAD_TIMEOUT_SECONDS', () => {
  it('is an upload stalled in its file: 408 REQUEST_TIMEOUT, and no temp file, stored file or row stays', async () => {
    const before = server.logs.length;
    const res = await slowUpload(Buffer.concat([Buffer.from(operations + map + fileHead), JPEG_HEAD]));
    expectTimedOut(res);
    await expectNothingKept();
    expect(loudLogs(before)).toEqual([]);
  });

  it('is an upload stalled in its operations field: 408 REQUEST_TIMEOUT', async () => {
    const before = server.logs.length;
    const res = await slowUpload(operations.slice(0, 120));
    expectTimedOut(res);
    await expectNothingKept();
    expect(loudLogs(before)).toEqual([]);
  });

  it('is a JSON body: 408 REQUEST_TIMEOUT', async () => {
    const before = server.logs.length;
    const res = await socketRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: trickle('{"query":"{ __typename }", "pad": "'),
      timeoutMs: 8000,
    });
    expectTimedOut(res);
    expect(loudLogs(before)).toEqual([]);
  });

  it('leaves uploads that arrive in time as they were', async () => {
    const res = await uploadPost(server.url, { token: alice.token, caption: 'in time' });
    expect(res.body.data?.uploadPost.caption).toBe('in time');
  });
});
