import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { TEST_PROVIDER } from './support/database.ts';
import { codeOf, rawRequest, socketRequest } from './support/http.ts';
import { errorCode, PRODUCTION, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});
afterAll(() => server?.close());

type MeIdData = { me: { id: string } | null };

const graphiqlStatus = async (url: string) =>
  (await fetch(`${url}/graphql`, { headers: { accept: 'text/html' } })).status;

describe('HTTP surface', () => {
  it('answers /health with 200', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves GraphiQL to a browser outside production', async () => {
    const res = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/graphiql/i);
  });

  describe('GraphiQL, a 9 MB page', () => {
    const page = (headers: Record<string, string>) =>
      rawRequest(server.url, { method: 'GET', headers: { accept: 'text/html', ...headers } });

    it('is sent compressed, brotli before gzip, and whole to a client asking for neither', async () => {
      const plain = await page({});
      const br = await page({ 'accept-encoding': 'gzip, deflate, br' });
      const gzip = await page({ 'accept-encoding': 'gzip, br;q=0' });
      expect([plain, br, gzip].map((res) => [res.status, res.headers['content-encoding']])).toEqual([
        [200, undefined],
        [200, 'br'],
        [200, 'gzip'],
      ]);
      expect(plain.text).toMatch(/graphiql/i);
      expect(brotliDecompressSync(br.bytes).equals(plain.bytes)).toBe(true);
      expect(gunzipSync(gzip.bytes).equals(plain.bytes)).toBe(true);
      // The page is mostly inlined scripts; compressed it is a quarter of its size or less.
      expect(br.bytes.length / plain.bytes.length).toBeLessThan(0.25);
      expect(gzip.bytes.length / plain.bytes.length).toBeLessThan(0.3);
      for (const res of [plain, br, gzip]) {
        expect(Number(res.headers['content-length'])).toBe(res.bytes.length);
        expect(res.headers.vary).toMatch(/Accept-Encoding/);
        expect(res.headers['cache-control']).toBe('no-cache');
      }
    });

    it('carries an ETag per encoding, and answers If-None-Match with an empty 304', async () => {
      const first = await page({ 'accept-encoding': 'br' });
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[\w-]+-br"$/);
      expect((await page({})).headers.etag).toBe(etag.replace(/-br"$/, '"'));
      const again = await page({ 'accept-encoding': 'br', 'if-none-match': etag });
      expect({ status: again.status, etag: again.headers.etag, length: again.bytes.length }).toEqual({
        status: 304,
        etag,
        length: 0,
      });
      const other = await page({ 'accept-encoding': 'br', 'if-none-match': '"some-other-page"' });
      expect(other.status).toBe(200);
    });
  });

  it('turns GraphiQL off in production unless GRAPHIQL=true', async () => {
    const production = await startTestServer(PRODUCTION);
    const forced = await startTestServer({ ...PRODUCTION, GRAPHIQL: 'true' });
    try {
      expect(await graphiqlStatus(production.url)).not.toBe(200);
      expect(await graphiqlStatus(forced.url)).toBe(200);
    } finally {
      await production.close();
      await forced.close();
    }
  });

  it('answers malformed JSON with 400 and a message, and keeps serving', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/JSON/);
    expect((await server.gql<MeIdData>('{ me { id } }', {}, alice.token)).body.data!.me!.id).toBe(alice.id);
  });

  it.each([
    ['an empty body', ''],
    ['a body cut short', '{"query": '],
    ['no query', '{}'],
    ['a null query', '{"query":null}'],
    ['an operationName that is an object', '{"query":"{ __typename }","operationName":{"a":1}}'],
    ['variables that are a list', '{"query":"{ __typename }","variables":[1]}'],
  ])('answers %s with 400 BAD_REQUEST and nothing from inside the server', async (_label, body) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const answer = await res.json();
    expect({ status: res.status, code: answer.errors[0].extensions.code }).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
    });
    expect(Object.keys(answer.errors[0].extensions)).toEqual(['code']);
  });

  it.each([
    ['an operationName no operation has', { query: 'query A { __typename }', operationName: 'Z' }],
    ['two operations and no operationName', { query: 'query A { __typename } query B { __typename }' }],
  ])('answers %s with 400 OPERATION_RESOLUTION_FAILURE, a listed code', async (_label, body) => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect({ status: res.status, code: (await res.json()).errors[0].extensions.code }).toEqual({
      status: 400,
      code: 'OPERATION_RESOLUTION_FAILURE',
    });
  });

  it('answers GET queries (as urql sends them) with Cache-Control: no-store: they are per token', async () => {
    const res = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { authorization: `Bearer ${alice.token}` },
    });
    expect({ status: res.status, cacheControl: res.headers.get('cache-control') }).toEqual({
      status: 200,
      cacheControl: 'no-store',
    });
  });

  it('reads media types whatever their case, as HTTP says', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=UTF-8', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 200,
      body: { data: { me: { id: alice.id } } },
    });
  });

  it('answers a form post (a CSRF vector) with 403 when it lacks a preflight header', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'query=mutation%20%7B%20logout%20%7D',
    });
    expect(res.status).toBe(403);
  });

  it('echoes a request id', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-123' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(res.headers.get('x-request-id')).toBe('trace-123');
  });
});

describe('requests that are not GraphQL as we speak it', () => {
  async function answer(path: string, init?: RequestInit) {
    const res = await fetch(`${server.url}${path}`, init);
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      code: JSON.parse(text).errors?.[0]?.extensions?.code,
    };
  }

  it.each([
    ['variables that are not JSON', '/graphql?query={__typename}&variables=notjson'],
    ['extensions that are not JSON', '/graphql?query={__typename}&extensions=%7Bbroken'],
  ])('answer 400 BAD_REQUEST for GET with %s', async (_label, path) => {
    expect(await answer(path)).toEqual({ status: 400, type: expect.stringMatching(/json/), code: 'BAD_REQUEST' });
  });

  it('answer 415, 406 and 404 with a JSON error and a code, not an empty body', async () => {
    expect(
      await answer('/graphql', { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<query/>' }),
    ).toEqual({
      status: 415,
      type: expect.stringMatching(/json/),
      code: 'UNSUPPORTED_CONTENT_TYPE',
    });
    expect(await answer('/graphql?query={__typename}', { headers: { accept: 'image/png' } })).toEqual({
      status: 406,
      type: expect.stringMatching(/json/),
      code: 'NOT_ACCEPTABLE',
    });
    expect(await answer('/nothing-here')).toEqual({
      status: 404,
      type: expect.stringMatching(/json/),
      code: 'NOT_FOUND',
    });
  });

  it.each([
    ['a Host with a space', { host: 'a b' }, '/graphql'],
    ['a Host with a port out of range', { host: 'x:99999' }, '/graphql'],
    ['a Host with an unclosed IPv6 bracket', { host: '[::1' }, '/graphql'],
    ['an asterisk target', {}, '*'],
    ['an absolute target in another scheme', {}, 'ftp://evil/graphql'],
  ])('answer 400 BAD_REQUEST, not a 500 with a stack, for %s', async (_label, headers, path) => {
    const res = await socketRequest(server.url, {
      path,
      headers: { ...headers, 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect({ status: res.status, code: codeOf(res) }).toEqual({ status: 400, code: 'BAD_REQUEST' });
    expect(res.text).not.toMatch(/at |node_modules|TypeError/);
  });

  it('answer an absolute-form target (as HTTP/1.1 allows) like its path', async () => {
    const health = await socketRequest(server.url, { method: 'GET', path: 'http://elsewhere.example/health' });
    expect({ status: health.status, text: health.text }).toEqual({ status: 200, text: '{"status":"ok"}' });
    const gql = await socketRequest(server.url, {
      path: `${server.url}/graphql`,
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(JSON.parse(gql.text)).toEqual({ data: { __typename: 'Query' } });
  });

  it('answer a media path with broken escapes 404, not 500', async () => {
    expect((await fetch(`${server.url}/media/%E0%A4%A`)).status).toBe(404);
  });
});

describe('strings that are not Unicode', () => {
  // JSON can write a lone surrogate; no text has one. It used to reach the database driver (a 500)
  // or bcrypt (hashed as U+FFFD).
  const LONE = 'x\ud800';

  it.each([
    [
      'login',
      'mutation($e: String!) { login(email: $e, password: "whatever1") { token } }',
      { e: `${LONE}@example.com` },
    ],
    ['requestPasswordReset', 'mutation($e: String!) { requestPasswordReset(email: $e) }', { e: `${LONE}@example.com` }],
    [
      'register, deep in an input object',
      'mutation($input: RegisterInput!) { register(input: $input) { user { id } } }',
      { input: { email: 'lone@example.com', username: 'lone', password: `password${LONE}` } },
    ],
  ])('are refused as BAD_USER_INPUT in %s, before any resolver runs', async (_label, query, variables) => {
    const before = server.queries.length;
    const res = await server.gql(query, variables);
    expect({ status: res.status, code: errorCode(res) }).toEqual({ status: 400, code: 'BAD_USER_INPUT' });
    expect(res.body.errors![0]!.message).toMatch(/not well-formed Unicode/);
    expect(server.queries.slice(before)).toEqual([]);
  });

  it('are fine when they are pairs (an emoji)', async () => {
    const res = await server.gql('mutation($e: String!) { requestPasswordReset(email: $e) }', {
      e: 'x\ud83d\ude00@example.com',
    });
    expect(res.body).toEqual({ data: { requestPasswordReset: true } });
  });
});

describe('query limits', () => {
  it('refuses a 12-level-deep query with BAD_USER_INPUT', async () => {
    const deep = `{ me { ${'posts { edges { node { author { '.repeat(3)} id ${'} } } }'.repeat(3)} } }`;
    const res = await server.gql(deep, {}, alice.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/depth limit of 10 exceeded, found 1[2-9]/);
  });

  it('refuses 300 aliases with BAD_USER_INPUT', async () => {
    const aliases = Array.from({ length: 300 }, (_, i) => `a${i}: me { id }`).join(' ');
    const res = await server.gql(`{ ${aliases} }`, {}, alice.token);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/Aliases limit/i);
  });

  it('gives parse and validation errors stable codes', async () => {
    expect(errorCode(await server.gql('{ me { id }', {}, alice.token))).toBe('GRAPHQL_PARSE_FAILED');
    expect(errorCode(await server.gql('{ me { nope } }', {}, alice.token))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(
      errorCode(await server.gql('query($n: Int) { feed(first: $n) { edges { cursor } } }', { n: 'ten' }, alice.token)),
    ).toBe('BAD_USER_INPUT');
  });
});

describe('errors in the log', () => {
  it('leave the error level to what is unexpected: a client refused or mistaken is not a server fault', async () => {
    const before = server.logs.length;
    await server.gql('{ feed { edges { cursor } } }');
    await server.gql('{ feed(after: "not a cursor") { edges { cursor } } }', {}, alice.token);
    await server.gql('{ nope }', {}, alice.token);
    const levels = server.logs.slice(before).map((line) => JSON.parse(line).level);
    expect(levels.filter((level) => level === 'error' || level === 'warn')).toEqual([]);
  });
});

describe('unexpected errors', () => {
  it('are masked for the client, in development too, and logged with the request id for operators', async () => {
    // A table gone from under the server makes the feed fail in a way no code path expects.
    const broken = await startTestServer({ NODE_ENV: 'development' });
    try {
      const bob = await signUp(broken);
      // Likes and comments refer to posts: PostgreSQL drops them too only when told (SQLite has no CASCADE here).
      await broken.db.$executeRawUnsafe(`DROP TABLE "Post"${TEST_PROVIDER === 'postgresql' ? ' CASCADE' : ''}`);
      const res = await broken.gql('{ feed { edges { node { id } } } }', {}, bob.token, {
        'x-request-id': 'req-broken-1',
      });
      expect(res.body.errors).toEqual([
        {
          message: 'Unexpected error.',
          locations: expect.any(Array),
          path: ['feed'],
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        },
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/Post|table|relation/);
      const logged = broken.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'unexpected error');
      expect(logged).toMatchObject({
        level: 'error',
        requestId: 'req-broken-1',
        error: { message: expect.stringMatching(/Post/) },
      });
    } finally {
      await broken.close();
    }
  });
});
