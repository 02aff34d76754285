import { builder } from '../builder.ts';
import { actsFor, type Context } from '../context.ts';
import type { User } from '../db/index.ts';
import { paged, resolveKeysetConnection, USER_POSTS_PAGE } from './pagination.ts';
import { PostConnection, PostRef } from './post.ts';

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  fields: (t) => ({
    username: t.exposeString('username', { description: 'Lowercase a-z, 0-9, _ and ., 3 to 30 of them.' }),
    email: t.exposeString('email', {
      nullable: true,
      description: 'Only for the user themself and superusers; null for everyone else.',
      authScopes: (user, _args, context) => actsFor(context, user.id) || { superuser: true },
      unauthorizedResolver: () => null,
    }),
    isActive: t.exposeBoolean('isActive', {
      description: 'False once a superuser deactivates the account: it cannot sign in.',
    }),
    isVerified: t.exposeBoolean('isVerified', {
      description: 'Whether the email was confirmed through the mailed link.',
    }),
    isSuperuser: t.exposeBoolean('isSuperuser', { description: 'May manage accounts and delete any post.' }),
    linkedProviders: t.field({
      type: ['String'],
      description:
        'The sign-in providers linked to the account (google, github, oidc), sorted. Only for the user themself and superusers: FORBIDDEN for anyone else.',
      authScopes: (user, _args, context) => actsFor(context, user.id) || { superuser: true },
      // Loaded with the user, in the same statement as its page or batch.
      select: { linkedAccounts: { select: { provider: true } } },
      resolve: (user) => [...new Set(user.linkedAccounts.map((link) => link.provider))].sort(),
    }),
    bio: t.exposeString('bio', { nullable: true, description: 'Up to 300 characters; null when none.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    posts: t.connection(
      {
        type: PostRef,
        description: "The user's posts, newest first. first defaults to 20, at most 50.",
        ...paged(USER_POSTS_PAGE),
        // Batched with the other users' pages asked in this request: one statement for a whole list.
        // The rows are filtered for the viewer (src/services/safety/visibility.ts).
        resolve: (user, args, context) =>
          resolveKeysetConnection(args, USER_POSTS_PAGE, 'newest-first', (window) =>
            context.loaders.postsByAuthor(user.id, window),
          ),
      },
      PostConnection,
    ),
  }),
});

/**
 * A user row a resolver already holds, as the field's selection needs it: as it is when the selection
 * asks for no relations, else read again with them (so Pothos does not fetch them row by row).
 */
export function asSelected(context: Context, query: object, user: User): User | Promise<User> {
  return Object.keys(query).length === 0
    ? user
    : context.db.user.findUniqueOrThrow({ ...query, where: { id: user.id } });
}

/** One page of accounts (users, for superusers). */
export const UserConnection = builder.connectionObject(
  { type: UserRef, name: 'UserConnection', description: 'A page of accounts, newest first.' },
  { name: 'UserEdge' },
);

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user, or null without a valid token. Anyone.',
    resolve: (query, _root, _args, context) => (context.viewer ? asSelected(context, query, context.viewer) : null),
  }),
);
