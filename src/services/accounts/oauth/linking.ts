// Which account a provider's sign-in is, as fastapi-users' OAuth router decides it: the account linked to
// that (provider, subject); else the account with the same email, linked now, only when the provider
// says it verified that email (associate_by_email); else a new account, verified, with a random
// password and a username made from what the provider calls the person. And unlinking, never the
// last way an account has to sign in.
import { randomBytes } from 'node:crypto';
import { type Db, isRecordNotFound, isUniqueViolation, type User, uniqueViolationFields } from '../../../db/index.ts';
import { AppError, accountGone, ErrorCode, notFound } from '../../../errors.ts';
import type { Changes } from '../../../infra/changes.ts';
import type { PasswordHasher } from '../../../infra/passwords.ts';
import type { AccountLimits } from '../../../infra/rate-limits/account-limits.ts';
import { parseEmail } from '../identity.ts';
import type { ProviderIdentity } from './providers.ts';

export interface AccountLinkingDeps {
  db: Db;
  hasher: PasswordHasher;
  /** An account made by a sign-in counts as a registration from the client's IP. */
  accountLimits: AccountLimits;
  changes: Changes;
}

const inactive = () =>
  new AppError(ErrorCode.OAUTH_ACCOUNT_INACTIVE, 'The account this sign-in belongs to is deactivated.');
const emailNotVerified = () =>
  new AppError(
    ErrorCode.OAUTH_EMAIL_NOT_VERIFIED,
    'The provider has not verified an email address of this account, so it can be neither linked nor used for a new one.',
  );

const USERNAME_BASE_MAX = 24;

/** A username out of a login or an email's local part: a-z, 0-9, _ and ., at least 3 of them. */
export function usernameBase(hint: string | null): string {
  const base = (hint ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.]+/g, '_')
    .replace(/^[_.]+|[_.]+$/g, '')
    .slice(0, USERNAME_BASE_MAX);
  if (base.length >= 3) return base;
  return base ? `${base}_user` : 'user';
}

export function createAccountLinking({ db, hasher, accountLimits, changes }: AccountLinkingDeps) {
  /** The first of base, base_2, base_3... nobody has; a random suffix if a crowd has them all. */
  async function freeUsername(base: string): Promise<string> {
    const taken = new Set(
      (
        await db.user.findMany({ where: { username: { startsWith: base } }, select: { username: true }, take: 1000 })
      ).map((user) => user.username),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; n < 1000; n += 1) if (!taken.has(`${base}_${n}`)) return `${base}_${n}`;
    return `${base}_${randomBytes(3).toString('hex')}`;
  }

  async function linkedUser(provider: string, subject: string): Promise<User | null> {
    const link = await db.linkedAccount.findUnique({
      where: { provider_subject: { provider, subject } },
      include: { user: true },
    });
    return link?.user ?? null;
  }

  /** Links the provider's account to an existing one, whose email the provider has just proven. */
  async function linkExisting(user: User, provider: string, identity: ProviderIdentity): Promise<User> {
    const [, updated] = await db.$transaction([
      db.linkedAccount.create({
        data: { provider, subject: identity.subject, userId: user.id, email: identity.email },
      }),
      db.user.update({ where: { id: user.id }, data: { isVerified: true } }),
    ]);
    await changes.publish({ type: 'user', userId: user.id });
    return updated;
  }

  /** A new account with the link, in one statement: never one without the other. */
  async function create(email: string, provider: string, identity: ProviderIdentity): Promise<User> {
    // Nobody knows this password: the account signs in through the provider until a reset sets one.
    const hashedPassword = await hasher.hash(randomBytes(32).toString('base64url'));
    const base = usernameBase(identity.usernameHint ?? email.slice(0, email.lastIndexOf('@')));
    for (let attempt = 0; ; attempt += 1) {
      const username = attempt === 0 ? await freeUsername(base) : `${base}_${randomBytes(3).toString('hex')}`;
      try {
        return await db.user.create({
          data: {
            email,
            username,
            hashedPassword,
            hasPassword: false,
            isVerified: true,
            linkedAccounts: { create: { provider, subject: identity.subject, email: identity.email } },
          },
        });
      } catch (error) {
        // Another sign-in took the username first: another one. Anything else is for the caller.
        if (!uniqueViolationFields(error).includes('username') || attempt >= 5) throw error;
      }
    }
  }

  async function resolve(provider: string, identity: ProviderIdentity, clientIp: string | null): Promise<User> {
    const linked = await linkedUser(provider, identity.subject);
    if (linked) return linked;
    if (!identity.email || !identity.emailVerified) throw emailNotVerified();
    let email: string;
    try {
      email = parseEmail(identity.email);
    } catch {
      throw emailNotVerified();
    }
    const existing = await db.user.findUnique({ where: { email } });
    if (existing) {
      if (!existing.isActive) throw inactive();
      return linkExisting(existing, provider, identity);
    }
    await accountLimits.registration(clientIp);
    return create(email, provider, identity);
  }

  return {
    /** The account this sign-in is, linked or made as needed; only an active one. */
    async accountFor(provider: string, identity: ProviderIdentity, clientIp: string | null): Promise<User> {
      let user: User;
      try {
        user = await resolve(provider, identity, clientIp);
      } catch (error) {
        // A sign-in racing this one linked the subject, or registered the email, first: take it as it is now.
        if (!isUniqueViolation(error)) throw error;
        user = await resolve(provider, identity, clientIp);
      }
      if (!user.isActive) throw inactive();
      return user;
    },

    /** Removes the user's links to a provider, unless that would leave the account no way to sign in. */
    async unlink(userId: string, provider: string): Promise<void> {
      await db
        .$transaction(async (tx) => {
          // The user's row first: two unlinks of one account run one after the other, so they cannot
          // each see the other's link and together remove both.
          const user = await tx.user.update({ where: { id: userId }, data: { updatedAt: new Date() } });
          const { count } = await tx.linkedAccount.deleteMany({ where: { userId, provider } });
          if (count === 0) throw notFound(`No ${provider} account is linked to yours.`);
          if (!user.hasPassword && (await tx.linkedAccount.count({ where: { userId } })) === 0) {
            throw new AppError(
              ErrorCode.OAUTH_LAST_SIGN_IN_METHOD,
              'This is the only way your account signs in: set a password first (requestPasswordReset), or link another provider.',
            );
          }
        })
        .catch((error) => {
          // The account was deleted while this ran.
          throw isRecordNotFound(error) ? accountGone() : error;
        });
    },
  };
}

export type AccountLinking = ReturnType<typeof createAccountLinking>;
