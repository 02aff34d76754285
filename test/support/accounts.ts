import type { ResultOf } from '@graphql-typed-document-node/core';
import { LOGIN as LOGIN_DOCUMENT, REGISTER as REGISTER_DOCUMENT } from '../operations/accounts.ts';
import { dbIdOf } from './ids.ts';
import type { TestServer } from './server.ts';
import { gqlTyped, textOf } from './typed.ts';

let counter = 0;

// The texts of the typed documents (test/operations/accounts.ts), for tests that send them as strings:
// over raw HTTP, in races and floods. Their answers are typed by RegisterData and LoginData.
export const REGISTER = textOf(REGISTER_DOCUMENT);
export const LOGIN = textOf(LOGIN_DOCUMENT);

/** What REGISTER answers. */
export type RegisterData = ResultOf<typeof REGISTER_DOCUMENT>;
/** What LOGIN answers. */
export type LoginData = ResultOf<typeof LOGIN_DOCUMENT>;

export interface TestUser {
  id: string;
  dbId: string;
  email: string;
  username: string;
  password: string;
  token: string;
}

/** Registers a fresh user and signs them in. */
export async function signUp(
  server: TestServer,
  options: { superuser?: boolean; name?: string } = {},
): Promise<TestUser> {
  counter += 1;
  const username = options.name ?? `user_${process.pid}_${counter}`;
  const email = `${username}@example.com`;
  const password = 'correct horse battery';
  const registered = await gqlTyped(server, REGISTER_DOCUMENT, { input: { email, username, password } });
  if (registered.body.errors) throw new Error(JSON.stringify(registered.body.errors));
  const id = registered.body.data!.register.id;
  const dbId = dbIdOf(id);
  if (options.superuser) await server.db.user.update({ where: { id: dbId }, data: { isSuperuser: true } });
  const login = await gqlTyped(server, LOGIN_DOCUMENT, { email, password });
  if (login.body.errors) throw new Error(JSON.stringify(login.body.errors));
  return { id, dbId, email, username, password, token: login.body.data!.login.token! };
}
