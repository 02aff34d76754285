// node(id) for what is not there: an id of no type, of a row gone, of another type: null, as Relay has it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_USERNAME } from './operations/accounts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});
afterAll(() => server?.close());

describe('node(id)', () => {
  it.each([
    ['an unknown user', () => globalIdOf('User', randomUUID())],
    ['an unknown post', () => globalIdOf('Post', randomUUID())],
    ['a type that is no node', () => globalIdOf('Session', 'x')],
    ['a type that does not exist', () => globalIdOf('Foo', '1')],
  ])('answers null, without an error, for %s', async (_label, id) => {
    const res = await server.gql('query($id: ID!) { node(id: $id) { id } }', { id: id() }, alice.token);
    expect(res.body).toEqual({ data: { node: null } });
    expect(server.logs.filter((line) => line.includes('unexpected error'))).toEqual([]);
  });

  it('answers NOT_FOUND for an id that is not a global id at all', async () => {
    expect(
      errorCode(await server.gql('query($id: ID!) { node(id: $id) { id } }', { id: 'garbage!!' }, alice.token)),
    ).toBe('NOT_FOUND');
  });

  it('still finds what is there', async () => {
    const res = await gqlTyped(server, NODE_USERNAME, { id: alice.id }, alice.token);
    expect(res.body.data!.node).toEqual({ id: alice.id, username: alice.username });
  });
});
