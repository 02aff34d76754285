// A logout on one instance revokes the token on another sharing the database.
import { describe, expect, it } from 'vitest';
import { LOGIN, WHO_AM_I as ME } from '../operations/accounts.ts';
import { LOGOUT } from '../operations/sessions.ts';
import { signUp } from '../support/accounts.ts';
import { errorCode, startTestServer } from '../support/server.ts';
import { gqlTyped } from '../support/typed.ts';

const FEED = '{ feed { edges { node { id } } } }';

describe('logout', () => {
  it('revokes the token it was called with, on another instance sharing the database too', async () => {
    const first = await startTestServer({}, { instances: true });
    const other = await startTestServer({}, { dir: first.dir, instances: true });
    try {
      const user = await signUp(first);
      const second = (await gqlTyped(first, LOGIN, { email: user.email, password: user.password })).body.data!.login
        .token!;
      // A token issued by one instance works on the other.
      expect((await gqlTyped(other, ME, {}, user.token)).body.data!.me!.username).toBe(user.username);

      const res = await gqlTyped(first, LOGOUT, {}, user.token);
      expect(res.body.data).toEqual({ logout: true });
      expect((await gqlTyped(first, ME, {}, user.token)).body.data!.me).toBeNull();
      expect(errorCode(await other.gql(FEED, {}, user.token))).toBe('UNAUTHENTICATED');
      // Only that token: the user's other session goes on.
      expect((await gqlTyped(other, ME, {}, second)).body.data!.me!.username).toBe(user.username);
    } finally {
      await other.close();
      await first.close();
    }
  });
});
