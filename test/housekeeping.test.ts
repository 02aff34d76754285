// Smaller guarantees: node(id) for what is not there, sessions pruned, search terms taken literally,
// the right error code for a lost race, passwords re-hashed at the configured cost, isOwner in a login
// answer, and introspection off in production.
import { randomUUID } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, signUp, type TestUser } from './support/accounts.ts';
import { TEST_PROVIDER } from './support/database.ts';
import { globalIdOf } from './support/ids.ts';
import { holdUserRow } from './support/row-lock.ts';
import { seedPosts } from './support/seed.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let alice: TestUser;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
  admin = await signUp(server, { superuser: true });
});
afterAll(() => server?.close());

type UserNodeData = { node: { id: string; username?: string } | null };
type UsernamesData = { users: { edges: { node: { username: string } }[] } };
type LoginPostsData = { login: { user: { posts: { edges: { node: { isOwner: boolean } }[] } } } };
type SchemaData = { __schema: { queryType: { name: string } } };

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
    const res = await server.gql<UserNodeData>(
      'query($id: ID!) { node(id: $id) { id ... on User { username } } }',
      { id: alice.id },
      alice.token,
    );
    expect(res.body.data!.node).toEqual({ id: alice.id, username: alice.username });
  });
});

describe('sessions', () => {
  it('past their expiry are pruned by maintenance', async () => {
    const past = new Date(Date.now() - 1000);
    await server.db.session.create({
      data: { id: randomUUID(), userId: alice.dbId, expiresAt: past, absoluteExpiresAt: past },
    });
    const live = await server.db.session.count({ where: { expiresAt: { gt: new Date() } } });
    await server.app.services.maintenance.runOnce();
    expect(await server.db.session.count({ where: { expiresAt: { lte: new Date() } } })).toBe(0);
    expect(await server.db.session.count()).toBe(live);
  });
});

describe('users(search:)', () => {
  it('takes % and _ literally', async () => {
    const names = ['lit_x', 'litax', 'litbx', 'litcx'];
    for (const name of names) await signUp(server, { name });
    const search = async (term: string, first = 20) =>
      (
        await server.gql<UsernamesData>(
          'query($s: String, $n: Int) { users(search: $s, first: $n) { edges { node { username } } } }',
          { s: term, n: first },
          admin.token,
        )
      ).body.data!.users.edges.map((e) => e.node.username);
    expect(await search('lit_')).toEqual(['lit_x']);
    expect(await search('t_x')).toEqual(['lit_x']);
    expect(await search('%')).toEqual([]);
    // A page of one still finds the only literal match among rows the wildcard matches too.
    expect(await search('_', 1)).toEqual(['lit_x']);
    expect(await search('itb')).toEqual(['litbx']);
  });
});

describe('a username taken by a racing request', () => {
  /** Makes another account take `username` just before any update to it: the race, every time. */
  async function raceForUsername(username: string) {
    const racer = `'${randomUUID()}', 'racer-${randomUUID()}@example.com', '${username}', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP`;
    const columns = '"id", "email", "username", "hashedPassword", "createdAt", "updatedAt"';
    if (TEST_PROVIDER === 'sqlite') {
      await server.db.$executeRawUnsafe(
        `CREATE TRIGGER race BEFORE UPDATE OF username ON "User" WHEN NEW.username = '${username}' BEGIN INSERT INTO "User" (${columns}) VALUES (${racer}); END`,
      );
    } else {
      await server.db.$executeRawUnsafe(
        `CREATE FUNCTION race() RETURNS trigger AS $$ BEGIN INSERT INTO "User" (${columns}) VALUES (${racer}); RETURN NEW; END $$ LANGUAGE plpgsql`,
      );
      await server.db.$executeRawUnsafe(
        `CREATE TRIGGER race BEFORE UPDATE OF username ON "User" FOR EACH ROW WHEN (NEW.username = '${username}') EXECUTE FUNCTION race()`,
      );
    }
  }

  it('answers UPDATE_USER_USERNAME_ALREADY_EXISTS', async () => {
    const user = await signUp(server);
    await raceForUsername('contested');
    const res = await server.gql(
      'mutation { updateMe(input: { username: "contested" }) { username } }',
      {},
      user.token,
    );
    expect(errorCode(res)).toBe('UPDATE_USER_USERNAME_ALREADY_EXISTS');
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).username).toBe(user.username);
  });
});

describe('passwords hashed at another cost', () => {
  it('are re-hashed at BCRYPT_COST at the next sign-in', async () => {
    const user = await signUp(server);
    await server.db.user.update({
      where: { id: user.dbId },
      data: { hashedPassword: await bcrypt.hash(user.password, 6) },
    });
    expect(
      (await server.gql<LoginData>(LOGIN, { email: user.email, password: user.password })).body.data!.login.token,
    ).toBeTruthy();
    const { hashedPassword } = await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } });
    expect(bcrypt.getRounds(hashedPassword)).toBe(4);
    expect(await bcrypt.compare(user.password, hashedPassword)).toBe(true);
  });

  it('are not re-hashed over a password a reset replaced during the sign-in', async () => {
    const user = await signUp(server);
    await server.db.user.update({
      where: { id: user.dbId },
      data: { hashedPassword: await bcrypt.hash(user.password, 6) },
    });
    const replaced = await bcrypt.hash('the password from the reset', 4);
    const held = await holdUserRow(server, user.dbId);
    const signingIn = server.gql(LOGIN, { email: user.email, password: user.password });
    await held.commit({ hashedPassword: replaced });
    // The password was right when checked and is wrong now: no session for it.
    expect(errorCode(await signingIn)).toBe('LOGIN_BAD_CREDENTIALS');
    expect((await server.db.user.findUniqueOrThrow({ where: { id: user.dbId } })).hashedPassword).toBe(replaced);
  });
});

describe('a login answer', () => {
  it("shows the user's own posts as theirs", async () => {
    const user = await signUp(server);
    await seedPosts(server, user, 2);
    const res = await server.gql<LoginPostsData>(
      'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { user { posts { edges { node { isOwner } } } } } }',
      { email: user.email, password: user.password },
    );
    expect(res.body.data!.login.user.posts.edges).toEqual([{ node: { isOwner: true } }, { node: { isOwner: true } }]);
  });
});

describe('introspection', () => {
  const introspect = (target: TestServer) => target.gql<SchemaData>('{ __schema { queryType { name } } }', {}, null);

  it('is on outside production', async () => {
    expect((await introspect(server)).body.data!.__schema.queryType.name).toBe('Query');
  });

  it('is off in production unless INTROSPECTION=true', async () => {
    const production = await startTestServer({ NODE_ENV: 'production' });
    const allowed = await startTestServer({ NODE_ENV: 'production', INTROSPECTION: 'true' });
    try {
      const refused = await introspect(production);
      expect(errorCode(refused)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(refused.body.errors![0]!.message).toMatch(/introspection/i);
      expect(errorCode(await production.gql('{ __type(name: "Post") { name } }'))).toBe('GRAPHQL_VALIDATION_FAILED');
      expect((await introspect(allowed)).body.data!.__schema.queryType.name).toBe('Query');
    } finally {
      await production.close();
      await allowed.close();
    }
  });
});
