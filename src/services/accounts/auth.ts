// Accounts: register and login. The session a login opens, and everything after it, is in ./sessions.ts.
import { type Db, isUniqueViolation, type User } from '../../db/index.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import { type PasswordHasher, passwordProblem } from '../../infra/passwords.ts';
import type { AccountLimits } from '../../infra/rate-limits/account-limits.ts';
import type { LoginLimits } from '../../infra/rate-limits/login-limits.ts';
import { parseEmail, parseUsername } from './identity.ts';
import type { IssuedSession, Sessions, SignIn } from './sessions.ts';

export interface RegisterInput {
  email: string;
  username: string;
  password: string;
}

export interface AuthDeps {
  db: Db;
  /** Opens the session of a successful login. */
  sessions: Sessions;
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
  sessions,
  hasher,
  loginLimits,
  accountLimits,
  requireVerifiedLogin,
  onRegistered,
  changes,
}: AuthDeps) {
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
    async login(
      emailInput: string,
      password: string,
      clientIp: string | null = null,
      signIn: SignIn = {},
    ): Promise<IssuedSession> {
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
      return sessions.issue(user, signIn);
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
