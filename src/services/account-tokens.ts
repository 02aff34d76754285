// Single-purpose JWTs for the account mails, as fastapi-users makes them: a reset token carries a
// fingerprint of the current password hash (so it dies when the password changes), a verify token the
// email it was sent to (so it dies when the email changes).
import { createHmac } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface AccountTokenSettings {
  secret: string;
  issuer: string;
  resetLifetimeSeconds: number;
  verifyLifetimeSeconds: number;
}

export function createAccountTokens(settings: AccountTokenSettings) {
  const resetAudience = `${settings.issuer}:reset`;
  const verifyAudience = `${settings.issuer}:verify`;

  const fingerprint = (hashedPassword: string) =>
    createHmac('sha256', settings.secret).update(hashedPassword).digest('base64url').slice(0, 22);

  function decode(token: string, audience: string): jwt.JwtPayload | null {
    try {
      const claims = jwt.verify(token, settings.secret, { algorithms: ['HS256'], issuer: settings.issuer, audience });
      return typeof claims === 'object' && typeof claims.sub === 'string' ? claims : null;
    } catch {
      return null;
    }
  }

  const encode = (claims: object, audience: string, lifetimeSeconds: number) =>
    jwt.sign(claims, settings.secret, {
      algorithm: 'HS256',
      issuer: settings.issuer,
      audience,
      expiresIn: lifetimeSeconds,
    });

  return {
    fingerprint,
    reset: {
      sign: (userId: string, hashedPassword: string) =>
        encode({ sub: userId, pwd: fingerprint(hashedPassword) }, resetAudience, settings.resetLifetimeSeconds),
      verify: (token: string) => {
        const claims = decode(token, resetAudience);
        return claims && typeof claims.pwd === 'string'
          ? { userId: claims.sub!, passwordFingerprint: claims.pwd }
          : null;
      },
    },
    verify: {
      sign: (userId: string, email: string) =>
        encode({ sub: userId, email }, verifyAudience, settings.verifyLifetimeSeconds),
      verify: (token: string) => {
        const claims = decode(token, verifyAudience);
        return claims && typeof claims.email === 'string' ? { userId: claims.sub!, email: claims.email } : null;
      },
    },
  };
}

export type AccountTokens = ReturnType<typeof createAccountTokens>;
