// Requests answered before their body has arrived: refused uploads and oversized JSON. The client
// must get the JSON answer, with no reset or broken pipe, and be done within a second or two.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MY_ID } from './operations/accounts.ts';
import { LOGIN, signUp, type TestUser } from './support/accounts.ts';
import { codeOf, type RawResponse, rawRequest, socketRequest } from './support/http.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';
import { streamingUpload } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;

const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startTestServer({ MAX_UPLOAD_BYTES: String(8 * MB) });
  alice = await signUp(server);
});
afterAll(() => server?.close());

type Connection = 'keep-alive' | 'close';

function upload(
  connection: Connection,
  options: { fileBytes: number; caption?: string; token?: string; chunked?: boolean; headers?: Record<string, string> },
) {
  const form = streamingUpload(options);
  return socketRequest(server.url, {
    headers: {
      connection,
      'content-type': form.contentType,
      'apollo-require-preflight': 'true',
      ...(options.chunked ? {} : { 'content-length': form.length }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: form.body(),
  });
}

function expectCleanAnswer(res: RawResponse, code: string) {
  expect(codeOf(res)).toBe(code);
  expect(res.error).toBeUndefined();
  expect(res.ms).toBeLessThan(2000);
}

// curl keeps the connection alive; other clients ask to close it. Both must work.
describe.each<Connection>(['keep-alive', 'close'])(
  'an upload refused before its body has arrived (connection: %s)',
  (connection) => {
    it('without a token: UNAUTHENTICATED, read cleanly', async () => {
      expectCleanAnswer(await upload(connection, { fileBytes: 6 * MB, chunked: true }), 'UNAUTHENTICATED');
    });

    it('with a caption that is too long: BAD_USER_INPUT, read cleanly', async () => {
      expectCleanAnswer(
        await upload(connection, { fileBytes: 6 * MB, token: alice.token, caption: 'x'.repeat(3000) }),
        'BAD_USER_INPUT',
      );
    });

    it('too large, sent chunked: PAYLOAD_TOO_LARGE, read cleanly', async () => {
      expectCleanAnswer(
        await upload(connection, { fileBytes: 12 * MB, token: alice.token, chunked: true }),
        'PAYLOAD_TOO_LARGE',
      );
    });

    it('too large by its declared length: 413 PAYLOAD_TOO_LARGE, read cleanly', async () => {
      const res = await upload(connection, { fileBytes: 12 * MB, token: alice.token });
      expect(res.status).toBe(413);
      expectCleanAnswer(res, 'PAYLOAD_TOO_LARGE');
    });

    it('without the CSRF header: 403 CSRF_HEADER_REQUIRED, read cleanly', async () => {
      const res = await upload(connection, {
        fileBytes: 6 * MB,
        token: alice.token,
        headers: { 'apollo-require-preflight': '' },
      });
      expect(res.status).toBe(403);
      expectCleanAnswer(res, 'CSRF_HEADER_REQUIRED');
    });

    it('leaves the server answering and nothing stored', async () => {
      expect((await gqlTyped(server, MY_ID, {}, alice.token)).body.data!.me!.id).toBe(alice.id);
      expect(await server.db.post.count()).toBe(0);
    });
  },
);

describe('request bodies other than uploads', () => {
  const login = (email: string) =>
    JSON.stringify({ query: LOGIN, variables: { email, password: 'whatever password' } });

  it('are capped at MAX_JSON_BYTES (1 MB): 413 before parsing, declared or chunked', async () => {
    const big = login(`${'x'.repeat(1.5 * MB)}@example.com`);
    const declared = await socketRequest(server.url, {
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(big) },
      body: big,
    });
    expect(declared.status).toBe(413);
    expectCleanAnswer(declared, 'PAYLOAD_TOO_LARGE');
    const chunked = await socketRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: Readable.from(
        (function* () {
          for (let i = 0; i < 24; i += 1) yield Buffer.from(big.slice(i * 65536, (i + 1) * 65536));
        })(),
      ),
    });
    expect(chunked.status).toBe(413);
    expectCleanAnswer(chunked, 'PAYLOAD_TOO_LARGE');
  });

  it('do not hold thirty 5 MB bodies in memory at once', async () => {
    global.gc?.();
    const before = process.memoryUsage();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        rawRequest(server.url, {
          headers: { 'content-type': 'application/json' },
          body: Readable.from(
            (function* () {
              yield Buffer.from('{"query":"mutation { login(email: \\"');
              const filler = Buffer.alloc(256 * 1024, 'x');
              for (let i = 0; i < 20; i += 1) yield filler;
              yield Buffer.from('@example.com\\", password: \\"x\\") { token } }"}');
            })(),
          ),
        }),
      ),
    );
    const after = process.memoryUsage();
    expect(answers.map((a) => a.status)).toEqual(Array(30).fill(413));
    // Each body is dropped past 1 MB; holding them would take 150 MB of buffers and more as strings.
    expect((after.arrayBuffers + after.heapUsed - before.arrayBuffers - before.heapUsed) / MB).toBeLessThan(80);
  });

  it('under the cap are served as before', async () => {
    const res = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: login(alice.email),
    });
    expect(res.status).toBe(200);
    expect(codeOf(res)).toBe('LOGIN_BAD_CREDENTIALS');
  });
});
