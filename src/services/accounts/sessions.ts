// Sessions: one row per sign-in, whichever way its token travels. A bearer session gets a short access
// token and a refresh token that rotates; a cookie session (src/http/session-cookie.ts) gets one token
// that slides. Deleting the row ends every token of the session on every instance: access and cookie
// tokens name it (their jti), refresh tokens belong to it (ON DELETE CASCADE).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Db, isForeignKeyViolation, isRecordNotFound, type User } from '../../db/index.ts';
import { AppError, ErrorCode, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';
import type { Tokens } from '../../infra/tokens.ts';
import type { Logger } from '../../logger.ts';

export type Transport = 'BEARER' | 'COOKIE';

export interface SessionLifetimes {
  accessLifetimeSeconds: number;
  refreshLifetimeSeconds: number;
  /** How long a cookie session lasts without a request; a request in its second half renews it. */
  cookieLifetimeSeconds: number;
  absoluteLifetimeSeconds: number;
}

/** What a sign-in hands the client: a token, and for bearer sessions a refresh token. */
export interface IssuedSession {
  sessionId: string;
  transport: Transport;
  /** The access token (bearer) or the cookie's value (cookie). */
  token: string;
  /** When `token` stops working. */
  expiresAt: Date;
  refreshToken: string | null;
  refreshExpiresAt: Date | null;
  user: User;
}

export interface Authenticated {
  user: User;
  sessionId: string;
  /** When the token presented stops working (its exp): a cookie session renews from its second half on. */
  tokenExpiresAt: Date;
}

/** A session as its owner sees it in a list. */
export interface SessionInfo {
  id: string;
  transport: Transport;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
}

export interface SignIn {
  transport?: Transport;
  userAgent?: string | null;
}

export interface SessionsDeps {
  db: Db;
  tokens: Tokens;
  changes: Changes;
  logger: Logger;
  lifetimes: SessionLifetimes;
}

/** lastUsedAt is written at most this often per session and instance: a list shows it to within this. */
export const LAST_USED_RESOLUTION_MS = 5 * 60_000;
const MAX_USER_AGENT_LENGTH = 512;

const hashOf = (refreshToken: string) => createHash('sha256').update(refreshToken).digest('hex');
/** Whole seconds: a JWT's exp has no more, and the row must end when its tokens do. */
const inSeconds = (from: number, seconds: number) => new Date(Math.floor(from / 1000) * 1000 + seconds * 1000);
const earliest = (a: Date, b: Date) => (a.getTime() <= b.getTime() ? a : b);

/** Display data: bounded, never refused (Node's parser has refused control characters in headers already). */
function cleanUserAgent(userAgent: string | null | undefined): string | null {
  const trimmed = (userAgent ?? '').trim();
  return trimmed ? trimmed.slice(0, MAX_USER_AGENT_LENGTH) : null;
}

/** Another request rotated the token between this one's read and its write: rolls the write back. */
class RotatedMeanwhile extends Error {}

const invalidRefreshToken = () =>
  new AppError(
    ErrorCode.REFRESH_TOKEN_INVALID,
    'The refresh token is invalid, expired, used already or revoked. Sign in again.',
  );

export function createSessions({ db, tokens, changes, logger, lifetimes }: SessionsDeps) {
  // Token -> its session's user, so most requests need no SQL to know who is asking. Entries go when the
  // session or the user changes (on any instance), and expire with the token.
  const cache = createTaggedCache<Authenticated>({ maxEntries: 10_000, maxAgeMs: 60_000 });
  changes.subscribe((change) => {
    if (change.type === 'user') cache.invalidate(`user:${change.userId}`);
    else if (change.type === 'session') cache.invalidate(`session:${change.sessionId}`);
    else if (change.type === 'all') cache.clear();
  });
  // When this instance last wrote each session's lastUsedAt: a request writes it at most once per
  // LAST_USED_RESOLUTION_MS, not on every request. Bounded like the cache.
  const touchedAt = new Map<string, number>();

  function noteTouched(sessionId: string, at: number) {
    touchedAt.delete(sessionId);
    if (touchedAt.size >= 10_000) touchedAt.delete(touchedAt.keys().next().value as string);
    touchedAt.set(sessionId, at);
  }

  async function touch(sessionId: string) {
    const now = Date.now();
    if (now - (touchedAt.get(sessionId) ?? 0) < LAST_USED_RESOLUTION_MS) return;
    noteTouched(sessionId, now);
    await db.session.updateMany({
      where: { id: sessionId, lastUsedAt: { lt: new Date(now - LAST_USED_RESOLUTION_MS) } },
      data: { lastUsedAt: new Date(now) },
    });
  }

  /** Ends a session and tells every instance. */
  async function end(sessionId: string) {
    await db.session.deleteMany({ where: { id: sessionId } });
    await changes.publish({ type: 'session', sessionId });
  }

  /** A new refresh token for a bearer session, and its expiry (never past the session's cap). */
  function newRefreshToken(now: number, absoluteExpiresAt: Date) {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = earliest(inSeconds(now, lifetimes.refreshLifetimeSeconds), absoluteExpiresAt);
    return { token, tokenHash: hashOf(token), expiresAt };
  }

  const accessExpiry = (now: number, sessionExpiresAt: Date) =>
    earliest(inSeconds(now, lifetimes.accessLifetimeSeconds), sessionExpiresAt);

  return {
    async issue(user: User, { transport = 'BEARER', userAgent }: SignIn = {}): Promise<IssuedSession> {
      const now = Date.now();
      const sessionId = randomUUID();
      const absoluteExpiresAt = inSeconds(now, lifetimes.absoluteLifetimeSeconds);
      const base = {
        id: sessionId,
        userId: user.id,
        transport,
        absoluteExpiresAt,
        userAgent: cleanUserAgent(userAgent),
      };
      noteTouched(sessionId, now);
      if (transport === 'COOKIE') {
        const expiresAt = earliest(inSeconds(now, lifetimes.cookieLifetimeSeconds), absoluteExpiresAt);
        await db.session.create({ data: { ...base, expiresAt } });
        const token = tokens.session.sign(user.id, sessionId, expiresAt);
        return { sessionId, transport, token, expiresAt, refreshToken: null, refreshExpiresAt: null, user };
      }
      const refresh = newRefreshToken(now, absoluteExpiresAt);
      await db.session.create({
        data: {
          ...base,
          expiresAt: refresh.expiresAt,
          refreshTokens: { create: { tokenHash: refresh.tokenHash, expiresAt: refresh.expiresAt } },
        },
      });
      const expiresAt = accessExpiry(now, refresh.expiresAt);
      return {
        sessionId,
        transport,
        token: tokens.session.sign(user.id, sessionId, expiresAt),
        expiresAt,
        refreshToken: refresh.token,
        refreshExpiresAt: refresh.expiresAt,
        user,
      };
    },

    /**
     * The active user a token belongs to, or null for any bad, expired or revoked token. One query,
     * or none when this instance has seen the token since (and nothing about it changed).
     */
    async authenticate(token: string): Promise<Authenticated | null> {
      let found = changes.live ? cache.get(token) : undefined;
      if (!found) {
        const readAt = cache.version;
        const claims = tokens.session.verify(token);
        if (!claims) return null;
        const user = await db.user.findFirst({
          where: {
            id: claims.userId,
            isActive: true,
            sessions: { some: { id: claims.sessionId, expiresAt: { gt: new Date() } } },
          },
        });
        if (!user) return null;
        found = { user, sessionId: claims.sessionId, tokenExpiresAt: claims.expiresAt };
        if (changes.live) {
          cache.set(token, found, {
            readAt,
            tags: [`user:${user.id}`, `session:${claims.sessionId}`],
            expiresAt: claims.expiresAt.getTime(),
          });
        }
      }
      await touch(found.sessionId);
      return found;
    },

    /**
     * A new token for a cookie session whose token is in the second half of its life, sliding its
     * expiry up to the session's cap; null when it is not due, is capped already, or is no cookie session.
     */
    async renewIfDue(session: Authenticated): Promise<{ token: string; expiresAt: Date } | null> {
      const now = Date.now();
      const halfLife = (lifetimes.cookieLifetimeSeconds * 1000) / 2;
      if (session.tokenExpiresAt.getTime() - now > halfLife) return null;
      const row = await db.session.findUnique({
        where: { id: session.sessionId },
        select: { transport: true, absoluteExpiresAt: true, expiresAt: true },
      });
      if (row?.transport !== 'COOKIE' || row.expiresAt.getTime() <= now) return null;
      const expiresAt = earliest(inSeconds(now, lifetimes.cookieLifetimeSeconds), row.absoluteExpiresAt);
      if (expiresAt.getTime() <= session.tokenExpiresAt.getTime()) return null;
      // Only a session still there and unexpired: a renewal never brings back a revoked one.
      const { count } = await db.session.updateMany({
        where: { id: session.sessionId, expiresAt: { gt: new Date(now) } },
        data: { expiresAt, lastUsedAt: new Date(now) },
      });
      if (count === 0) return null;
      // Other instances cached the old expiry; they read the new one on the next request.
      await changes.publish({ type: 'session', sessionId: session.sessionId });
      return { token: tokens.session.sign(session.user.id, session.sessionId, expiresAt), expiresAt };
    },

    /**
     * Rotates a bearer session's refresh token: the presented one dies and a new pair is returned.
     * A token that was rotated already (or is being rotated by a request racing this one) was
     * presented twice, by its owner and by whoever else has it: the whole session ends.
     */
    async refresh(presented: string): Promise<IssuedSession> {
      const found = await db.refreshToken.findUnique({
        where: { tokenHash: hashOf(presented) },
        include: { session: { include: { user: true } } },
      });
      // Prisma reads the session and its user in statements of their own: a racing request may have
      // ended the session in between, whatever the types say.
      const session: NonNullable<typeof found>['session'] | null = found?.session ?? null;
      if (!found || !session?.user) throw invalidRefreshToken();
      const reused = async () => {
        logger.warn({ sessionId: session.id, userId: session.userId }, 'refresh token reused: session revoked');
        await end(session.id);
        return invalidRefreshToken();
      };
      if (found.rotatedAt) throw await reused();
      const now = Date.now();
      if (found.expiresAt.getTime() <= now || session.expiresAt.getTime() <= now || !session.user.isActive) {
        throw invalidRefreshToken();
      }
      const next = newRefreshToken(now, session.absoluteExpiresAt);
      let rotated = true;
      try {
        await db.$transaction(async (tx) => {
          // The session's row first: a racing rotation waits here, and so does a logout, whose delete
          // cascades to the refresh tokens. Taking the token's row first would deadlock with that.
          await tx.session.update({
            where: { id: session.id },
            data: { expiresAt: next.expiresAt, lastUsedAt: new Date(now) },
          });
          const { count } = await tx.refreshToken.updateMany({
            where: { id: found.id, rotatedAt: null },
            data: { rotatedAt: new Date(now) },
          });
          if (count === 0) throw new RotatedMeanwhile();
          await tx.refreshToken.create({
            data: { sessionId: session.id, tokenHash: next.tokenHash, expiresAt: next.expiresAt },
          });
        });
      } catch (error) {
        if (error instanceof RotatedMeanwhile) rotated = false;
        // The session ended (a logout, a reset, a reuse seen by a racing request) while this ran.
        else if (isRecordNotFound(error) || isForeignKeyViolation(error)) throw invalidRefreshToken();
        else throw error;
      }
      if (!rotated) throw await reused();
      noteTouched(session.id, now);
      const expiresAt = accessExpiry(now, next.expiresAt);
      return {
        sessionId: session.id,
        transport: 'BEARER',
        token: tokens.session.sign(session.userId, session.id, expiresAt),
        expiresAt,
        refreshToken: next.token,
        refreshExpiresAt: next.expiresAt,
        user: session.user,
      };
    },

    end,

    /** The user's live sessions, most recently used first. */
    async list(userId: string): Promise<SessionInfo[]> {
      return db.session.findMany({
        where: { userId, expiresAt: { gt: new Date() } },
        orderBy: [{ lastUsedAt: 'desc' }, { createdAt: 'desc' }, { id: 'asc' }],
        select: { id: true, transport: true, createdAt: true, lastUsedAt: true, expiresAt: true, userAgent: true },
      });
    },

    /** Ends one of the user's own sessions; NOT_FOUND for any other id. */
    async revoke(userId: string, sessionId: string): Promise<void> {
      const { count } = await db.session.deleteMany({ where: { id: sessionId, userId } });
      if (count === 0) throw notFound('You have no session with this id.');
      await changes.publish({ type: 'session', sessionId });
    },

    /** Drops sessions and refresh tokens past their expiry; they are refused already, this keeps the tables small. */
    async prune(): Promise<number> {
      const now = new Date();
      await db.refreshToken.deleteMany({ where: { expiresAt: { lt: now } } });
      const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: now } } });
      return count;
    },
  };
}

export type Sessions = ReturnType<typeof createSessions>;
