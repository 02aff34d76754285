// Per-request context: the services, and who is asking, resolved once when the context is built.
import type { Db, User } from './db/index.ts';
import type { Logger } from './logger.ts';
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
  /** The User-Agent header, as sent; a sign-in stores it with its session (mySessions). */
  userAgent: string | null;
  /** The active user the bearer token belongs to, or null (no token, or a bad, expired or revoked one). */
  viewer: User | null;
  /** The session (the token's jti) the viewer signed in with. */
  sessionId: string | null;
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

export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1] ?? null;
}

/** Whether the request acts for this account: signed in as it, or proved it in this request. */
export function actsFor(context: Context, userId: string): boolean {
  return context.viewer?.id === userId || context.ownAccountIds.has(userId);
}

export interface ContextInput {
  request: Request;
  requestId: string;
  clientIp: string | null;
  services: Services;
  logger: Logger;
  /** The operation will not run (src/graphql/operation-limits.ts): no session is looked up for it. */
  refused: boolean;
}

export async function createContext({
  request,
  requestId,
  clientIp,
  services,
  logger,
  refused,
}: ContextInput): Promise<Context> {
  const token = refused ? null : bearerToken(request.headers.get('authorization'));
  const session = token ? await services.sessions.authenticate(token) : null;
  const viewer = session?.user ?? null;
  return {
    requestId,
    db: services.db,
    services,
    // Every line a resolver or service logs for this request carries its id.
    logger: logger.child({ requestId }),
    loaders: createLoaders(services.db, viewer?.id ?? null),
    clientIp,
    userAgent: request.headers.get('user-agent'),
    viewer,
    sessionId: session?.sessionId ?? null,
    ownAccountIds: new Set(),
  };
}
