// What the outage tests share (test/outages.test.ts for the database, test/instances/outages-redis.test.ts
// for Redis): the bounds the README promises, the answers to expect, and the ways a proxy goes down.
import { expect } from 'vitest';
import { codeOf, firstError, type RawResponse, rawRequest } from './http.ts';
import type { TestServer } from './server.ts';
import type { TcpProxy } from './tcp-proxy.ts';
import { multipartBody } from './upload.ts';

export const FEED = '{ feed(first: 5) { edges { node { id } } } }';
/** What the README promises: an answer within 3 s while a dependency is down, and service within 5 s after. */
export const ANSWER_WITHIN_MS = 3000;
export const RECOVER_WITHIN_MS = 5000;

/** An upload on a connection of its own, timed like the other requests. */
export async function rawUpload(url: string, token: string): Promise<RawResponse> {
  const request = new Request(`${url}/graphql`, {
    method: 'POST',
    body: await multipartBody({ fixture: 'photo.jpg' }),
  });
  return rawRequest(url, {
    headers: {
      'content-type': request.headers.get('content-type')!,
      'apollo-require-preflight': 'true',
      authorization: `Bearer ${token}`,
    },
    body: Buffer.from(await request.arrayBuffer()),
  });
}

export const health = (server: TestServer) => rawRequest(server.url, { method: 'GET', path: '/health' });

/** The answer of a request that needed the dependency that is down. */
export function expectUnavailable(response: RawResponse, dependency: string) {
  expect(response.status, response.text).toBe(503);
  expect(response.headers['retry-after']).toBe('5');
  expect(codeOf(response)).toBe('SERVICE_UNAVAILABLE');
  expect(firstError(response)?.extensions?.dependency).toBe(dependency);
  expect(response.ms).toBeLessThan(ANSWER_WITHIN_MS);
}

export async function expectHealthDown(server: TestServer, dependency: string) {
  const answer = await health(server);
  expect(answer.status).toBe(503);
  expect(answer.json).toEqual({ status: 'unavailable', down: [dependency] });
  expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
}

/** Polls from the moment the dependency is back until `works` holds, and returns how long that took. */
export async function timeToRecover(works: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  while (!(await works())) {
    if (performance.now() - started > 2 * RECOVER_WITHIN_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

export const modes = [
  ['refusing connections', (proxy: TcpProxy) => proxy.cut()],
  ['silent (connections accepted, never answered)', (proxy: TcpProxy) => proxy.blackhole()],
] as const;
