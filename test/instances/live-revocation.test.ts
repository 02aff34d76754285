// What ends a session ends its live streams, on every instance within a second: a stream open on B
// gets UNAUTHENTICATED as its last event and completes when, on A, the viewer logs out (bearer or
// cookie), resets their password, is deactivated, or deletes their account. Two instances sharing
// PostgreSQL (NOTIFY) or a SQLite file and Redis, both pinned, in every pass.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from '../support/accounts.ts';
import { loginWithCookie, PREFLIGHT } from '../support/cookies.ts';
import { newPostgresTestUrl } from '../support/database.ts';
import { FEED_EVENTS, NOTIFICATION_ADDED } from '../support/live.ts';
import { outboxToken, readOutbox } from '../support/outbox.ts';
import { newTempDir, startTestServer, type TestServer } from '../support/server.ts';
import { openSse, type SseStream } from '../support/sse.ts';

describe.each([
  ['two instances sharing PostgreSQL', async () => ({ DATABASE_URL: newPostgresTestUrl() })],
  [
    'two instances sharing a SQLite file and Redis',
    async () => ({ DATABASE_URL: `file:${path.join(await newTempDir(), 'shared.db')}` }),
  ],
] as const)('streams ended with their session, %s', (_shape, envOf) => {
  let a: TestServer;
  let b: TestServer;
  let admin: TestUser;
  const open: SseStream[] = [];

  beforeAll(async () => {
    const env = await envOf();
    a = await startTestServer(env, { instances: true });
    b = await startTestServer(env, { dir: a.dir, instances: true });
    admin = await signUp(a, { superuser: true });
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await b?.close();
    await a?.close();
  });

  /** Two streams on B for the user (feed and notifications), open before the change. */
  async function streamsOnB(auth: { token?: string; cookie?: string }) {
    const headers: Record<string, string> = auth.cookie ? { cookie: auth.cookie } : {};
    const streams = [
      await openSse(b.url, FEED_EVENTS, {}, { token: auth.token, headers }),
      await openSse(b.url, NOTIFICATION_ADDED, {}, { token: auth.token, headers }),
    ];
    open.push(...streams);
    // Open for real: the instance counts them.
    await expect.poll(() => b.app.services.live.size).toBeGreaterThanOrEqual(2);
    return streams;
  }

  /** Each stream's last event is UNAUTHENTICATED and it completes, within a second of `change`. */
  async function endedWithin1s(streams: SseStream[], change: () => Promise<unknown>) {
    const started = performance.now();
    await change();
    for (const s of streams) {
      const last = await s.next(1000);
      expect(last.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(await s.ended).toMatchObject({ complete: true });
    }
    expect(performance.now() - started).toBeLessThan(1000 + 500);
  }

  it('logout with a bearer token ends that session’s streams, not the others', async () => {
    const user = await signUp(a);
    const other = await signUp(a);
    const [kept] = await streamsOnB({ token: other.token });
    const streams = await streamsOnB({ token: user.token });
    await endedWithin1s(streams, () => a.gql('mutation { logout }', {}, user.token));
    expect(kept!.events.some((e) => e.event === 'complete')).toBe(false);
  });

  it('logout with the session cookie ends the streams that cookie opened', async () => {
    const user = await signUp(a);
    const { cookie } = await loginWithCookie(a, user);
    const streams = await streamsOnB({ cookie });
    await endedWithin1s(streams, () => a.gql('mutation { logout }', {}, null, { cookie, ...PREFLIGHT }));
  });

  it('a password reset ends every stream of the account', async () => {
    const user = await signUp(a);
    const streams = await streamsOnB({ token: user.token });
    await a.gql('mutation($email: String!) { requestPasswordReset(email: $email) }', { email: user.email });
    await a.app.services.accounts.flush();
    const mail = (await readOutbox(a.dir)).find((e) => e.to === user.email && /reset-password/.test(e.text));
    const token = outboxToken(mail!, '/reset-password');
    await endedWithin1s(streams, () =>
      a.gql('mutation($t: String!, $p: String!) { resetPassword(token: $t, password: $p) }', {
        t: token,
        p: 'a completely new password',
      }),
    );
  });

  it('a deactivation ends every stream of the account', async () => {
    const user = await signUp(a);
    const streams = await streamsOnB({ token: user.token });
    await endedWithin1s(streams, () =>
      a.gql(
        'mutation($id: ID!) { updateUser(id: $id, input: { isActive: false }) { id } }',
        { id: user.id },
        admin.token,
      ),
    );
  });

  it('deleteMe ends every stream of the account', async () => {
    const user = await signUp(a);
    const streams = await streamsOnB({ token: user.token });
    await endedWithin1s(streams, () =>
      a.gql('mutation($p: String!) { deleteMe(password: $p) }', { p: user.password }, user.token),
    );
  });
});
