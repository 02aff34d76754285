// Signing in and out.
import { builder } from '../builder.ts';
import type { IssuedToken } from '../services/auth.ts';
import { asSelected } from './user.ts';

const AuthPayload = builder.objectRef<IssuedToken>('AuthPayload').implement({
  fields: (t) => ({
    token: t.exposeString('token', { description: 'Send as "Authorization: Bearer <token>".' }),
    tokenType: t.exposeString('tokenType', { description: 'Always "bearer".' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    user: t.prismaField({
      type: 'User',
      resolve: (query, payload, _args, context) => asSelected(context, query, payload.user),
    }),
  }),
});

const RegisterInput = builder.inputType('RegisterInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    username: t.string({ required: true, description: '3 to 30 of a-z, 0-9, _ and . (stored lowercased).' }),
    password: t.string({ required: true, description: 'At least 8 characters, and not containing the email.' }),
  }),
});

builder.mutationFields((t) => ({
  register: t.prismaField({
    type: 'User',
    args: { input: t.arg({ type: RegisterInput, required: true }) },
    description: 'Creates an active, unverified, ordinary account.',
    extensions: { passwordWork: true },
    resolve: async (query, _root, { input }, context) => {
      const user = await context.services.auth.register(input, context.clientIp);
      context.ownAccountIds.add(user.id);
      return asSelected(context, query, user);
    },
  }),
  login: t.field({
    type: AuthPayload,
    extensions: { passwordWork: true },
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, { email, password }, context) => {
      const issued = await context.services.auth.login(email, password, context.clientIp);
      context.ownAccountIds.add(issued.user.id);
      return issued;
    },
  }),
  logout: t.withAuth({ signedIn: true }).boolean({
    description: 'Revokes the token this request was sent with, on every server instance.',
    resolve: async (_root, _args, context) => {
      await context.services.auth.logout(context.sessionId);
      return true;
    },
  }),
}));
