// Sessions as the API tests use them (cookie sessions, logout, revocation): `npm run codegen` types each
// graphql(...) below in ./generated.
import { graphql } from './generated/gql.ts';

export const LOGIN_COOKIE = graphql(`
  mutation LoginCookie($email: String!, $password: String!) {
    login(email: $email, password: $password, transport: COOKIE) {
      token tokenType transport expiresAt refreshToken refreshExpiresAt user { id }
    }
  }
`);

/** transport left out, and transport null: both BEARER. */
export const LOGIN_TRANSPORT_OMITTED = graphql(`
  mutation LoginTransportOmitted($e: String!, $p: String!) { login(email: $e, password: $p) { token transport } }
`);

export const LOGIN_TRANSPORT_NULL = graphql(`
  mutation LoginTransportNull($e: String!, $p: String!) {
    login(email: $e, password: $p, transport: null) { token transport }
  }
`);

/** Who the request is signed in as; null when nobody. */
export const SESSION_USER = graphql(`
  query SessionUser { me { id username } }
`);

export const MY_SESSIONS = graphql(`
  query MySessionsSeen { mySessions { transport current userAgent } }
`);

export const LOGOUT = graphql(`
  mutation Logout { logout }
`);

export const REVOKE_SESSION = graphql(`
  mutation RevokeSession($id: ID!) { revokeSession(id: $id) }
`);

/** A write a cookie may sign (CSRF tests). */
export const SET_BIO_ONLY = graphql(`
  mutation SetBioOnly($bio: String) { updateMe(input: { bio: $bio }) { bio } }
`);

/** A bearer sign-in answering only its token. */
export const LOGIN_TOKEN = graphql(`
  mutation LoginToken($e: String!, $p: String!) { login(email: $e, password: $p) { token } }
`);

/** Every field of the viewer's sessions (test/sessions.test.ts). */
export const MY_SESSIONS_ALL = graphql(`
  query MySessionsAll { mySessions { id transport createdAt lastUsedAt expiresAt userAgent current } }
`);

/** The one-time code of a provider sign-in exchanged for a session (test/oauth-oidc.test.ts). */
export const COMPLETE_OAUTH = graphql(`
  mutation CompleteOAuth($code: String!, $transport: AuthTransport) {
    completeOAuthSignIn(code: $code, transport: $transport) {
      token tokenType transport refreshToken refreshExpiresAt user { id username email isVerified linkedProviders }
    }
  }
`);

export const MY_LINKED_PROVIDERS = graphql(`
  query MyLinkedProviders { me { linkedProviders } }
`);

/** A provider sign-in's code exchanged, answering the token and the account (test/oauth-accounts.test.ts). */
export const COMPLETE_OAUTH_TOKEN = graphql(`
  mutation CompleteOAuthToken($code: String!) { completeOAuthSignIn(code: $code) { token user { id email } } }
`);

export const UNLINK_PROVIDER = graphql(`
  mutation UnlinkProvider($provider: String!) { unlinkProvider(provider: $provider) }
`);

/** Which of the viewer's sessions were used when (test/instances/session-last-used.test.ts). */
export const MY_SESSIONS_LAST_USED = graphql(`
  query MySessionsLastUsed { mySessions { id lastUsedAt current } }
`);

export const MY_SESSIONS_TRANSPORTS = graphql(`
  query MySessionsTransports { mySessions { id transport } }
`);
