// The sign-in providers, each speaking its protocol through openid-client: the authorization URL (with
// state, PKCE and, for OpenID Connect, a nonce), and after the callback the code exchanged and the
// account read: its subject, its email and whether the provider verified it. OpenID Connect providers
// (Google, any issuer) are discovered and their ID tokens validated by the library; GitHub speaks
// plain OAuth 2 and is read through its REST API.
import * as client from 'openid-client';
import type { OAuthProviderConfig } from '../../../config.ts';

/** Who signed in at the provider. */
export interface ProviderIdentity {
  /** The provider's stable id of the account (OpenID's sub, GitHub's numeric id). */
  subject: string;
  email: string | null;
  /** Only true when the provider says it checked the address. */
  emailVerified: boolean;
  /** Something to derive a username from: a login, a preferred username, or null. */
  usernameHint: string | null;
}

/** What the callback checks the response against, kept server-side since the authorize step. */
export interface FlowChecks {
  state: string;
  codeVerifier: string;
  nonce: string | null;
}

export interface OAuthProvider {
  id: string;
  name: string;
  /** Whether an ID token comes back (and so a nonce goes out). */
  openIdConnect: boolean;
  authorizationUrl(checks: FlowChecks, redirectUri: string): Promise<URL>;
  /** Exchanges the code of `callbackUrl` and reads the account; throws on any failure of the provider. */
  identify(callbackUrl: URL, checks: FlowChecks): Promise<ProviderIdentity>;
}

/** A provider reached over plain HTTP: only allowed outside production (config.ts refuses it there), for tests. */
const insecure = (url: string) => new URL(url).protocol === 'http:';

/** Discovers once; a failed discovery is tried again by the next sign-in rather than remembered. */
function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

function openIdProvider(settings: Extract<OAuthProviderConfig, { protocol: 'oidc' }>, timeoutSeconds: number) {
  const configuration = lazily(() =>
    client.discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, {
      timeout: timeoutSeconds,
      ...(insecure(settings.issuer) ? { execute: [client.allowInsecureRequests] } : {}),
    }),
  );
  const provider: OAuthProvider = {
    id: settings.id,
    name: settings.name,
    openIdConnect: true,
    async authorizationUrl(checks, redirectUri) {
      return client.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state: checks.state,
        nonce: checks.nonce ?? '',
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async identify(callbackUrl, checks) {
      const config = await configuration();
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
        expectedNonce: checks.nonce ?? undefined,
        idTokenExpected: true,
      });
      // Validated by openid-client: signature, issuer, audience, expiry, nonce.
      let claims: Record<string, unknown> = { ...tokens.claims() };
      const subject = String(claims.sub);
      if (typeof claims.email !== 'string') {
        // Some issuers keep the email out of the ID token: their userinfo has it, for the same subject.
        claims = { ...claims, ...(await client.fetchUserInfo(config, tokens.access_token, subject)) };
      }
      const email = typeof claims.email === 'string' ? claims.email : null;
      const hint = [claims.preferred_username, claims.nickname, email?.split('@')[0]].find(
        (v) => typeof v === 'string',
      );
      return {
        subject,
        email,
        // Google sends a boolean; some issuers send "true".
        emailVerified: claims.email_verified === true || claims.email_verified === 'true',
        usernameHint: (hint as string | undefined) ?? null,
      };
    },
  };
  return provider;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

function gitHubProvider(settings: Extract<OAuthProviderConfig, { protocol: 'github' }>, timeoutSeconds: number) {
  // GitHub publishes no discovery document: its endpoints, as GitHub documents them (and GitHub
  // Enterprise Server under its own host).
  const config = new client.Configuration(
    {
      issuer: settings.webUrl,
      authorization_endpoint: `${settings.webUrl}/login/oauth/authorize`,
      token_endpoint: `${settings.webUrl}/login/oauth/access_token`,
    },
    settings.clientId,
    settings.clientSecret,
  );
  config.timeout = timeoutSeconds;
  if (insecure(settings.webUrl) || insecure(settings.apiUrl)) client.allowInsecureRequests(config);
  const api = async <T>(accessToken: string, path: string): Promise<T> => {
    const headers = new Headers({ accept: 'application/vnd.github+json', 'user-agent': 'photo-feed-api' });
    const response = await client.fetchProtectedResource(
      config,
      accessToken,
      new URL(`${settings.apiUrl}${path}`),
      'GET',
      undefined,
      headers,
    );
    if (!response.ok) throw new Error(`GitHub answered ${response.status} to GET ${path}`);
    return (await response.json()) as T;
  };
  const provider: OAuthProvider = {
    id: settings.id,
    name: settings.name,
    openIdConnect: false,
    async authorizationUrl(checks, redirectUri) {
      return client.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'read:user user:email',
        state: checks.state,
        code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async identify(callbackUrl, checks) {
      const tokens = await client.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: checks.codeVerifier,
        expectedState: checks.state,
      });
      const user = await api<{ id: number; login: string }>(tokens.access_token, '/user');
      // The profile's email is whatever the user made public; /user/emails says which is primary and verified.
      const emails = await api<GitHubEmail[]>(tokens.access_token, '/user/emails');
      const primary = emails.find((entry) => entry.primary) ?? null;
      return {
        subject: String(user.id),
        email: primary?.email ?? null,
        emailVerified: primary?.verified === true,
        usernameHint: user.login,
      };
    },
  };
  return provider;
}

export function createOAuthProviders(settings: OAuthProviderConfig[], timeoutMs: number): Map<string, OAuthProvider> {
  const timeoutSeconds = timeoutMs / 1000;
  return new Map(
    settings.map((provider) => [
      provider.id,
      provider.protocol === 'github'
        ? gitHubProvider(provider, timeoutSeconds)
        : openIdProvider(provider, timeoutSeconds),
    ]),
  );
}
