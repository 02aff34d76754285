// Signing in and out, with a bearer token or the session cookie.
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { AppError, ErrorCode } from '../errors.ts';
import { CSRF_MUTATION_MESSAGE } from '../http/session-cookie.ts';
import type { IssuedSession, Transport } from '../services/accounts/sessions.ts';
import { asSelected } from './user.ts';

export const AuthTransportEnum = builder.enumType('AuthTransport', {
  description: "How a session's token travels between the client and this API.",
  values: {
    BEARER: {
      description:
        'A token the client sends as "Authorization: Bearer <token>", with a refresh token to renew it: apps, and scripts.',
    },
    COOKIE: {
      description:
        'An HttpOnly cookie the browser keeps and sends, out of reach of scripts: web frontends. Requests it signs must come from an allowed origin (CSRF).',
    },
  } as const,
});

/**
 * Refuses, before anything runs, a sign-in asking for the session cookie from a page that may not use it
 * (as a mutation the cookie signs would be): otherwise another site could sign a browser into an account
 * of its choosing.
 */
export function assertMaySetCookie(context: Context, transport: Transport) {
  if (transport === 'COOKIE' && !context.cookieMutationAllowed) {
    throw new AppError(ErrorCode.CSRF_REJECTED, CSRF_MUTATION_MESSAGE);
  }
}

/** A new session for the client: a cookie session's token goes in the Set-Cookie, never in the answer. */
export function handOver(context: Context, issued: IssuedSession): IssuedSession {
  if (issued.transport === 'COOKIE') context.sessionCookie.set(issued.token, issued.expiresAt);
  context.ownAccountIds.add(issued.user.id);
  return issued;
}

export const AuthPayload = builder.objectRef<IssuedSession>('AuthPayload').implement({
  description: 'A signed-in session: its tokens and the user it belongs to.',
  fields: (t) => ({
    token: t.string({
      nullable: true,
      description:
        'Send as "Authorization: Bearer <token>". Null with transport COOKIE: the token is in the session cookie, where scripts cannot read it.',
      resolve: (issued) => (issued.transport === 'COOKIE' ? null : issued.token),
    }),
    tokenType: t.string({
      description: '"bearer", or "cookie" with transport COOKIE.',
      resolve: (issued) => (issued.transport === 'COOKIE' ? 'cookie' : 'bearer'),
    }),
    transport: t.expose('transport', { type: AuthTransportEnum, description: 'How the session travels.' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description:
        'When the token stops working: for BEARER JWT_LIFETIME_SECONDS on (never past refreshExpiresAt), then call refreshSession; for COOKIE the cookie’s Max-Age, renewed by requests in its second half.',
    }),
    refreshToken: t.exposeString('refreshToken', {
      nullable: true,
      description:
        'Trade it for a new pair with refreshSession before refreshExpiresAt. Single use: presenting it again ends the session. Keep it as safe as a password. Null with transport COOKIE.',
    }),
    refreshExpiresAt: t.expose('refreshExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description:
        'When the refresh token stops working (REFRESH_TOKEN_LIFETIME_SECONDS after it was issued, never past SESSION_ABSOLUTE_LIFETIME_SECONDS after the sign-in).',
    }),
    user: t.prismaField({
      type: 'User',
      description: 'Who signed in.',
      resolve: (query, payload, _args, context) => asSelected(context, query, payload.user),
    }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({
      required: true,
      description:
        'Stored trimmed, lowercased and in NFC, the domain as UTS-46 maps it (fullwidth forms and xn-- labels folded); unique however it is written. A domain ending in a dot is BAD_USER_INPUT.',
    }),
    username: t.string({ required: true, description: '3 to 30 of a-z, 0-9, _ and . (stored lowercased).' }),
    password: t.string({ required: true, description: 'At least 8 characters, and not containing the email.' }),
  }),
});

builder.mutationFields((t) => ({
  register: t.prismaField({
    type: 'User',
    args: { input: t.arg({ type: RegisterInput, required: true, description: 'The new account.' }) },
    description:
      'Creates an active, unverified, ordinary account and mails its verification link. Anyone; at most REGISTER_MAX_PER_IP an hour from one address (IPv6: one /64). Errors: REGISTER_USER_ALREADY_EXISTS, REGISTER_INVALID_PASSWORD, BAD_USER_INPUT, RATE_LIMITED.',
    passwordWork: true,
    sendsMail: true,
    resolve: async (query, _root, { input }, context) => {
      const user = await context.services.auth.register(input, context.clientIp);
      context.ownAccountIds.add(user.id);
      return asSelected(context, query, user);
    },
  }),
  login: t.field({
    type: AuthPayload,
    description:
      'Signs in: a bearer token for the Authorization header and a refresh token, or with transport COOKIE the session cookie (Set-Cookie; token is null). Anyone; COOKIE from a trusted page with a preflight header. Errors: LOGIN_BAD_CREDENTIALS (unknown email, wrong password or inactive account, indistinguishable), LOGIN_USER_NOT_VERIFIED, RATE_LIMITED (retryAfterSeconds: past the failed sign-in limits, past LOGIN_MAX_PER_MINUTE sign-ins to the account, or with PASSWORD_CHECKS_IN_FLIGHT_PER_IP password checks from this client still running), CSRF_REJECTED.',
    passwordWork: true,
    args: {
      email: t.arg.string({
        required: true,
        description: 'The account’s email, in any case and any spelling of its domain (see RegisterInput.email).',
      }),
      password: t.arg.string({ required: true, description: 'The account’s password.' }),
      transport: t.arg({
        type: AuthTransportEnum,
        defaultValue: 'BEARER',
        description: 'BEARER (apps) or COOKIE (web frontends); see AuthTransport.',
      }),
    },
    resolve: async (_root, { email, password, transport: asked }, context) => {
      // An explicit null means the default too.
      const transport = asked ?? 'BEARER';
      assertMaySetCookie(context, transport);
      const signIn = { transport, userAgent: context.userAgent };
      return handOver(context, await context.services.auth.login(email, password, context.clientIp, signIn));
    },
  }),
  logout: t.withAuth({ signedIn: true }).boolean({
    description:
      'Ends the session this request was sent with (its access and refresh tokens, or its cookie, which the answer clears), on every server instance. Signed in.',
    resolve: async (_root, _args, context) => {
      await context.services.sessions.end(context.sessionId);
      if (context.sessionSource === 'cookie') context.sessionCookie.clear();
      return true;
    },
  }),
}));
