// What a JSON body costs before anyone has signed in, and what yoga is handed: a JSON object parsed
// once, never walked byte by byte; any other body answered exactly as yoga always answered it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { codeOf, firstError, rawRequest } from './support/http.ts';
import { startTestServer, type TestServer } from './support/server.ts';

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
