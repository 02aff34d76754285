// Passwords hashed at another BCRYPT_COST are re-hashed at sign-in, never over a password a reset replaced.
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN, type LoginData, signUp } from './support/accounts.ts';
import { holdUserRow } from './support/row-lock.ts';
import { errorCode, startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server?.close());

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
