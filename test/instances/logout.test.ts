// A logout on one instance revokes the token on another sharing the database.
import { describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, signUp } from '../support/accounts.ts';
import { errorCode, startTestServer } from '../support/server.ts';

const ME = '{ me { id username email } }';
const FEED = '{ feed { edges { node { id } } } }';

type MeData = { me: { id: string; username: string; email: string | null } | null };

describe('logout', () => {
  it('revokes the token it was called with, on another instance sharing the database too', async () => {
    const first = await startTestServer({}, { instances: true });
    const other = await startTestServer({}, { dir: first.dir, instances: true });
    try {
      const user = await signUp(first);
      const second = (await first.gql<LoginData>(LOGIN, { email: user.email, password: user.password })).body.data!
        .login.token;
      // A token issued by one instance works on the other.
      expect((await other.gql<MeData>(ME, {}, user.token)).body.data!.me!.username).toBe(user.username);

      const res = await first.gql('mutation { logout }', {}, user.token);
      expect(res.body.data).toEqual({ logout: true });
      expect((await first.gql<MeData>(ME, {}, user.token)).body.data!.me).toBeNull();
      expect(errorCode(await other.gql(FEED, {}, user.token))).toBe('UNAUTHENTICATED');
      // Only that token: the user's other session goes on.
      expect((await other.gql<MeData>(ME, {}, second)).body.data!.me!.username).toBe(user.username);
    } finally {
      await other.close();
      await first.close();
    }
  });
});
