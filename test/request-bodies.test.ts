// What a JSON body costs before anyone has signed in, and what yoga is handed: a JSON object parsed
// once, never walked byte by byte; any other body answered exactly as yoga always answered it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeOf, firstError, rawRequest } from './support/http.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { UPLOAD_POST } from './support/upload.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

const TYPENAME = { data: { __typename: 'Query' } };

describe('a request body', () => {
  // @whatwg-node/server tests a pre-read body with Object.keys: for a Buffer or a string that is one
  // string per byte, about 250 ms of CPU per MB. Watching Object.keys is watching that walk happen.
  async function bodiesWalkedByteByByte(send: () => Promise<unknown>, bytes: number): Promise<number> {
    const keys = vi.spyOn(Object, 'keys');
    try {
      await send();
      return keys.mock.calls.filter(([value]) => {
        const sized = value as { length?: unknown };
        return (ArrayBuffer.isView(value) || typeof value === 'string') && Number(sized.length) >= bytes;
      }).length;
    } finally {
      keys.mockRestore();
    }
  }

  const PAD = 'x'.repeat(512 * 1024);

  it('of JSON is handed to yoga parsed, its bytes never walked one by one', async () => {
    let answer: unknown;
    const walked = await bodiesWalkedByteByByte(async () => {
      // A variable the operation does not declare is read by nobody after the parse.
      answer = (await server.gql('{ __typename }', { pad: PAD })).body;
    }, PAD.length);
    expect({ answer, walked }).toEqual({ answer: TYPENAME, walked: 0 });
  });

  it.each([
    ['JSON that does not parse', 'application/json', `{"query": "${PAD}`],
    ['a form post', 'application/x-www-form-urlencoded', `query=%7B__typename%7D&pad=${PAD}`],
  ])('that is %s is not walked one byte at a time either', async (_label, type, body) => {
    const walked = await bodiesWalkedByteByByte(
      () => rawRequest(server.url, { headers: { 'content-type': type, 'apollo-require-preflight': 'true' }, body }),
      PAD.length,
    );
    expect(walked).toBe(0);
  });

  // What yoga itself answers for each, as it did when it parsed every body: the parsed path must not
  // change a word of it.
  it.each([
    ['an empty body', 'application/json', '', 400, 'POST body sent invalid JSON.'],
    ['JSON cut short', 'application/json', '{"query": ', 400, 'POST body sent invalid JSON.'],
    ['a byte order mark', 'application/json', '\ufeff{"query":"{ __typename }"}', 400, 'POST body sent invalid JSON.'],
    ['text after the JSON', 'application/json', '{"query":"{ __typename }"}x', 400, 'POST body sent invalid JSON.'],
    ['an empty object', 'application/json', '{}', 400, 'Must provide query string.'],
    ['a list (a batch)', 'application/json', '[{"query":"{ __typename }"}]', 400, 'Batching is not supported.'],
    ['an empty list', 'application/json', '[]', 400, 'Batching is not supported.'],
    ['a number', 'application/json', '1', 400, 'POST body is expected to be object but received number'],
    ['null', 'application/json', 'null', 400, 'POST body is expected to be object but received null'],
    ['a string', 'application/json', '"x"', 400, 'POST body is expected to be object but received string'],
    [
      'a query that is a number',
      'application/json',
      '{"query":5}',
      400,
      'Expected "query" param to be a string, but given number.',
    ],
    ['application/graphql', 'application/graphql', '{ __typename }', 200, null],
    ['application/graphql+json', 'application/graphql+json', '{"query":"{ __typename }"}', 200, null],
    ['a charset parameter', 'application/json; charset=utf-8', '{"query":"{ __typename }"}', 200, null],
    ['a form post with the preflight header', 'application/x-www-form-urlencoded', 'query=%7B__typename%7D', 200, null],
  ])('that is %s is answered as yoga answers it', async (_label, type, body, status, message) => {
    const res = await rawRequest(server.url, {
      headers: { 'content-type': type, 'apollo-require-preflight': 'true' },
      body,
    });
    expect({ status: res.status, message: firstError(res)?.message ?? null }).toEqual({ status, message });
    if (status === 200) expect(res.json).toEqual(TYPENAME);
    else expect(codeOf(res)).toBe('BAD_REQUEST');
  });

  it('of JSON keeps the last of two equal keys, as JSON.parse always did', async () => {
    const res = await rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ nope }","query":"{ __typename }"}',
    });
    expect(res.json).toEqual(TYPENAME);
  });
});

describe('variables nested deeply', () => {
  // Level 0 is the variables object itself; `nested(n)` puts a value n lists or objects below it.
  const lists = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  const objects = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
  const post = (body: string) =>
    rawRequest(server.url, {
      headers: { 'content-type': 'application/json' },
      body: `{"query":"{ __typename }",${body}}`,
    });

  function expectRefusedQuietly(res: { status: number; json: unknown }, logsBefore: number) {
    expect(res).toEqual({
      status: 400,
      json: {
        errors: [
          {
            message: 'variables and extensions may nest objects and lists at most 64 levels deep.',
            extensions: { code: 'BAD_REQUEST' },
          },
        ],
      },
    });
    const logged = server.logs.slice(logsBefore).map((line) => JSON.parse(line));
    expect(logged.filter((entry) => entry.level === 'error' || entry.level === 'warn')).toEqual([]);
    expect(JSON.stringify(logged)).not.toMatch(/Maximum call stack|RangeError/);
  }

  it.each([
    ['10,000 lists (20 KB) in variables', `"variables":{"x":${lists(10_000)}}`],
    ['10,000 objects in variables', `"variables":{"x":${objects(10_000)}}`],
    ['10,000 lists in extensions', `"extensions":{"x":${lists(10_000)}}`],
    ['65 levels in variables', `"variables":{"x":${lists(65)}}`],
  ])('are refused with 400 BAD_REQUEST, not a 500 with a stack in the log: %s', async (_label, body) => {
    const before = server.logs.length;
    const { status, json } = await post(body);
    expectRefusedQuietly({ status, json }, before);
  });

  it('are taken up to 64 levels', async () => {
    const res = await post(`"variables":{"x":${lists(64)},"y":${objects(64)}}`);
    expect({ status: res.status, json: res.json }).toEqual({ status: 200, json: TYPENAME });
  });

  it('are refused in a GET query string too', async () => {
    const before = server.logs.length;
    const variables = encodeURIComponent(`{"x":${lists(200)}}`);
    const res = await rawRequest(server.url, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ __typename }')}&variables=${variables}`,
    });
    expectRefusedQuietly({ status: res.status, json: res.json }, before);
  });

  it('are refused in the operations of an upload', async () => {
    const before = server.logs.length;
    const form = new FormData();
    const variables = `{"file":null,"caption":${lists(10_000)}}`;
    form.append('operations', `{"query":${JSON.stringify(UPLOAD_POST)},"variables":${variables}}`);
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([new Uint8Array(16)]), 'x.jpg');
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'apollo-require-preflight': 'true' },
      body: form,
    });
    expectRefusedQuietly({ status: res.status, json: await res.json() }, before);
  });
});
