// User management for superusers.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { Db, Prisma, User } from '../db/index.ts';
import { badInput, notFound } from '../errors.ts';
import { EMAIL_MAX_LENGTH } from '../services/accounts/identity.ts';
import {
  following,
  type KeysetWindow,
  paged,
  prismaWindow,
  resolveKeysetConnection,
  USERS_PAGE,
} from './pagination.ts';
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

/**
 * The users whose email or username contains `term` literally. Prisma's contains is SQL LIKE, where
 * % and _ in the term are wildcards it does not escape (prisma/orm#19506), and SQLite's LIKE has no
 * escape character unless told: the database returns every row the pattern matches, and only rows
 * holding the term literally are kept, fetching more until the page is full.
 */
async function usersMatching(db: Db, term: string, window: KeysetWindow): Promise<User[]> {
  const like: Prisma.UserWhereInput = { OR: [{ email: { contains: term } }, { username: { contains: term } }] };
  const { conditions, orderBy, take } = prismaWindow(window);
  const found: User[] = [];
  let last: User | undefined;
  for (let round = 0; round < 10 && found.length < take; round += 1) {
    const more = last ? [following(last, window)] : [];
    const batch = (await db.user.findMany({
      where: { AND: [like, ...(conditions as Prisma.UserWhereInput[]), ...(more as Prisma.UserWhereInput[])] },
      orderBy,
      take,
    })) as User[];
    found.push(...batch.filter((user) => user.email.includes(term) || user.username.includes(term)));
    if (batch.length < take) break;
    last = batch.at(-1);
  }
  return found.slice(0, take);
}

/**
 * A longer term cannot be part of any email (at most EMAIL_MAX_LENGTH) or username, and SQLite
 * refuses long LIKE patterns ("pattern too complex") instead of matching nothing.
 */
export const USER_SEARCH_MAX_LENGTH = EMAIL_MAX_LENGTH;
const SEARCH_CONTROL = /\p{Cc}/u;

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
      resolve: (_root, { search, ...args }, context) => {
        // In the form emails and usernames are stored in (src/services/accounts/identity.ts): NFC, lowercased.
        const term = search?.trim().normalize('NFC').toLowerCase();
        if (term && term.length > USER_SEARCH_MAX_LENGTH) {
          throw badInput(`Search must be at most ${USER_SEARCH_MAX_LENGTH} characters.`, { field: 'search' });
        }
        // No email or username holds one, and PostgreSQL cannot compare text with U+0000 (the query fails).
        if (term && SEARCH_CONTROL.test(term)) {
          throw badInput('Search must not contain control characters.', { field: 'search' });
        }
        return resolveKeysetConnection(args, USERS_PAGE, (window) => {
          if (term) return usersMatching(context.db, term, window);
          const { conditions, orderBy, take } = prismaWindow(window);
          return context.db.user.findMany({ where: { AND: conditions as Prisma.UserWhereInput[] }, orderBy, take });
        });
      },
    },
    UserConnection,
  ),
}));

builder.mutationFields((t) => ({
  updateUser: t.withAuth({ superuser: true }).prismaField({
    type: 'User',
    description:
      'Changes an account. Superusers (FORBIDDEN otherwise). Errors: NOT_FOUND, UPDATE_USER_EMAIL_ALREADY_EXISTS, UPDATE_USER_USERNAME_ALREADY_EXISTS, UPDATE_USER_INVALID_PASSWORD, BAD_USER_INPUT.',
    extensions: { passwordWork: ({ input }: { input?: { password?: unknown } }) => input?.password != null },
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
