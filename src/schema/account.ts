// The signed-in user's own account, and the mails that prove who they are (fastapi-users parity).
import { builder } from '../builder.ts';
import { MAX_BIO_LENGTH } from '../services/accounts/accounts.ts';
import { asSelected } from './user.ts';

const UpdateMeInput = builder.inputType('UpdateMeInput', {
  description:
    'Only the fields given change. A new password needs currentPassword; a new email must be verified again.',
  fields: (t) => ({
    email: t.string({ required: false, description: 'A new email; needs currentPassword, and a verification again.' }),
    username: t.string({ required: false, description: '3 to 30 of a-z, 0-9, _ and . (stored lowercased).' }),
    password: t.string({ required: false, description: 'A new password (8 to 72 bytes); needs currentPassword.' }),
    currentPassword: t.string({
      required: false,
      description: 'The password now; wrong ones count as failed sign-ins.',
    }),
    bio: t.string({
      required: false,
      description: `Up to ${MAX_BIO_LENGTH} characters, no control characters but tab and newline; null or empty clears it.`,
    }),
  }),
});

builder.mutationFields((t) => ({
  requestPasswordReset: t.boolean({
    description:
      'Mails a reset link (valid 1 hour) to an active account with this email. Anyone. Always true, so it tells nobody which emails exist; at most MAIL_MAX_PER_ADDRESS mails an address per 15 minutes and MAIL_MAX_PER_IP a client per hour. One mail-sending field per operation (BAD_USER_INPUT otherwise).',
    sendsMail: true,
    args: {
      email: t.arg.string({ required: true, description: 'The account’s email (BAD_USER_INPUT when it is not one).' }),
    },
    resolve: (_root, { email }, context) => context.services.accounts.requestPasswordReset(email, context.clientIp),
  }),
  resetPassword: t.boolean({
    description:
      "Sets a new password with the token from the reset mail, and signs out all of the user's sessions. Anyone with the token. Errors: RESET_PASSWORD_BAD_TOKEN, RESET_PASSWORD_INVALID_PASSWORD, RATE_LIMITED (password checks from this client still running).",
    passwordWork: true,
    args: {
      token: t.arg.string({ required: true, description: 'The token from the link in the reset mail.' }),
      password: t.arg.string({ required: true, description: 'At least 8 characters, and not containing the email.' }),
    },
    resolve: (_root, { token, password }, context) =>
      context.services.accounts.resetPassword(token, password, context.clientIp),
  }),
  requestVerification: t.boolean({
    description:
      'Mails a verification link to an active, unverified account with this email. Anyone. Always true; at most MAIL_MAX_PER_ADDRESS mails an address per 15 minutes and MAIL_MAX_PER_IP a client per hour. One mail-sending field per operation (BAD_USER_INPUT otherwise).',
    sendsMail: true,
    args: {
      email: t.arg.string({ required: true, description: 'The account’s email (BAD_USER_INPUT when it is not one).' }),
    },
    resolve: (_root, { email }, context) => context.services.accounts.requestVerification(email, context.clientIp),
  }),
  verifyEmail: t.prismaField({
    type: 'User',
    description:
      'Marks the email verified with the token from the verification mail. Anyone with the token. Errors: VERIFY_USER_BAD_TOKEN, VERIFY_USER_ALREADY_VERIFIED.',
    args: { token: t.arg.string({ required: true, description: 'The token from the link in the verification mail.' }) },
    resolve: async (query, _root, { token }, context) => {
      const user = await context.services.accounts.verifyEmail(token);
      context.ownAccountIds.add(user.id);
      return asSelected(context, query, user);
    },
  }),
  updateMe: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      "Changes the viewer's own account. Signed in. A new email or password needs currentPassword; a new password signs out the other sessions, a new email is told to the old address. Errors: UPDATE_USER_INVALID_PASSWORD, UPDATE_USER_EMAIL_ALREADY_EXISTS, UPDATE_USER_USERNAME_ALREADY_EXISTS, BAD_USER_INPUT, RATE_LIMITED.",
    passwordWork: ({ input }) => input.password != null || input.currentPassword != null,
    // A new email is mailed twice (the old address told, the new one verified).
    sendsMail: ({ input }) => input.email != null,
    args: { input: t.arg({ type: UpdateMeInput, required: true, description: 'Only the fields given change.' }) },
    resolve: async (query, _root, { input }, context) => {
      const user = await context.services.accounts.updateMe(context.viewer, context.sessionId, input, context.clientIp);
      return asSelected(context, query, user);
    },
  }),
  deleteMe: t.withAuth({ signedIn: true }).boolean({
    description:
      "Deletes the viewer's account with its posts and their media. Signed in. Errors: DELETE_USER_INVALID_PASSWORD, RATE_LIMITED.",
    passwordWork: true,
    args: {
      password: t.arg.string({ required: true, description: 'The password now; wrong ones count as failed sign-ins.' }),
    },
    resolve: (_root, { password }, context) =>
      context.services.accounts.deleteMe(context.viewer, password, context.clientIp),
  }),
}));
