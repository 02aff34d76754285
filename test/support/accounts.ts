import { dbIdOf } from './ids.ts';
import type { TestServer } from './server.ts';

let counter = 0;

export const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterInput!) {
    register(input: $input) { id username email isActive isVerified isSuperuser createdAt }
  }
`;
export const LOGIN = /* GraphQL */ `
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token tokenType expiresAt user { id email username } }
  }
`;

/** What REGISTER answers. */
export type RegisterData = {
  register: {
    id: string;
    username: string;
    email: string | null;
    isActive: boolean;
    isVerified: boolean;
    isSuperuser: boolean;
    createdAt: string;
  };
};
/** What LOGIN answers. */
export type LoginData = {
  login: {
    token: string;
    tokenType: string;
    expiresAt: string;
    user: { id: string; email: string | null; username: string };
  };
};

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
  const registered = await server.gql<RegisterData>(REGISTER, { input: { email, username, password } });
  if (registered.body.errors) throw new Error(JSON.stringify(registered.body.errors));
  const id = registered.body.data!.register.id;
  const dbId = dbIdOf(id);
  if (options.superuser) await server.db.user.update({ where: { id: dbId }, data: { isSuperuser: true } });
  const login = await server.gql<LoginData>(LOGIN, { email, password });
  if (login.body.errors) throw new Error(JSON.stringify(login.body.errors));
  return { id, dbId, email, username, password, token: login.body.data!.login.token };
}
