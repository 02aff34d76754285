// The account lifecycle beyond sign-in, at fastapi-users parity: password reset, email verification,
// profile updates, and the superuser's user management. Mails go out in the background, so an answer
// never waits on (or reveals) the mail server.

import { type Db, isRecordNotFound, type Prisma, type User, uniqueViolationFields } from '../../db/index.ts';
import { AppError, ErrorCode, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { FileRemovals } from '../../infra/jobs/file-removals.ts';
import type { Mailer, MailMessage } from '../../infra/mailer.ts';
import { type PasswordHasher, passwordProblem } from '../../infra/passwords.ts';
import type { AccountLimits } from '../../infra/rate-limits/account-limits.ts';
import type { LoginLimits } from '../../infra/rate-limits/login-limits.ts';
import type { Tokens } from '../../infra/tokens.ts';
import type { Logger } from '../../logger.ts';
import { filesOfPost } from '../posts/posts.ts';
import { cleanText } from '../text.ts';
import { avatarColumns, avatarFilesOf } from './avatars.ts';
import { parseEmail, parseUsername } from './identity.ts';
import { emailChangedMail, resetPasswordMail, verifyEmailMail } from './mails.ts';

export interface AccountsDeps {
  db: Db;
  hasher: PasswordHasher;
  tokens: Tokens;
  mailer: Mailer;
  logger: Logger;
  appUrl: string;
  resetLifetimeSeconds: number;
  /** Records and removes the stored files of deleted posts, retrying until the backend confirms. */
  fileRemovals: FileRemovals;
  /** Password confirmations count as sign-in attempts. */
  loginLimits: LoginLimits;
  /** Account mails per address and per client. */
  accountLimits: AccountLimits;
  /** Tells every instance's caches what changed (src/infra/changes.ts). */
  changes: Changes;
}

export const MAX_BIO_LENGTH = 300;

export interface ProfileEdits {
  email?: string | null;
  username?: string | null;
  password?: string | null;
  /** Null or empty clears it. */
  bio?: string | null;
}

export interface AdminEdits extends ProfileEdits {
  isActive?: boolean | null;
  isVerified?: boolean | null;
  isSuperuser?: boolean | null;
}

function wrongCurrentPassword() {
  const reason = 'The current password is missing or wrong.';
  return new AppError(ErrorCode.UPDATE_USER_INVALID_PASSWORD, reason, { reason, field: 'currentPassword' });
}

export function createAccountsService(deps: AccountsDeps) {
  const { db, hasher, tokens, mailer, logger, appUrl, loginLimits, accountLimits, changes } = deps;
  const inFlight = new Set<Promise<void>>();

  /**
   * Sends without making the answer wait. Past the limit per address, or per client (`clientIp`, the one
   * who asked for it; null for none), the mail is dropped.
   */
  function sendInBackground(message: MailMessage, purpose: string, clientIp: string | null) {
    const sending = (async () => {
      const refusal = await accountLimits.mailRefusal(message.to, clientIp);
      if (refusal === 'address') {
        logger.warn({ purpose }, 'account mail not sent: too many to this address lately');
        return;
      }
      if (refusal === 'client') {
        logger.warn({ purpose }, 'account mail not sent: too many asked for by this client lately');
        return;
      }
      await mailer.send(message);
    })()
      .catch((error) => logger.error({ purpose, error }, 'mail could not be sent'))
      .finally(() => inFlight.delete(sending));
    inFlight.add(sending);
  }

  /** The signed-in user's password, checked again and counted as a sign-in attempt. */
  async function confirmPassword(
    user: User,
    password: string | null | undefined,
    clientIp: string | null,
  ): Promise<boolean> {
    if (password == null) return false;
    const attempt = await loginLimits.begin(user.email, clientIp);
    if (!(await hasher.verify(password, user.hashedPassword))) return false;
    await attempt.succeeded();
    return true;
  }

  async function revokeSessions(userId: string, exceptSessionId?: string | null) {
    await db.session.deleteMany({ where: { userId, ...(exceptSessionId ? { id: { not: exceptSessionId } } : {}) } });
    await changes.publish({ type: 'user', userId });
  }

  /**
   * Validates and applies identity and password changes shared by updateMe and updateUser. With
   * `confirmed`, the write happens only while the password is still the one just confirmed.
   */
  async function applyChanges(
    user: User,
    edits: AdminEdits,
    flags: Prisma.UserUpdateInput,
    { confirmed = false } = {},
  ) {
    const data: Prisma.UserUpdateInput = { ...flags };
    const emailTaken = () =>
      new AppError(ErrorCode.UPDATE_USER_EMAIL_ALREADY_EXISTS, 'A user with this email already exists.');
    const usernameTaken = () =>
      new AppError(ErrorCode.UPDATE_USER_USERNAME_ALREADY_EXISTS, 'A user with this username already exists.');
    const email = edits.email != null ? parseEmail(edits.email) : user.email;
    const username = edits.username != null ? parseUsername(edits.username) : user.username;
    if (email !== user.email) {
      if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken();
      data.email = email;
      // A new address has not been proven yet.
      data.isVerified = edits.isVerified ?? false;
    }
    if (username !== user.username) {
      if (await db.user.findUnique({ where: { username }, select: { id: true } })) throw usernameTaken();
      data.username = username;
    }
    if (edits.password != null) {
      const reason = passwordProblem(edits.password, email);
      if (reason) throw new AppError(ErrorCode.UPDATE_USER_INVALID_PASSWORD, reason, { reason });
      data.hashedPassword = await hasher.hash(edits.password);
      // An account a provider sign-in made has a password of its own from now on.
      data.hasPassword = true;
    }
    try {
      const updated = await db.user.update({
        where: { id: user.id, ...(confirmed ? { hashedPassword: user.hashedPassword } : {}) },
        data,
      });
      await changes.publish({ type: 'user', userId: user.id });
      return updated;
    } catch (error) {
      if (isRecordNotFound(error)) {
        // The password was changed (a reset) after it was confirmed: it is not the current one any more.
        if (confirmed) throw wrongCurrentPassword();
        // The account was deleted meanwhile (a superuser's updateUser racing a deletion).
        throw notFound('User not found.');
      }
      // Another request took the email or username between the checks above and this write.
      const fields = uniqueViolationFields(error);
      if (fields.includes('username')) throw usernameTaken();
      if (fields.length > 0) throw emailTaken();
      throw error;
    }
  }

  async function deleteWithMedia(userId: string) {
    // Posts and sessions go with the user (ON DELETE CASCADE), and the posts' files after them.
    let postIds: string[] = [];
    await deps.fileRemovals.deleteWithFiles(
      async (tx) => {
        const posts = await tx.post.findMany({
          where: { authorId: userId },
          select: { id: true, storage: true, storageKey: true, fileId: true, posterKey: true },
        });
        postIds = posts.map((post) => post.id);
        const user = await tx.user.findUnique({ where: { id: userId }, select: avatarColumns });
        const { count } = await tx.user.deleteMany({ where: { id: userId } });
        if (count === 0) throw notFound('User not found.');
        return { result: undefined, files: [...posts.flatMap(filesOfPost), ...avatarFilesOf(user)] };
      },
      {
        committed: async () => {
          await changes.publish({ type: 'user', userId });
          // Live streams showing its posts hear they are gone (feedEvents, postActivity).
          for (const postId of postIds) {
            await changes.publish({ type: 'post-removed', postId, authorId: userId, authorGone: true });
          }
        },
      },
    );
  }

  const service = {
    /** Mails a verification link to an active, unverified user. Says nothing about whether one was sent. */
    async requestVerification(emailInput: string, clientIp: string | null = null): Promise<true> {
      const user = await db.user.findUnique({ where: { email: parseEmail(emailInput) } });
      if (user?.isActive && !user.isVerified) service.sendVerification(user, clientIp);
      return true;
    },

    /** Mails a verification link, counted against the client that asked for it (null: none). */
    sendVerification(user: Pick<User, 'id' | 'email'>, clientIp: string | null) {
      const token = tokens.verify.sign(user.id, user.email);
      const link = `${appUrl}/verify?token=${encodeURIComponent(token)}`;
      sendInBackground(verifyEmailMail(user.email, link), 'verify', clientIp);
    },

    async verifyEmail(token: string): Promise<User> {
      const claims = tokens.verify.verify(token);
      const bad = () =>
        new AppError(ErrorCode.VERIFY_USER_BAD_TOKEN, 'The verification link is invalid or has expired.');
      if (!claims) throw bad();
      let verified: User;
      try {
        // The checks are the write's own condition, so an email changed while this runs is not the one verified.
        verified = await db.user.update({
          where: { id: claims.userId, email: claims.email, isActive: true, isVerified: false },
          data: { isVerified: true },
        });
      } catch (error) {
        if (!isRecordNotFound(error)) throw error;
        const user = await db.user.findUnique({ where: { id: claims.userId } });
        if (user?.isActive && user.email === claims.email && user.isVerified)
          throw new AppError(ErrorCode.VERIFY_USER_ALREADY_VERIFIED, 'This email is already verified.');
        throw bad();
      }
      await changes.publish({ type: 'user', userId: verified.id });
      return verified;
    },

    /** Same answer, and the same work, whether the email is unknown, inactive or real. */
    async requestPasswordReset(emailInput: string, clientIp: string | null = null): Promise<true> {
      const email = parseEmail(emailInput);
      const user = await db.user.findUnique({ where: { email } });
      // An unknown email gets a token too (thrown away), so both answers cost the same.
      const token = tokens.reset.sign(user ?? { id: 'nobody', hashedPassword: await hasher.dummyHash(), email });
      if (user?.isActive) {
        const link = `${appUrl}/reset-password?token=${encodeURIComponent(token)}`;
        sendInBackground(resetPasswordMail(user.email, link, deps.resetLifetimeSeconds), 'reset', clientIp);
      }
      return true;
    },

    async resetPassword(token: string, password: string, clientIp: string | null = null): Promise<true> {
      const claims = tokens.reset.verify(token);
      const bad = () => new AppError(ErrorCode.RESET_PASSWORD_BAD_TOKEN, 'The reset link is invalid or has expired.');
      if (!claims) throw bad();
      const user = await db.user.findUnique({ where: { id: claims.userId } });
      // A token minted before the password or the email last changed carries another fingerprint.
      if (!user?.isActive || tokens.fingerprint(user) !== claims.accountFingerprint) throw bad();
      const reason = passwordProblem(password, user.email);
      if (reason) throw new AppError(ErrorCode.RESET_PASSWORD_INVALID_PASSWORD, reason, { reason });
      const hashedPassword = await hasher.hash(password);
      await db.$transaction(async (tx) => {
        // Only while the password and email are still the ones the token was checked against: of
        // requests racing with one token, the first write wins and the rest find the hash changed, as a
        // later reuse would; an email changed meanwhile fails it too.
        const { count } = await tx.user.updateMany({
          where: { id: user.id, hashedPassword: user.hashedPassword, email: user.email, isActive: true },
          data: { hashedPassword, hasPassword: true },
        });
        if (count === 0) throw bad();
        await tx.session.deleteMany({ where: { userId: user.id } });
      });
      await changes.publish({ type: 'user', userId: user.id });
      // The owner proved themself through their mailbox: failed sign-ins before this no longer hold them back.
      await loginLimits.forgive(user.email, clientIp);
      return true;
    },

    /**
     * A new email or password needs the current password (so a stolen token cannot take the account);
     * the old address is told about a new one, and a new password signs out the other sessions.
     */
    async updateMe(
      user: User,
      sessionId: string | null,
      edits: ProfileEdits & { currentPassword?: string | null },
      clientIp: string | null = null,
    ): Promise<User> {
      const newEmail = edits.email != null && parseEmail(edits.email) !== user.email;
      const needsPassword = edits.password != null || newEmail;
      if (needsPassword && !(await confirmPassword(user, edits.currentPassword, clientIp))) {
        throw wrongCurrentPassword();
      }
      const profile: Prisma.UserUpdateInput =
        edits.bio === undefined
          ? {}
          : { bio: cleanText(edits.bio, { field: 'bio', label: 'Bio', maxLength: MAX_BIO_LENGTH }) };
      const updated = await applyChanges(user, edits, profile, { confirmed: needsPassword });
      if (edits.password != null) await revokeSessions(user.id, sessionId);
      if (updated.email !== user.email) {
        sendInBackground(emailChangedMail(user.email, updated.email), 'email-changed', clientIp);
        service.sendVerification(updated, clientIp);
      }
      return updated;
    },

    async deleteMe(user: User, password: string, clientIp: string | null = null): Promise<true> {
      if (!(await confirmPassword(user, password, clientIp))) {
        throw new AppError(ErrorCode.DELETE_USER_INVALID_PASSWORD, 'The password is wrong.');
      }
      await deleteWithMedia(user.id);
      return true;
    },

    async updateUser(userId: string, edits: AdminEdits): Promise<User> {
      const user = await db.user.findUnique({ where: { id: userId } });
      if (!user) throw notFound('User not found.');
      const flags: Prisma.UserUpdateInput = {};
      if (edits.isActive != null) flags.isActive = edits.isActive;
      if (edits.isVerified != null) flags.isVerified = edits.isVerified;
      if (edits.isSuperuser != null) flags.isSuperuser = edits.isSuperuser;
      const updated = await applyChanges(user, edits, flags);
      // A new password or a deactivation ends every session at once.
      if (edits.password != null || edits.isActive === false) await revokeSessions(user.id);
      return updated;
    },

    deleteUser: (userId: string) => deleteWithMedia(userId),

    /** Waits for mails still being sent; for shutdown and tests. */
    async flush() {
      await Promise.all([...inFlight]);
    },
  };
  return service;
}

export type AccountsService = ReturnType<typeof createAccountsService>;
