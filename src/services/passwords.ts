// Password hashing and the password and identity rules shared by register, reset and profile updates.
import bcrypt from 'bcryptjs';

export const PASSWORD_MIN_LENGTH = 8;
// bcrypt only reads the first 72 bytes; a longer password would be silently truncated.
export const PASSWORD_MAX_BYTES = 72;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

// Deliberately simple: one @, no spaces, a dot in the domain. Real proof is the verification mail.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmail(email: string): boolean {
  return email.length <= 254 && EMAIL_PATTERN.test(email);
}

export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

export const USERNAME_PATTERN = /^[a-z0-9_.]{3,30}$/;

/** Why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, email: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password should be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES) return `Password should be at most ${PASSWORD_MAX_BYTES} bytes.`;
  if (email && password.toLowerCase().includes(normalizeEmail(email))) return 'Password should not contain e-mail.';
  return null;
}

export function createPasswordHasher(cost: number) {
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password: string) => bcrypt.hash(password, cost),
    verify: (password: string, hash: string) => bcrypt.compare(password, hash),
    /** Spends the same time as a real check, for accounts that do not exist. */
    async verifyAgainstDummy(password: string): Promise<false> {
      dummyHash ??= bcrypt.hash('dummy-password-for-timing', cost);
      await bcrypt.compare(password, await dummyHash);
      return false;
    },
  };
}
export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
