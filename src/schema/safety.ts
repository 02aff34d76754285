// Safety: blocking accounts (and the viewer's list of blocks). Who and what a viewer may see is the
// rule of src/services/safety/visibility.ts, applied by every read path: the loaders and pages filter
// their rows, the lookups (post, node, userByUsername) answer null.
import { builder } from '../builder.ts';
import { forgetReads } from '../context.ts';
import type { User } from '../db/index.ts';
import { idOf, stillThere } from './ids.ts';
import { paged, resolveKeysetConnection, SOCIAL_PAGE } from './pagination.ts';
import { UserConnection, UserRef } from './user.ts';

builder.objectFields(UserRef, (t) => ({
  viewerBlocks: t.boolean({
    description:
      'Whether the signed-in viewer blocks this account (false for the viewer themself and without a viewer).',
    resolve: (user, _args, context) => context.loaders.viewerBlocks.load(user.id),
  }),
}));

builder.queryFields((t) => ({
  blockedUsers: t.connection(
    {
      type: UserRef,
      authScopes: { signedIn: true },
      description: `The accounts the viewer blocks, newest block first. Signed in (UNAUTHENTICATED otherwise). first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (_root, args, context) => {
        const viewerId = context.viewer?.id ?? '';
        return resolveKeysetConnection(
          args,
          SOCIAL_PAGE,
          'newest-first',
          (window) => context.loaders.blockedBy(viewerId, window),
          (edge) => edge.user as User,
        );
      },
    },
    UserConnection,
  ),
}));

builder.mutationFields((t) => ({
  blockUser: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      'Blocks an account: the two of you no longer see each other (posts, comments, profiles, lists), the follows between you are removed both ways, and neither can follow, like or comment on the other. Blocking again changes nothing. Returns the account. Signed in. Errors: BAD_USER_INPUT (yourself, or not a User id), NOT_FOUND.',
    args: { userId: t.arg.globalID({ required: true, description: 'The id of the account to block.' }) },
    resolve: async (query, _root, { userId }, context) => {
      const id = idOf(userId, 'User', 'userId');
      await context.services.blocks.block(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.user.findUnique({ ...query, where: { id } }), 'User');
    },
  }),
  unblockUser: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      'Unblocks an account: you see each other again. Follows are not restored. Not blocking it changes nothing. Returns the account. Signed in. Errors: BAD_USER_INPUT (yourself, or not a User id), NOT_FOUND.',
    args: { userId: t.arg.globalID({ required: true, description: 'The id of the account to unblock.' }) },
    resolve: async (query, _root, { userId }, context) => {
      const id = idOf(userId, 'User', 'userId');
      await context.services.blocks.unblock(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.user.findUnique({ ...query, where: { id } }), 'User');
    },
  }),
}));
