// Sign-in with a provider, as fastapi-users' OAuth router runs it: the authorization code flow with PKCE
// and state. Step 1 (authorize) keeps the state, the PKCE verifier, the nonce and the frontend path in a
// row, and hands the browser the state in a cookie; step 2 (callback) takes that row once, checks the
// browser's state, exchanges the code and finds or makes the account; then the browser goes back to
// the frontend with a one-time code (completeOAuthSignIn) or the session cookie. Every failure goes
// back too, as ?oauth_error=<ErrorCode>. Never a token in a URL.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as client from 'openid-client';
import type { Db } from '../../../db/index.ts';
import { AppError, ErrorCode } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import type { IssuedSession, Sessions, SignIn, Transport } from '../sessions.ts';
import type { AccountLinking } from './linking.ts';
import type { OAuthProvider } from './providers.ts';

/** How long a sign-in may stay at the provider, from authorize to callback. */
export const STATE_LIFETIME_MS = 10 * 60_000;
/** How long the frontend has to exchange its one-time code. */
export const CODE_LIFETIME_MS = 60_000;
const MAX_REDIRECT_PATH_LENGTH = 2000;

export interface OAuthDeps {
  db: Db;
  providers: Map<string, OAuthProvider>;
  linking: AccountLinking;
  sessions: Sessions;
  logger: Logger;
  /** This API, as providers reach it: the callback is ${publicUrl}/auth/oauth/<provider>/callback. */
  publicUrl: string;
  /** The frontend: the browser returns to ${appUrl}<redirect path>. */
  appUrl: string;
}

/** Where the browser goes next, and what it carries there. */
export type OAuthStep =
  /** To the provider, holding the state in a cookie. */
  | { to: 'provider'; location: URL; state: string }
  /** Back to the frontend: with ?oauth_code or ?oauth_error, or signed in by the session cookie. */
  | { to: 'app'; location: URL; session: IssuedSession | null };

export interface Client {
  clientIp: string | null;
  userAgent: string | null;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const codeInvalid = () =>
  new AppError(
    ErrorCode.OAUTH_CODE_INVALID,
    'This sign-in code is unknown, used already or older than 60 seconds. Sign in with the provider again.',
  );

/** A path on the frontend: one leading slash, no scheme, no host, no backslash, no control character. */
function redirectPathOf(raw: string | null): string | null {
  const path = raw ?? '/';
  if (!path.startsWith('/') || path.startsWith('//') || path.length > MAX_REDIRECT_PATH_LENGTH) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(path)) return null;
  return path;
}

function transportOf(raw: string | null): Transport | null {
  if (raw === null || raw === 'code') return 'BEARER';
  return raw === 'cookie' ? 'COOKIE' : null;
}

export function createOAuthService({ db, providers, linking, sessions, logger, publicUrl, appUrl }: OAuthDeps) {
  const appOrigin = new URL(appUrl).origin;
  const callbackUrlOf = (provider: string) => `${publicUrl}/auth/oauth/${provider}/callback`;

  /** The frontend at `path`, with `oauth_code` or `oauth_error` set (and no stale one of either). */
  function backToApp(path: string, param?: { oauth_code: string } | { oauth_error: ErrorCode }): URL {
    const location = new URL(`${appUrl}${path}`);
    // redirectPathOf keeps the host out; this holds it whatever APP_URL's own path looks like.
    if (location.origin !== appOrigin) throw new Error(`redirect path left APP_URL: ${path}`);
    location.searchParams.delete('oauth_code');
    location.searchParams.delete('oauth_error');
    for (const [name, value] of Object.entries(param ?? {})) location.searchParams.set(name, value);
    return location;
  }

  const failure = (path: string, code: ErrorCode): OAuthStep => ({
    to: 'app',
    location: backToApp(path, { oauth_error: code }),
    session: null,
  });

  /** The row of a sign-in in progress, taken once: a replayed or unknown state gets nothing. */
  async function takeState(provider: string, state: string) {
    const id = sha256(state);
    const row = await db.oAuthState.findUnique({ where: { id } });
    if (!row) return null;
    const { count } = await db.oAuthState.deleteMany({ where: { id } });
    if (count === 0 || row.provider !== provider || row.expiresAt.getTime() <= Date.now()) return null;
    return row;
  }

  const service = {
    /** The configured providers, in the order a sign-in page lists them. */
    list: () => [...providers.values()].map(({ id, name }) => ({ id, name })),

    has: (provider: string) => providers.has(provider),

    /** Step 1: GET /auth/oauth/:provider/authorize?redirect=<path>&transport=code|cookie. */
    async authorize(providerId: string, query: URLSearchParams): Promise<OAuthStep> {
      const provider = providers.get(providerId);
      if (!provider) throw new Error(`unknown provider ${providerId}`);
      const path = redirectPathOf(query.get('redirect'));
      const transport = transportOf(query.get('transport'));
      if (path === null || transport === null) return failure(path ?? '/', ErrorCode.BAD_USER_INPUT);
      const checks = {
        state: client.randomState(),
        codeVerifier: client.randomPKCECodeVerifier(),
        nonce: provider.openIdConnect ? client.randomNonce() : null,
      };
      let location: URL;
      try {
        location = await provider.authorizationUrl(checks, callbackUrlOf(provider.id));
      } catch (error) {
        // Discovery failed: the provider is down, slow or misconfigured.
        logger.warn({ provider: provider.id, error }, 'OAuth provider unreachable at authorize');
        return failure(path, ErrorCode.OAUTH_PROVIDER_ERROR);
      }
      await db.oAuthState.create({
        data: {
          id: sha256(checks.state),
          provider: provider.id,
          codeVerifier: checks.codeVerifier,
          nonce: checks.nonce,
          redirectPath: path,
          transport,
          expiresAt: new Date(Date.now() + STATE_LIFETIME_MS),
        },
      });
      return { to: 'provider', location, state: checks.state };
    },

    /**
     * Step 2: GET /auth/oauth/:provider/callback?code&state (or ?error). `browserState` is the state
     * the browser that started kept in its cookie: a callback another browser was led to fails.
     */
    async callback(providerId: string, query: URLSearchParams, browserState: string | null, who: Client) {
      const provider = providers.get(providerId);
      if (!provider) throw new Error(`unknown provider ${providerId}`);
      const state = query.get('state');
      const sameBrowser =
        state !== null &&
        browserState !== null &&
        state.length === browserState.length &&
        timingSafeEqual(Buffer.from(state), Buffer.from(browserState));
      const flow = sameBrowser ? await takeState(provider.id, state) : null;
      if (!flow || state === null) return failure('/', ErrorCode.OAUTH_STATE_INVALID);
      if (query.has('error')) {
        logger.info({ provider: provider.id, error: query.get('error') }, 'OAuth provider refused the sign-in');
        return failure(flow.redirectPath, ErrorCode.OAUTH_PROVIDER_ERROR);
      }
      const callbackUrl = new URL(`${callbackUrlOf(provider.id)}?${query}`);
      let identity: Awaited<ReturnType<OAuthProvider['identify']>>;
      try {
        identity = await provider.identify(callbackUrl, { state, codeVerifier: flow.codeVerifier, nonce: flow.nonce });
      } catch (error) {
        // A code used before, a bad ID token, the provider down or over OAUTH_TIMEOUT_MS: logged, not shown.
        logger.warn({ provider: provider.id, error }, 'OAuth sign-in failed at the provider');
        return failure(flow.redirectPath, ErrorCode.OAUTH_PROVIDER_ERROR);
      }
      let session: IssuedSession | null = null;
      let oneTimeCode: string | null = null;
      try {
        const user = await linking.accountFor(provider.id, identity, who.clientIp);
        if (flow.transport === 'COOKIE') {
          session = await sessions.issue(user, { transport: 'COOKIE', userAgent: who.userAgent });
        } else {
          oneTimeCode = randomBytes(32).toString('base64url');
          await db.oAuthCode.create({
            data: { id: sha256(oneTimeCode), userId: user.id, expiresAt: new Date(Date.now() + CODE_LIFETIME_MS) },
          });
        }
      } catch (error) {
        if (error instanceof AppError) return failure(flow.redirectPath, error.code);
        // Ours, not the client's (the database failing): logged with its details, told as a code only.
        logger.error({ provider: provider.id, error }, 'OAuth sign-in failed after the provider answered');
        return failure(flow.redirectPath, ErrorCode.INTERNAL_SERVER_ERROR);
      }
      const location = backToApp(flow.redirectPath, oneTimeCode ? { oauth_code: oneTimeCode } : undefined);
      return { to: 'app', location, session } satisfies OAuthStep;
    },

    /** completeOAuthSignIn: the one-time code, once and within 60 s, for a session. */
    async complete(code: string, signIn: SignIn): Promise<IssuedSession> {
      const id = sha256(code);
      const row = await db.oAuthCode.findUnique({ where: { id }, include: { user: true } });
      // The user is read in a statement of its own: deleted in between, it is null whatever the types say.
      if (!row?.user) throw codeInvalid();
      const { count } = await db.oAuthCode.deleteMany({ where: { id, expiresAt: { gt: new Date() } } });
      if (count === 0) throw codeInvalid();
      if (!row.user.isActive) {
        throw new AppError(ErrorCode.OAUTH_ACCOUNT_INACTIVE, 'The account this sign-in belongs to is deactivated.');
      }
      return sessions.issue(row.user, signIn);
    },

    unlink: linking.unlink,

    /** Drops sign-ins and codes past their expiry; they are refused already, this keeps the tables small. */
    async prune(): Promise<void> {
      const now = new Date();
      await db.oAuthState.deleteMany({ where: { expiresAt: { lt: now } } });
      await db.oAuthCode.deleteMany({ where: { expiresAt: { lt: now } } });
    },
  };
  return service;
}

export type OAuthService = ReturnType<typeof createOAuthService>;
