// users(search:) takes its term literally: SQL's wildcards in it are characters, not patterns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERNAMES } from './operations/accounts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

describe('users(search:)', () => {
  it('takes % and _ literally', async () => {
    const names = ['lit_x', 'litax', 'litbx', 'litcx'];
    for (const name of names) await signUp(server, { name });
    const search = async (term: string, first = 20) =>
      (await gqlTyped(server, USERNAMES, { s: term, n: first }, admin.token)).body.data!.users.edges.map(
        (e) => e.node.username,
      );
    expect(await search('lit_')).toEqual(['lit_x']);
    expect(await search('t_x')).toEqual(['lit_x']);
    expect(await search('%')).toEqual([]);
    // A page of one still finds the only literal match among rows the wildcard matches too.
    expect(await search('_', 1)).toEqual(['lit_x']);
    expect(await search('itb')).toEqual(['litbx']);
  });
});
