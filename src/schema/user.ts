import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { paged, resolvePostConnection, USER_POSTS_PAGE } from './pagination.ts';
import { PostRef } from './post.ts';

/** A user's email is private: only they and superusers see it. */
export function canSeeEmailOf(context: Context, userId: string): boolean {
  const viewer = context.auth.user;
  return context.ownAccountIds.has(userId) || viewer?.id === userId || viewer?.isSuperuser === true;
}

export const UserRef = builder.prismaNode('User', {
  id: { field: 'id' },
  fields: (t) => ({
    username: t.exposeString('username'),
    email: t.string({
      nullable: true,
      description: 'Only for the user themself and superusers; null for everyone else.',
      resolve: (user, _args, context) => (canSeeEmailOf(context, user.id) ? user.email : null),
    }),
    isActive: t.exposeBoolean('isActive'),
    isVerified: t.exposeBoolean('isVerified'),
    isSuperuser: t.exposeBoolean('isSuperuser'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    posts: t.connection({
      type: PostRef,
      description: "The user's posts, newest first. first defaults to 20, at most 50.",
      ...paged(USER_POSTS_PAGE),
      resolve: (user, args, context, info) =>
        resolvePostConnection(context, info, args, USER_POSTS_PAGE, { authorId: user.id }),
    }),
  }),
});

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    nullable: true,
    description: 'The signed-in user, or null without a valid token.',
    resolve: (_query, _root, _args, context) => context.viewer(),
  }),
);
