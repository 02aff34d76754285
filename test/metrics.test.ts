// GET /metrics for operators: Prometheus text with Node's defaults, GraphQL durations by operation type,
// operations by name and errors by code, with label values a client cannot grow without bound.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { PRODUCTION, startTestServer, type TestServer } from './support/server.ts';
import { multipartBody } from './support/upload.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});
afterAll(() => server?.close());

async function metrics(target = server) {
  const res = await fetch(`${target.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample line, e.g. graphql_errors_total{code="UNAUTHENTICATED"}. */
function sample(text: string, line: string): number {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.split(' ').at(-1)) : 0;
}

describe('/metrics', () => {
  it("serves Prometheus' text format with Node's default metrics, event-loop lag percentiles included", async () => {
    const { status, type, text } = await metrics();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      'nodejs_eventloop_lag_p50_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('counts requests by operation type, operations by name, and errors by code, early refusals included', async () => {
    const before = (await metrics()).text;
    await server.gql('query Feed { feed { edges { cursor } } }', {}, alice.token);
    await server.gql('mutation Logout { logout }', {}, null);
    await fetch(`${server.url}/graphql`, { method: 'POST', body: await multipartBody({}) });
    const after = (await metrics()).text;
    const grew = (line: string) => sample(after, line) - sample(before, line);
    expect(grew('graphql_request_duration_seconds_count{operation_type="query"}')).toBe(1);
    expect(grew('graphql_request_duration_seconds_count{operation_type="mutation"}')).toBe(1);
    expect(grew('graphql_operations_total{operation_name="Feed"}')).toBe(1);
    expect(grew('graphql_operations_total{operation_name="Logout"}')).toBe(1);
    expect(grew('graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(1);
    expect(grew('graphql_errors_total{code="CSRF_HEADER_REQUIRED"}')).toBe(1);
  });

  it('keeps operation names to 200 distinct ones and name-like strings', async () => {
    await Promise.all(Array.from({ length: 250 }, (_, i) => server.gql(`query Op${i} { __typename }`)));
    const text = (await metrics()).text;
    const names = text.split('\n').filter((line) => line.startsWith('graphql_operations_total{'));
    expect(names.length).toBeLessThanOrEqual(202);
    expect(sample(text, 'graphql_operations_total{operation_name="other"}')).toBeGreaterThanOrEqual(50);
  });

  it('is off in production unless METRICS=true, and then asks for METRICS_TOKEN when one is set', async () => {
    const token = 'scraper-token-0123456789';
    const production = await startTestServer(PRODUCTION);
    const guarded = await startTestServer({ ...PRODUCTION, METRICS: 'true', METRICS_TOKEN: token });
    try {
      expect((await metrics(production)).status).toBe(404);
      const asked = async (authorization?: string) => {
        const res = await fetch(`${guarded.url}/metrics`, { headers: authorization ? { authorization } : {} });
        const text = await res.text();
        return { status: res.status, code: res.status === 200 ? null : JSON.parse(text).errors[0].extensions.code };
      };
      expect(await asked()).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await asked(`Bearer ${token}x`)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
      expect(await asked(`Bearer ${token}`)).toEqual({ status: 200, code: null });
    } finally {
      await production.close();
      await guarded.close();
    }
  });

  it('is off with METRICS=false, and /health stays', async () => {
    const quiet = await startTestServer({ METRICS: 'false' });
    try {
      const res = await metrics(quiet);
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text).errors[0].extensions.code).toBe('NOT_FOUND');
      expect((await fetch(`${quiet.url}/health`)).status).toBe(200);
    } finally {
      await quiet.close();
    }
  });
});
