// Signing in and out.
import { builder } from '../builder.ts';
import type { IssuedToken } from '../services/accounts/auth.ts';
import { asSelected } from './user.ts';

const AuthPayload = builder.objectRef<IssuedToken>('AuthPayload').implement({
  description: 'A signed-in session: its token and the user it belongs to.',
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>".' }),
    tokenType: t.exposeString('tokenType', { description: 'Always "bearer".' }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      description: 'When the token stops working (JWT_LIFETIME_SECONDS).',
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
      'Signs in: a bearer token for the Authorization header. Anyone. Errors: LOGIN_BAD_CREDENTIALS (unknown email, wrong password or inactive account, indistinguishable), LOGIN_USER_NOT_VERIFIED, RATE_LIMITED (retryAfterSeconds: past the failed sign-in limits, past LOGIN_MAX_PER_MINUTE sign-ins to the account, or with PASSWORD_CHECKS_IN_FLIGHT_PER_IP password checks from this client still running).',
    passwordWork: true,
    args: {
      email: t.arg.string({
        required: true,
        description: 'The account’s email, in any case and any spelling of its domain (see RegisterInput.email).',
      }),
      password: t.arg.string({ required: true, description: 'The account’s password.' }),
    },
    resolve: async (_root, { email, password }, context) => {
      const issued = await context.services.auth.login(email, password, context.clientIp);
      context.ownAccountIds.add(issued.user.id);
      return issued;
    },
  }),
  logout: t.withAuth({ signedIn: true }).boolean({
    description: 'Revokes the token this request was sent with, on every server instance. Signed in.',
    resolve: async (_root, _args, context) => {
      await context.services.auth.logout(context.sessionId);
      return true;
    },
  }),
}));
