// Follows, likes, the home feed and profiles by name: fields on User and Post, and their mutations.
// Counts and the viewer's likes and follows are read fresh for the whole page at once (src/services/loaders.ts),
// never from a cached row.
import { builder } from '../builder.ts';
import { forgetReads } from '../context.ts';
import type { PublicUser, User } from '../db/index.ts';
import { notFound } from '../errors.ts';
import { USERNAME_PATTERN } from '../services/accounts/identity.ts';
import { canSeeUser } from '../services/safety/visibility.ts';
import { idOf, stillThere } from './ids.ts';
import { FEED_PAGE, paged, resolveHomeFeedConnection, resolveKeysetConnection, SOCIAL_PAGE } from './pagination.ts';
import { PostConnection, PostRef } from './post.ts';
import { UserConnection, UserRef } from './user.ts';

/** A user row read without its password hash, which no field reads, as the User it is. */
const asUser = (user: PublicUser) => user as User;

const factsOf = <Facts>(facts: Facts | null, what: string): Facts => {
  // The row was there when its page was read and is gone now (deleted meanwhile).
  if (!facts) throw notFound(`${what} not found.`);
  return facts;
};

builder.objectFields(UserRef, (t) => ({
  followerCount: t.int({
    description: 'How many accounts follow this one.',
    resolve: async (user, _args, context) =>
      factsOf(await context.loaders.userFacts.load(user.id), 'User').followerCount,
  }),
  followingCount: t.int({
    description: 'How many accounts this one follows.',
    resolve: async (user, _args, context) =>
      factsOf(await context.loaders.userFacts.load(user.id), 'User').followingCount,
  }),
  postCount: t.int({
    description: 'How many posts this account has.',
    resolve: async (user, _args, context) => factsOf(await context.loaders.userFacts.load(user.id), 'User').postCount,
  }),
  viewerFollows: t.boolean({
    description:
      'Whether the signed-in viewer follows this account (false for the viewer themself and without a viewer).',
    resolve: async (user, _args, context) =>
      factsOf(await context.loaders.userFacts.load(user.id), 'User').viewerFollows,
  }),
  followers: t.connection(
    {
      type: UserRef,
      description: `Who follows this account, newest follow first. first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (user, args, context) =>
        resolveKeysetConnection(
          args,
          SOCIAL_PAGE,
          'newest-first',
          (window) => context.loaders.followersOf(user.id, window),
          (edge) => asUser(edge.user),
        ),
    },
    UserConnection,
  ),
  following: t.connection(
    {
      type: UserRef,
      description: `Whom this account follows, newest follow first. first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (user, args, context) =>
        resolveKeysetConnection(
          args,
          SOCIAL_PAGE,
          'newest-first',
          (window) => context.loaders.followingOf(user.id, window),
          (edge) => asUser(edge.user),
        ),
    },
    UserConnection,
  ),
}));

builder.objectFields(PostRef, (t) => ({
  likeCount: t.int({
    description: 'How many accounts like this post.',
    resolve: async (post, _args, context) => factsOf(await context.loaders.postFacts.load(post.id), 'Post').likeCount,
  }),
  viewerHasLiked: t.boolean({
    description: 'Whether the signed-in viewer likes this post (false without a viewer).',
    resolve: async (post, _args, context) =>
      factsOf(await context.loaders.postFacts.load(post.id), 'Post').viewerHasLiked,
  }),
  likers: t.connection(
    {
      type: UserRef,
      description: `Who likes this post, newest like first. first defaults to ${SOCIAL_PAGE.defaultSize}, at most ${SOCIAL_PAGE.maxSize}.`,
      ...paged(SOCIAL_PAGE),
      resolve: (post, args, context) =>
        resolveKeysetConnection(
          args,
          SOCIAL_PAGE,
          'newest-first',
          (window) => context.loaders.likersByPost(post.id, window),
          (edge) => asUser(edge.user),
        ),
    },
    UserConnection,
  ),
}));

builder.queryFields((t) => ({
  homeFeed: t.connection(
    {
      type: PostRef,
      authScopes: { signedIn: true },
      description: `Posts by the accounts the viewer follows and by the viewer, newest first, with the same cursors as feed. Signed in (UNAUTHENTICATED otherwise). first defaults to ${FEED_PAGE.defaultSize}, at most ${FEED_PAGE.maxSize}.`,
      ...paged(FEED_PAGE),
      resolve: (_root, args, context, info) => resolveHomeFeedConnection(context, info, args),
    },
    PostConnection,
  ),
  userByUsername: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    nullable: true,
    description:
      'An account by its username, in any case; null when there is none, or when the viewer may not see it (a block either way, reported by the viewer, hidden by reports). Signed in.',
    args: { username: t.arg.string({ required: true, description: 'The username, in any case.' }) },
    resolve: async (query, _root, { username }, context) => {
      const stored = username.trim().normalize('NFC').toLowerCase();
      // No account has another name, and PostgreSQL refuses a NUL in a compared text: null without asking.
      if (!USERNAME_PATTERN.test(stored)) return null;
      const user = await context.db.user.findUnique({ ...query, where: { username: stored } });
      return user && canSeeUser(await context.loaders.hidden(), user) ? user : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  followUser: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      'Follows an account; following it again changes nothing. Returns it with fresh counts. Signed in. Errors: BAD_USER_INPUT (yourself, or not a User id), NOT_FOUND, RATE_LIMITED (SOCIAL_ACTIONS_MAX_PER_HOUR).',
    args: { userId: t.arg.globalID({ required: true, description: 'The id of the account to follow.' }) },
    resolve: async (query, _root, { userId }, context) => {
      const id = idOf(userId, 'User', 'userId');
      await context.services.follows.follow(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.user.findUnique({ ...query, where: { id } }), 'User');
    },
  }),
  unfollowUser: t.withAuth({ signedIn: true }).prismaField({
    type: 'User',
    description:
      'Stops following an account; not following it changes nothing. Returns it with fresh counts. Signed in. Errors: BAD_USER_INPUT, NOT_FOUND, RATE_LIMITED.',
    args: { userId: t.arg.globalID({ required: true, description: 'The id of the account to stop following.' }) },
    resolve: async (query, _root, { userId }, context) => {
      const id = idOf(userId, 'User', 'userId');
      await context.services.follows.unfollow(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.user.findUnique({ ...query, where: { id } }), 'User');
    },
  }),
  likePost: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      'Likes a post; liking it again changes nothing. Returns it with fresh counts. Signed in. Errors: BAD_USER_INPUT (not a Post id), NOT_FOUND, RATE_LIMITED (SOCIAL_ACTIONS_MAX_PER_HOUR).',
    args: { postId: t.arg.globalID({ required: true, description: 'The id of the post to like.' }) },
    resolve: async (query, _root, { postId }, context) => {
      const id = idOf(postId, 'Post', 'postId');
      await context.services.likes.like(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.post.findUnique({ ...query, where: { id } }), 'Post');
    },
  }),
  unlikePost: t.withAuth({ signedIn: true }).prismaField({
    type: 'Post',
    description:
      'Takes back a like; not liking it changes nothing. Returns the post with fresh counts. Signed in. Errors: BAD_USER_INPUT, NOT_FOUND, RATE_LIMITED.',
    args: { postId: t.arg.globalID({ required: true, description: 'The id of the post.' }) },
    resolve: async (query, _root, { postId }, context) => {
      const id = idOf(postId, 'Post', 'postId');
      await context.services.likes.unlike(context.viewer, id);
      forgetReads(context);
      return stillThere(context.db.post.findUnique({ ...query, where: { id } }), 'Post');
    },
  }),
}));
