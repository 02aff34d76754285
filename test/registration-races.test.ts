// Registrations racing for one username: the loser gets the right error code, not a 500.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from './support/accounts.ts';
import { TEST_PROVIDER } from './support/database.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

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
