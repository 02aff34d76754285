// mySessions shows when a session was last used, whichever instance it was used on (each writes it at most
// every few minutes for a session, so another instance's use is what moves it).
import { describe, expect, it } from 'vitest';
import { MY_SESSIONS_LAST_USED as MY_SESSIONS } from '../operations/sessions.ts';
import { signUp } from '../support/accounts.ts';
import { startTestServer } from '../support/server.ts';
import { loginWithRefresh, sessionIdOf, signedIn } from '../support/sessions.ts';
import { gqlTyped } from '../support/typed.ts';

describe('mySessions across instances', () => {
  it('shows when a session was last used', async () => {
    const server = await startTestServer({}, { instances: true });
    const user = await signUp(server);
    const pair = await loginWithRefresh(server, user);
    const id = sessionIdOf(pair.token);
    const hourAgo = new Date(Date.now() - 3600_000);
    await server.db.session.update({ where: { id }, data: { lastUsedAt: hourAgo } });
    // Another instance of the same database, which has not written this session's lastUsedAt yet.
    const other = await startTestServer({}, { dir: server.dir, instances: true });
    try {
      const before = Date.now();
      expect(await signedIn(other, pair.token)).toBe(true);
      const listed = (await gqlTyped(other, MY_SESSIONS, {}, pair.token)).body.data!.mySessions;
      const lastUsed = new Date(listed.find((s) => s.current)!.lastUsedAt).getTime();
      expect(lastUsed).toBeGreaterThanOrEqual(before - 1000);
    } finally {
      await other.close();
      await server.close();
    }
  });
});
