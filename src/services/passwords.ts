// Password hashing, and the password rules shared by register, reset and profile updates.
import bcrypt from 'bcryptjs';

export const PASSWORD_MIN_LENGTH = 8;
// bcrypt only reads the first 72 bytes; a longer password would be silently truncated.
export const PASSWORD_MAX_BYTES = 72;

/** Why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES)
    return `Password should be at most ${PASSWORD_MAX_BYTES} bytes.`;
  if (email && password.toLowerCase().includes(email.toLowerCase())) return 'Password should not contain e-mail.';
  return null;
}

export function createPasswordHasher(cost: number) {
  let dummy: Promise<string> | undefined;
  /** A hash of no one's password at the configured cost, made once: unknown accounts are checked against it. */
  const dummyHash = () => (dummy ??= bcrypt.hash('dummy-password-for-timing', cost));
  return {
    dummyHash,
    hash: (password: string) => bcrypt.hash(password, cost),
    /** A hash made at another cost (an older setting, or user:create elsewhere) is redone at the next sign-in. */
    needsRehash: (hash: string) => bcrypt.getRounds(hash) !== cost,
    verify: (password: string, hash: string) => bcrypt.compare(password, hash),
    /** Spends the same time as a real check, for accounts that do not exist. */
    async verifyAgainstDummy(password: string): Promise<false> {
      await bcrypt.compare(password, await dummyHash());
      return false;
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
