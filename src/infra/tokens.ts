// Every JWT this server signs, told apart by audience: a session token (its jti names a Session row),
// a password reset token (it carries a fingerprint of the password hash and the email, so it dies when
// either changes: a link sent to an address the account has left must not take it over) and an email
// verification token (it carries the email it was sent to), as fastapi-users makes them. HS256 with one secret; the key object is made once, not on every call.
import { createHmac, createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface TokensDeps {
  secret: string;
  issuer: string;
  /** The session tokens' audience; reset and verify tokens get `${issuer}:reset` and `${issuer}:verify`. */
  audience: string;
  resetLifetimeSeconds: number;
  verifyLifetimeSeconds: number;
}

export function createTokens(settings: TokensDeps) {
  const key = createSecretKey(Buffer.from(settings.secret, 'utf8'));
  const audiences = {
    session: settings.audience,
    reset: `${settings.issuer}:reset`,
    verify: `${settings.issuer}:verify`,
  };
  type Kind = keyof typeof audiences;

  const sign = (kind: Kind, claims: object, expiresIn?: number) =>
    jwt.sign(claims, key, {
      algorithm: 'HS256',
      issuer: settings.issuer,
      audience: audiences[kind],
      ...(expiresIn ? { expiresIn } : {}),
    });

  /** The claims of a valid, unexpired token of this kind with a subject, or null. */
  function verify(kind: Kind, token: string): (jwt.JwtPayload & { sub: string }) | null {
    try {
      const claims = jwt.verify(token, key, {
        algorithms: ['HS256'],
        issuer: settings.issuer,
        audience: audiences[kind],
      });
      return typeof claims === 'object' && typeof claims.sub === 'string'
        ? (claims as jwt.JwtPayload & { sub: string })
        : null;
    } catch {
      return null;
    }
  }

  /** What a reset token is bound to: the account's password hash and email as they are when it is minted. */
  const fingerprint = ({ hashedPassword, email }: { hashedPassword: string; email: string }) =>
    createHmac('sha256', key).update(`${hashedPassword}\n${email}`).digest('base64url').slice(0, 22);

  return {
    fingerprint,
    session: {
      /** `exp` is the session's own expiry, so the token and its Session row end together. */
      sign: (userId: string, sessionId: string, expiresAt: Date) =>
        sign('session', { sub: userId, jti: sessionId, exp: Math.floor(expiresAt.getTime() / 1000) }),
      verify: (token: string) => {
        const claims = verify('session', token);
        return claims && typeof claims.jti === 'string' && typeof claims.exp === 'number'
          ? { userId: claims.sub, sessionId: claims.jti, expiresAt: new Date(claims.exp * 1000) }
          : null;
      },
    },
    reset: {
      sign: (account: { id: string; hashedPassword: string; email: string }) =>
        sign('reset', { sub: account.id, acc: fingerprint(account) }, settings.resetLifetimeSeconds),
      verify: (token: string) => {
        const claims = verify('reset', token);
        return claims && typeof claims.acc === 'string' ? { userId: claims.sub, accountFingerprint: claims.acc } : null;
      },
    },
    verify: {
      sign: (userId: string, email: string) => sign('verify', { sub: userId, email }, settings.verifyLifetimeSeconds),
      verify: (token: string) => {
        const claims = verify('verify', token);
        return claims && typeof claims.email === 'string' ? { userId: claims.sub, email: claims.email } : null;
      },
    },
  };
}

export type Tokens = ReturnType<typeof createTokens>;
