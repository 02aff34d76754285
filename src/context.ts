// Per-request context: the services, and who is asking, resolved once when the context is built.
import type { Db, User } from './db/index.ts';
import {
  clearedSessionCookieLine,
  fetchHeaders,
  mutationMayUseCookie,
  type OriginRule,
  type SessionCookieSettings,
  type SessionSource,
  sessionCookieLine,
  sessionTokenOf,
} from './http/session-cookie.ts';
import type { Logger } from './logger.ts';
import type { Authenticated } from './services/accounts/sessions.ts';
import type { Services } from './services/index.ts';
import { createLoaders, type Loaders } from './services/loaders.ts';

export interface Context {
  requestId: string;
  db: Db;
  services: Services;
  logger: Logger;
  /** Reads batched within this request (src/services/loaders.ts). */
  loaders: Loaders;
  /** The client's address: the socket's, or an X-Forwarded-For entry behind trusted proxies. */
  clientIp: string | null;
  /** A multipart request's length, at most MAX_UPLOAD_BYTES: the most its upload can be. Null otherwise. */
  uploadBytes: number | null;
  /** The User-Agent header, as sent; a sign-in stores it with its session (mySessions). */
  userAgent: string | null;
  /** The active user the bearer token belongs to, or null (no token, or a bad, expired or revoked one). */
  viewer: User | null;
  /** The session (the token's jti) the viewer signed in with. */
  sessionId: string | null;
  /** When the token the viewer signed in with stops working: a subscription ends then. */
  tokenExpiresAt: Date | null;
  /** Where the request's session token came from: the Authorization header, or the session cookie. */
  sessionSource: SessionSource | null;
  /** Sets or clears the session cookie on this request's answer. */
  sessionCookie: SessionCookieWriter;
  /** Cuts this request's connection: a live stream's client that stopped reading (src/services/live/stream.ts). */
  dropConnection: () => void;
  /**
   * Whether a mutation of this request may act on or set the session cookie: a trusted page sent it,
   * with a preflight header (src/http/session-cookie.ts). Sign-ins asking for a cookie check it.
   */
  cookieMutationAllowed: boolean;
  /** A mutation signed by the cookie that fails that check: it does not run (src/graphql/cookie-csrf.ts). */
  csrfRefused: boolean;
  /**
   * Accounts this request proved it owns without a token (register, login, verifyEmail): their answer
   * may show them what a viewer sees of themself (email, isOwner).
   */
  ownAccountIds: Set<string>;
}

/** The context of fields that need a viewer (scope-auth's AuthContexts; src/builder.ts). */
export interface SignedInContext extends Context {
  viewer: User;
  sessionId: string;
}

export interface SessionCookieWriter {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** Whether the request acts for this account: signed in as it, or proved it in this request. */
export function actsFor(context: Context, userId: string): boolean {
  return context.viewer?.id === userId || context.ownAccountIds.has(userId);
}

/**
 * A write in this request makes what its loaders read stale: later fields of the same operation (the
 * mutation's answer, or the next mutation in it, run one after the other) read counts and pages afresh.
 */
export function forgetReads(context: Context): void {
  context.loaders = createLoaders(
    context.db,
    context.viewer,
    context.services.visibility,
    context.services.socialFacts,
  );
}

export interface ContextInput {
  request: Request;
  requestId: string;
  clientIp: string | null;
  uploadBytes: number | null;
  services: Services;
  logger: Logger;
  /** The operation will not run (src/graphql/operation-limits.ts): no session is looked up for it. */
  refused: boolean;
  /** The operation's type (src/graphql/cookie-csrf.ts), once the document is valid. */
  operationType: 'query' | 'mutation' | 'subscription' | null;
  /** The session cookie's settings, and whose pages may use it. */
  cookie: { settings: SessionCookieSettings; origins: OriginRule };
  /** Adds a Set-Cookie line to the answer. */
  setCookie: (line: string) => void;
  /** Cuts the request's connection. */
  dropConnection?: () => void;
}

/** The session a token signs; a cookie's is renewed from the second half of its life on, or cleared when dead. */
async function signedBy(
  presented: { token: string; source: SessionSource },
  services: Services,
  sessionCookie: SessionCookieWriter,
): Promise<Authenticated | null> {
  const session = await services.sessions.authenticate(presented.token);
  if (presented.source !== 'cookie') return session;
  if (!session) {
    // Expired or revoked: the browser can stop sending it.
    sessionCookie.clear();
    return null;
  }
  const renewed = await services.sessions.renewIfDue(session);
  if (renewed) sessionCookie.set(renewed.token, renewed.expiresAt);
  return session;
}

export async function createContext({
  request,
  requestId,
  clientIp,
  uploadBytes,
  services,
  logger,
  refused,
  operationType,
  cookie,
  setCookie,
  dropConnection = () => {},
}: ContextInput): Promise<Context> {
  const header = fetchHeaders(request.headers);
  const presented = sessionTokenOf(header, cookie.settings);
  const cookieMutationAllowed = mutationMayUseCookie(header, cookie.origins);
  const csrfRefused = presented?.source === 'cookie' && operationType === 'mutation' && !cookieMutationAllowed;
  const sessionCookie: SessionCookieWriter = {
    set: (token, expiresAt) => setCookie(sessionCookieLine(cookie.settings, token, expiresAt)),
    clear: () => setCookie(clearedSessionCookieLine(cookie.settings)),
  };
  const session = presented && !refused && !csrfRefused ? await signedBy(presented, services, sessionCookie) : null;
  const viewer = session?.user ?? null;
  return {
    requestId,
    db: services.db,
    services,
    // Every line a resolver or service logs for this request carries its id.
    logger: logger.child({ requestId }),
    loaders: createLoaders(services.db, viewer, services.visibility, services.socialFacts),
    clientIp,
    uploadBytes,
    userAgent: request.headers.get('user-agent'),
    viewer,
    sessionId: session?.sessionId ?? null,
    tokenExpiresAt: session?.tokenExpiresAt ?? null,
    sessionSource: session && presented ? presented.source : null,
    sessionCookie,
    dropConnection,
    cookieMutationAllowed,
    csrfRefused,
    ownAccountIds: new Set(),
  };
}
