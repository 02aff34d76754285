// Limits that hold however a request is shaped: page sizes in variables, aliases, fragments, and
// several password checks in one operation (src/graphql/operation-limits.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, REGISTER } from './operations/accounts.ts';
import { CONNECTION_TYPE, LARGE_FEED_PAGE, MY_POSTS_PAGE, UPDATE_ME_AND_DELETE_ME } from './operations/limits.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { seedPosts } from './support/seed.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';
import { gqlTyped } from './support/typed.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
  await seedPosts(server, alice, 120);
});
afterAll(() => server?.close());

const NESTED =
  'query($n: Int) { feed(first: $n) { edges { node { author { posts(first: $n) { edges { node { id caption url } } } } } } } }';

/** Sends the query and reports the answer with the SQL statements it cost. */
async function measured(query: string, variables: Record<string, unknown> = {}, token: string | null = alice.token) {
  const before = server.queries.length;
  const res = await server.gql(query, variables, token);
  return { res, statements: server.queries.length - before };
}

describe('query cost', () => {
  it('refuses nested pages sized by variables with BAD_USER_INPUT before any SQL runs', async () => {
    const { res, statements } = await measured(NESTED, { n: 100 });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.message).toMatch(/cost limit of 5000 exceeded/);
    expect(res.body.data ?? null).toBeNull();
    expect(statements).toBe(0);
  });

  it('refuses three aliased copies of a query that alone is allowed', async () => {
    const one =
      'feed(first: $n) { edges { node { author { posts(first: $n) { edges { node { id caption url } } } } } } }';
    expect((await measured(NESTED, { n: 20 })).res.body.errors).toBeUndefined();
    const { res, statements } = await measured(`query($n: Int) { a: ${one} b: ${one} c: ${one} }`, { n: 20 });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(statements).toBe(0);
  });

  it('counts sizes written as literals, in fragments and behind node(id) the same way', async () => {
    const literal = NESTED.replace('query($n: Int)', 'query').replaceAll('$n', '100');
    expect(errorCode((await measured(literal)).res)).toBe('BAD_USER_INPUT');
    const fragments = `query($n: Int) { feed(first: $n) { ...Page } }
      fragment Page on PostConnection { edges { node { ... on Post { author { ...Posts } } } } }
      fragment Posts on User { posts(first: $n) { edges { node { id caption url } } } }`;
    const renamed = fragments.replace('on PostConnection', 'on QueryFeedConnection');
    const shaped = (await gqlTyped(server, CONNECTION_TYPE, {}, alice.token)).body.data!.__type ? fragments : renamed;
    expect(errorCode((await measured(shaped, { n: 100 })).res)).toBe('BAD_USER_INPUT');
    const viaNode = `query($id: ID!, $n: Int) { node(id: $id) { ... on User { posts(first: $n) { edges { node { author { posts(first: $n) { edges { node { id caption url } } } } } } } } } }`;
    expect(errorCode((await measured(viaNode, { id: alice.id, n: 50 })).res)).toBe('BAD_USER_INPUT');
  });

  it('caps User.posts at 50 a page', async () => {
    const res = await gqlTyped(server, MY_POSTS_PAGE, { n: 80 }, alice.token);
    expect(res.body.data!.me!.posts.edges).toHaveLength(50);
    expect(res.body.data!.me!.posts.pageInfo.hasNextPage).toBe(true);
  });

  it('still serves a large single page', async () => {
    const res = await gqlTyped(server, LARGE_FEED_PAGE, { n: 100 }, alice.token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.feed.edges).toHaveLength(100);
  });
});

describe('password work per request', () => {
  const aliased = (field: string, count: number) =>
    `mutation { ${Array.from({ length: count }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

  it('refuses two aliased logins before either runs', async () => {
    const sessions = await server.db.session.count();
    const login = `login(email: "${alice.email}", password: "${alice.password}") { token }`;
    const { res, statements } = await measured(aliased(login, 2), {}, null);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors![0]!.extensions!.fields).toEqual(['a0', 'a1']);
    expect(statements).toBe(0);
    expect(await server.db.session.count()).toBe(sessions);
  });

  it('refuses 30 aliased registrations, making no account', async () => {
    const fields = Array.from(
      { length: 30 },
      (_, i) =>
        `r${i}: register(input: { email: "bulk${i}@example.com", username: "bulk_${i}", password: "long enough password" }) { id }`,
    );
    const res = await server.gql(`mutation { ${fields.join(' ')} }`, {}, null);
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(await server.db.user.count({ where: { username: { startsWith: 'bulk_' } } })).toBe(0);
  });

  it('counts every field that checks or sets a password, with its input in variables', async () => {
    const user = await signUp(server);
    const res = await gqlTyped(
      server,
      UPDATE_ME_AND_DELETE_ME,
      { input: { password: 'another password', currentPassword: user.password }, password: user.password },
      user.token,
    );
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(await server.db.user.count({ where: { id: user.dbId } })).toBe(1);
    // A profile change without a password is no password work: it may go with one that is.
    const fine = await gqlTyped(
      server,
      UPDATE_ME_AND_DELETE_ME,
      { input: { username: `renamed_${user.username}` }, password: user.password },
      user.token,
    );
    expect(fine.body.errors).toBeUndefined();
    expect(fine.body.data!.deleteMe).toBe(true);
  });

  it('lets one login and one register through as before', async () => {
    expect(
      (await gqlTyped(server, LOGIN, { email: alice.email, password: alice.password })).body.data!.login.token,
    ).toBeTruthy();
    const res = await gqlTyped(server, REGISTER, {
      input: { email: 'single@example.com', username: 'single', password: 'long enough password' },
    });
    expect(res.body.data!.register.username).toBe('single');
  });
});

describe('request shapes', () => {
  it('refuses a batch (a JSON array of operations)', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.token}` },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.errors[0].extensions.code).toBeTruthy();
  });
});
