// Accounts and sessions: register, login, logout, and turning a bearer token into a user.
// A token is a JWT whose jti names a Session row; deleting the row revokes it on every instance.
import { randomUUID } from 'node:crypto';
import { type Db, isUniqueViolation, type User } from '../../db/index.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import { type PasswordHasher, passwordProblem } from '../../infra/passwords.ts';
import type { AccountLimits } from '../../infra/rate-limits/account-limits.ts';
import type { LoginLimits } from '../../infra/rate-limits/login-limits.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';
import type { Tokens } from '../../infra/tokens.ts';
import { parseEmail, parseUsername } from './identity.ts';

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
}

export interface Authenticated {
  user: User;
  sessionId: string;
}

export interface IssuedToken {
  token: string;
  tokenType: 'bearer';
  expiresAt: Date;
  user: User;
}

export interface AuthDeps {
  db: Db;
  tokens: Tokens;
  /** How long a session (and its token) lasts. */
  sessionLifetimeSeconds: number;
  hasher: PasswordHasher;
  loginLimits: LoginLimits;
  accountLimits: AccountLimits;
  requireVerifiedLogin: boolean;
  /** Called once for each new account (sends the verification mail), with the client that registered it. */
  onRegistered: (user: User, clientIp: string | null) => void;
  /** Tells every instance's caches what changed, and what changed elsewhere (src/infra/changes.ts). */
  changes: Changes;
}

export function createAuthService({
  db,
  tokens,
  sessionLifetimeSeconds,
  hasher,
  loginLimits,
  accountLimits,
  requireVerifiedLogin,
  onRegistered,
  changes,
}: AuthDeps) {
  // Token -> its session's user, so most requests need no SQL to know who is asking. Entries go when the
  // session or the user changes (on any instance), and expire with the session.
  const sessions = createTaggedCache<Authenticated>({ maxEntries: 10_000, maxAgeMs: 60_000 });
  changes.subscribe((change) => {
    if (change.type === 'user') sessions.invalidate(`user:${change.userId}`);
    else if (change.type === 'session') sessions.invalidate(`session:${change.sessionId}`);
    else if (change.type === 'all') sessions.clear();
  });

  return {
    async register(input: RegisterInput, clientIp: string | null = null): Promise<User> {
      const email = parseEmail(input.email);
      const username = parseUsername(input.username);
      const reason = passwordProblem(input.password, email);
      if (reason) throw new AppError(ErrorCode.REGISTER_INVALID_PASSWORD, reason, { reason });
      await accountLimits.registration(clientIp);

      const alreadyExists = () =>
        new AppError(ErrorCode.REGISTER_USER_ALREADY_EXISTS, 'A user with this email or username already exists.');
      const existing = await db.user.findFirst({ where: { OR: [{ email }, { username }] }, select: { id: true } });
      if (existing) throw alreadyExists();
      const hashedPassword = await hasher.hash(input.password);
      let user: User;
      try {
        // Flags are never taken from the client: the defaults make an active, unverified, ordinary user.
        user = await db.user.create({ data: { email, username, hashedPassword } });
      } catch (error) {
        // Two registrations raced past the check above; the unique index decided.
        if (isUniqueViolation(error)) throw alreadyExists();
        throw error;
      }
      onRegistered(user, clientIp);
      return user;
    },

    /**
     * Same error, and the same bcrypt work, for an unknown email, a wrong password and an inactive user.
     * Each check is counted before it runs (src/infra/rate-limits/login-limits.ts): past a limit the answer is
     * RATE_LIMITED and no password is checked.
     */
    async login(emailInput: string, password: string, clientIp: string | null = null): Promise<IssuedToken> {
      const email = parseEmail(emailInput);
      const attempt = await loginLimits.begin(email, clientIp);
      const user = await db.user.findUnique({ where: { email } });
      const passwordOk = user
        ? await hasher.verify(password, user.hashedPassword)
        : await hasher.verifyAgainstDummy(password);
      const badCredentials = () => new AppError(ErrorCode.LOGIN_BAD_CREDENTIALS, 'Wrong email or password.');
      if (!user || !passwordOk || !user.isActive) throw badCredentials();
      if (hasher.needsRehash(user.hashedPassword)) {
        // Only over the hash just checked: a reset landing meanwhile must not get the old password back.
        const { count } = await db.user.updateMany({
          where: { id: user.id, hashedPassword: user.hashedPassword },
          data: { hashedPassword: await hasher.hash(password) },
        });
        if (count === 0) throw badCredentials();
        await changes.publish({ type: 'user', userId: user.id });
      }
      await attempt.succeeded();
      if (requireVerifiedLogin && !user.isVerified) {
        throw new AppError(ErrorCode.LOGIN_USER_NOT_VERIFIED, 'Confirm your email address before signing in.');
      }
      return this.issueToken(user);
    },

    async issueToken(user: User): Promise<IssuedToken> {
      const sessionId = randomUUID();
      const expiresAt = new Date(Math.floor(Date.now() / 1000) * 1000 + sessionLifetimeSeconds * 1000);
      await db.session.create({ data: { id: sessionId, userId: user.id, expiresAt } });
      return { token: tokens.session.sign(user.id, sessionId, expiresAt), tokenType: 'bearer', expiresAt, user };
    },

    /**
     * The active user a bearer token belongs to, or null for any bad, expired or revoked token. One
     * query, or none when this instance has seen the token since (and nothing about it changed).
     */
    async authenticate(token: string): Promise<Authenticated | null> {
      const cached = changes.live ? sessions.get(token) : undefined;
      if (cached) return cached;
      const readAt = sessions.version;
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
      const found = { user, sessionId: claims.sessionId };
      if (changes.live) {
        sessions.set(token, found, {
          readAt,
          tags: [`user:${user.id}`, `session:${claims.sessionId}`],
          expiresAt: claims.expiresAt.getTime(),
        });
      }
      return found;
    },

    async logout(sessionId: string): Promise<void> {
      await db.session.deleteMany({ where: { id: sessionId } });
      await changes.publish({ type: 'session', sessionId });
    },

    /** Drops sessions past their expiry; they are already refused, this only keeps the table small. */
    async pruneExpiredSessions(): Promise<number> {
      const { count } = await db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      return count;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
