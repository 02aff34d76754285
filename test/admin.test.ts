import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELETE_USER,
  LOGIN,
  REGISTER,
  ADMIN_UPDATE_USER as UPDATE_USER,
  ADMIN_USER as USER,
  ADMIN_USERS as USERS,
} from './operations/accounts.ts';
import { signUp, type TestUser } from './support/accounts.ts';
import { globalIdOf } from './support/ids.ts';
import { holdUserRow } from './support/row-lock.ts';
import { errorCode, filesUnder, startTestServer, type TestServer } from './support/server.ts';
import { type AnyDocument, gqlTyped, textOf } from './support/typed.ts';
import { uploadPost } from './support/upload.ts';

let server: TestServer;
let admin: TestUser;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await signUp(server, { superuser: true, name: 'root_admin' });
  alice = await signUp(server, { name: 'alice_admin_test' });
});
afterAll(() => server?.close());

describe('superuser operations', () => {
  it('are FORBIDDEN for ordinary users and UNAUTHENTICATED without a token', async () => {
    const calls: [AnyDocument, Record<string, unknown>][] = [
      [USER, { id: alice.id }],
      [USERS, {}],
      [UPDATE_USER, { id: alice.id, input: { isSuperuser: true } }],
      [DELETE_USER, { id: admin.id }],
    ];
    for (const [query, variables] of calls) {
      expect(errorCode(await gqlTyped(server, query, variables, alice.token)), textOf(query)).toBe('FORBIDDEN');
      expect(errorCode(await gqlTyped(server, query, variables)), textOf(query)).toBe('UNAUTHENTICATED');
    }
    expect((await server.db.user.findUniqueOrThrow({ where: { id: alice.dbId } })).isSuperuser).toBe(false);
    expect(await server.db.user.count({ where: { id: admin.dbId } })).toBe(1);
  });

  it('reads one user, with email, and null for an unknown id', async () => {
    expect((await gqlTyped(server, USER, { id: alice.id }, admin.token)).body.data!.user).toEqual({
      id: alice.id,
      email: alice.email,
      username: alice.username,
      isActive: true,
    });
    expect(
      (await gqlTyped(server, USER, { id: globalIdOf('User', '00000000-0000-4000-8000-000000000000') }, admin.token))
        .body.data!.user,
    ).toBeNull();
  });

  it('lists users in pages, with search', async () => {
    for (let i = 0; i < 5; i += 1) await signUp(server, { name: `listed_${i}` });
    const page = await gqlTyped(server, USERS, { first: 3, search: 'LISTED_' }, admin.token);
    expect(page.body.data!.users.edges.map((e) => e.node.username)).toEqual(['listed_4', 'listed_3', 'listed_2']);
    const next = await gqlTyped(
      server,
      USERS,
      { first: 3, search: 'listed_', after: page.body.data!.users.pageInfo.endCursor },
      admin.token,
    );
    expect(next.body.data!.users.edges.map((e) => e.node.username)).toEqual(['listed_1', 'listed_0']);
    expect(next.body.data!.users.pageInfo.hasNextPage).toBe(false);
    const byEmail = await gqlTyped(server, USERS, { search: 'listed_2@' }, admin.token);
    expect(byEmail.body.data!.users.edges).toEqual([{ node: { username: 'listed_2', email: 'listed_2@example.com' } }]);
  });

  it('finds an accented email however the accent is typed (composed or decomposed)', async () => {
    const registered = await gqlTyped(server, REGISTER, {
      input: { email: 'ren\u00e9@example.com', username: 'rene_accent', password: 'long enough password' },
    });
    expect(registered.body.errors).toBeUndefined();
    for (const search of ['ren\u00e9@', 'rene\u0301@']) {
      const res = await gqlTyped(server, USERS, { search }, admin.token);
      expect(res.body.data!.users.edges.map((e) => e.node.username)).toEqual(['rene_accent']);
    }
  });

  it('refuses a search term over 254 characters with BAD_USER_INPUT, and takes one of 254', async () => {
    for (const search of ['x'.repeat(50_000), `${'%_'.repeat(127)}x`]) {
      const res = await gqlTyped(server, USERS, { search }, admin.token);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.body.errors![0]!.extensions!.field).toBe('search');
      expect(res.body.errors![0]!.message).toMatch(/at most 254 characters/);
    }
    const longest = await gqlTyped(server, USERS, { search: `${'%_'.repeat(126)}x@` }, admin.token);
    expect(longest.body).toEqual({ data: { users: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } } });
  });

  it('answers NOT_FOUND when the account is deleted while updateUser runs', async () => {
    const user = await signUp(server);
    const held = await holdUserRow(server, user.dbId);
    const [res] = await Promise.all([
      gqlTyped(server, UPDATE_USER, { id: user.id, input: { isVerified: true } }, admin.token),
      held.commitDeletion(),
    ]);
    expect(errorCode(res)).toBe('NOT_FOUND');
  });

  it('updates flags and identity, with the same checks as a user gets', async () => {
    const user = await signUp(server);
    const res = await gqlTyped(
      server,
      UPDATE_USER,
      { id: user.id, input: { isVerified: true, isSuperuser: true, username: 'Promoted_User' } },
      admin.token,
    );
    expect(res.body.data!.updateUser).toMatchObject({
      id: user.id,
      isVerified: true,
      isSuperuser: true,
      username: 'promoted_user',
    });
    expect(
      errorCode(await gqlTyped(server, UPDATE_USER, { id: user.id, input: { email: alice.email } }, admin.token)),
    ).toBe('UPDATE_USER_EMAIL_ALREADY_EXISTS');
    expect(
      errorCode(await gqlTyped(server, UPDATE_USER, { id: user.id, input: { password: 'short' } }, admin.token)),
    ).toBe('UPDATE_USER_INVALID_PASSWORD');
    expect(
      errorCode(
        await gqlTyped(
          server,
          UPDATE_USER,
          {
            id: globalIdOf('User', '00000000-0000-4000-8000-000000000000'),
            input: { isActive: false },
          },
          admin.token,
        ),
      ),
    ).toBe('NOT_FOUND');
  });

  it('deactivating a user makes their tokens UNAUTHENTICATED at once', async () => {
    const user = await signUp(server);
    expect((await server.gql('{ feed { edges { cursor } } }', {}, user.token)).body.errors).toBeUndefined();
    await gqlTyped(server, UPDATE_USER, { id: user.id, input: { isActive: false } }, admin.token);
    expect(errorCode(await server.gql('{ feed { edges { cursor } } }', {}, user.token))).toBe('UNAUTHENTICATED');
    expect(errorCode(await gqlTyped(server, LOGIN, { email: user.email, password: user.password }))).toBe(
      'LOGIN_BAD_CREDENTIALS',
    );
  });

  it('deletes a user with their posts and media', async () => {
    const user = await signUp(server);
    const posted = await uploadPost(server.url, { token: user.token, fixture: 'clip.webm' });
    const res = await gqlTyped(server, DELETE_USER, { id: user.id }, admin.token);
    expect(res.body).toEqual({ data: { deleteUser: user.id } });
    expect(await server.db.post.count({ where: { authorId: user.dbId } })).toBe(0);
    expect((await fetch(posted.body.data!.uploadPost.url)).status).toBe(404);
    expect((await filesUnder(server.config.uploadDir)).filter((f) => f.startsWith(user.dbId))).toEqual([]);
    expect(errorCode(await gqlTyped(server, DELETE_USER, { id: user.id }, admin.token))).toBe('NOT_FOUND');
  });
});
