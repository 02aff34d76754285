// Sessions as a bearer client holds them: a login that keeps the refresh token, a refresh, and what
// a token says about its session.
import type { TestUser } from './accounts.ts';
import type { TestServer } from './server.ts';

export const LOGIN_WITH_REFRESH = /* GraphQL */ `
  mutation LoginWithRefresh($email: String!, $password: String!) {
    login(email: $email, password: $password) { token expiresAt refreshToken refreshExpiresAt user { id } }
  }
`;
export const REFRESH = /* GraphQL */ `
  mutation Refresh($refreshToken: String!) {
    refreshSession(refreshToken: $refreshToken) { token tokenType expiresAt refreshToken refreshExpiresAt user { id email } }
  }
`;

/** What LOGIN_WITH_REFRESH and REFRESH answer. */
export interface Pair {
  token: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
  user: { id: string };
}

/** Signs in as a bearer client: an access token and a refresh token. */
export async function loginWithRefresh(
  server: TestServer,
  user: Pick<TestUser, 'email' | 'password'>,
  headers: Record<string, string> = {},
): Promise<Pair> {
  const res = await server.gql<{ login: Pair }>(
    LOGIN_WITH_REFRESH,
    { email: user.email, password: user.password },
    null,
    headers,
  );
  if (!res.body.data) throw new Error(JSON.stringify(res.body.errors));
  return res.body.data.login;
}

export const refreshSession = (server: TestServer, refreshToken: string) =>
  server.gql<{ refreshSession: Pair & { tokenType: string } }>(REFRESH, { refreshToken });

/** Whether `me` answers someone for this bearer token. */
export const signedIn = async (server: TestServer, token: string) =>
  (await server.gql<{ me: { id: string } | null }>('{ me { id } }', {}, token)).body.data?.me != null;

/** The session a token names (its jti). */
export const sessionIdOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).jti as string;
