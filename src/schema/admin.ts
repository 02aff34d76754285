// User management for superusers.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { notFound } from '../errors.ts';
import { USER_SEARCH_MAX_LENGTH } from '../services/accounts/directory.ts';
import { paged, resolveKeysetConnection, USERS_PAGE } from './pagination.ts';
import { asSelected, UserConnection, UserRef } from './user.ts';

const UpdateUserInput = builder.inputType('UpdateUserInput', {
  description: 'Only the fields given change. Deactivating a user or setting their password signs them out everywhere.',
  fields: (t) => ({
    email: t.string({ required: false }),
    username: t.string({ required: false }),
    password: t.string({ required: false }),
    isActive: t.boolean({ required: false }),
    isVerified: t.boolean({ required: false }),
    isSuperuser: t.boolean({ required: false }),
  }),
});

const userId = (id: { typename: string; id: string }) => {
  if (id.typename !== 'User') throw notFound('User not found.');
  return id.id;
};

builder.queryFields((t) => ({
  user: t.prismaField({
    type: 'User',
    nullable: true,
    authScopes: { superuser: true },
    description: 'One account by its id, email included; null when there is none. Superusers (FORBIDDEN otherwise).',
    args: { id: t.arg.globalID({ required: true, description: 'The id a User carries.' }) },
    resolve: (query, _root, { id }, context) =>
      id.typename === 'User' ? context.db.user.findUnique({ ...query, where: { id: id.id } }) : null,
  }),
  users: t.connection(
    {
      type: UserRef,
      authScopes: { superuser: true },
      description: 'Every account, newest first. Superusers (FORBIDDEN otherwise). first defaults to 20, at most 100.',
      ...paged(USERS_PAGE),
      args: {
        search: t.arg.string({
          required: false,
          description: `Part of the email or username, taken literally (case-insensitive); at most ${USER_SEARCH_MAX_LENGTH} characters and no control characters (BAD_USER_INPUT otherwise).`,
        }),
      },
      resolve: (_root, { search, ...args }, context) =>
        resolveKeysetConnection(args, USERS_PAGE, 'newest-first', (window) =>
          context.services.users.page(window, search),
        ),
    },
    UserConnection,
  ),
}));

builder.mutationFields((t) => ({
  updateUser: t.withAuth({ superuser: true }).prismaField({
    type: 'User',
    description:
      'Changes an account. Superusers (FORBIDDEN otherwise). Errors: NOT_FOUND, UPDATE_USER_EMAIL_ALREADY_EXISTS, UPDATE_USER_USERNAME_ALREADY_EXISTS, UPDATE_USER_INVALID_PASSWORD, BAD_USER_INPUT.',
    passwordWork: ({ input }) => input.password != null,
    args: {
      id: t.arg.globalID({ required: true, description: 'The id of the account.' }),
      input: t.arg({ type: UpdateUserInput, required: true, description: 'Only the fields given change.' }),
    },
    resolve: async (query, _root, { id, input }, context) =>
      asSelected(context, query, await context.services.accounts.updateUser(userId(id), input)),
  }),
  deleteUser: t.field({
    type: 'ID',
    authScopes: { superuser: true },
    description:
      "Deletes an account with its posts and their media. Superusers (FORBIDDEN otherwise); NOT_FOUND when there is none. Returns the deleted user's id.",
    args: { id: t.arg.globalID({ required: true, description: 'The id of the account.' }) },
    resolve: async (_root, { id }, context) => {
      await context.services.accounts.deleteUser(userId(id));
      return encodeGlobalID('User', id.id);
    },
  }),
}));
