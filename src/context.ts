// Per-request context: the services, and the signed-in user, looked up at most once per request.
import type { Db, User } from './db/index.ts';
import type { Logger } from './logger.ts';
import type { Services } from './services/index.ts';

export interface Context {
  requestId: string;
  db: Db;
  services: Services;
  logger: Logger;
  /** Resolves the bearer token to an active user, or null. Memoised for the request. */
  viewer(): Promise<User | null>;
  /**
   * What viewer() found, once it has resolved. A holder object, because yoga copies the context
   * object's own properties: a reference survives the copy, a reassigned property would not.
   */
  auth: { user: User | null; sessionId: string | null };
  /** The client's address: the socket's, or X-Forwarded-For's first hop behind a trusted proxy. */
  clientIp: string | null;
  /** Accounts this request proved it owns without a token (register, login): they may see their own email. */
  ownAccountIds: Set<string>;
}

export function bearerToken(authorization: string | null): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

export function createContext({
  request,
  requestId,
  clientIp,
  services,
  logger,
}: {
  request: Request;
  requestId: string;
  clientIp: string | null;
  services: Services;
  logger: Logger;
}): Context {
  const token = bearerToken(request.headers.get('authorization'));
  let pending: Promise<User | null> | undefined;
  const context: Context = {
    requestId,
    db: services.db,
    services,
    logger,
    auth: { user: null, sessionId: null },
    clientIp,
    ownAccountIds: new Set(),
    viewer() {
      pending ??= (async () => {
        if (!token) return null;
        const session = await services.auth.authenticate(token);
        if (!session) return null;
        context.auth.sessionId = session.sessionId;
        context.auth.user = session.user;
        return session.user;
      })();
      return pending;
    },
  };
  return context;
}
