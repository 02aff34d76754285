// Expired sessions are pruned (they are already refused; this keeps the table small).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type TestUser } from './support/accounts.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;
let alice: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  alice = await signUp(server);
});
afterAll(() => server?.close());

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
