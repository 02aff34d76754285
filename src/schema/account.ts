// The signed-in user's own account, and the mails that prove who they are (fastapi-users parity).
import { builder } from '../builder.ts';
import { asSelected } from './user.ts';

const UpdateMeInput = builder.inputType('UpdateMeInput', {
  description:
    'Only the fields given change. A new password needs currentPassword; a new email must be verified again.',
  fields: (t) => ({
    email: t.string({ required: false }),
    username: t.string({ required: false }),
    password: t.string({ required: false }),
    currentPassword: t.string({ required: false }),
  }),
});

builder.mutationFields((t) => ({
  requestPasswordReset: t.boolean({
    description:
      'Mails a reset link to an active account with this email. Always true, so it tells nobody which emails exist.',
    args: { email: t.arg.string({ required: true }) },
    resolve: (_root, { email }, context) => context.services.accounts.requestPasswordReset(email),
  }),
  resetPassword: t.boolean({
    description: "Sets a new password with the token from the reset mail, and signs out all of the user's sessions.",
    extensions: { passwordWork: true },
    args: { token: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: (_root, { token, password }, context) =>
      context.services.accounts.resetPassword(token, password, context.clientIp),
  }),
  requestVerification: t.boolean({
    description: 'Mails a verification link to an active, unverified account with this email. Always true.',
    args: { email: t.arg.string({ required: true }) },
    resolve: (_root, { email }, context) => context.services.accounts.requestVerification(email),
  }),
  verifyEmail: t.prismaField({
    type: 'User',
    description: 'Marks the email verified with the token from the verification mail.',
    args: { token: t.arg.string({ required: true }) },
    resolve: async (query, _root, { token }, context) => {
      const user = await context.services.accounts.verifyEmail(token);
      context.ownAccountIds.add(user.id);
      return asSelected(context, query, user);
    },
  }),
  updateMe: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description: "A new password signs out the user's other sessions.",
    extensions: {
      passwordWork: ({ input }: { input?: { password?: unknown; currentPassword?: unknown } }) =>
        input?.password != null || input?.currentPassword != null,
    },
    args: { input: t.arg({ type: UpdateMeInput, required: true }) },
    resolve: async (query, _root, { input }, context) => {
      const user = await context.services.accounts.updateMe(context.viewer, context.sessionId, input, context.clientIp);
      return asSelected(context, query, user);
    },
  }),
  deleteMe: t.withAuth({ signedIn: true }).boolean({
    description: 'Deletes the account with its posts and their media.',
    extensions: { passwordWork: true },
    args: { password: t.arg.string({ required: true }) },
    resolve: (_root, { password }, context) =>
      context.services.accounts.deleteMe(context.viewer, password, context.clientIp),
  }),
}));
