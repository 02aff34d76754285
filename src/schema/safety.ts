// Safety: blocking accounts (and the viewer's list of blocks). Who and what a viewer may see is the
// rule of src/services/safety/visibility.ts, applied by every read path: the loaders and pages filter
// their rows, the lookups (post, node, userByUsername) answer null.
import { builder } from '../builder.ts';
import { forgetReads } from '../context.ts';
import type { User } from '../db/index.ts';
import { MAX_REPORT_NOTE_LENGTH, REPORT_REASONS, type ReportReason } from '../services/safety/reports.ts';
import { idOf, stillThere } from './ids.ts';
import { paged, resolveKeysetConnection, SOCIAL_PAGE } from './pagination.ts';
import { UserConnection, UserRef } from './user.ts';

const REASONS: Record<ReportReason, string> = {
  SPAM: 'Spam, scams or misleading content.',
  NUDITY: 'Nudity or sexual content.',
  HARASSMENT: 'Harassment or bullying.',
  VIOLENCE: 'Violence or threats of it.',
  HATE: 'Hate speech or symbols.',
  SELF_HARM: 'Suicide, self-injury or eating disorders.',
  ILLEGAL: 'Something illegal (sale of drugs or weapons, for instance).',
  OTHER: 'Anything else; the note says what.',
};

export const ReportReasonEnum = builder.enumType('ReportReason', {
  description: 'Why something is reported.',
  values: Object.fromEntries(REPORT_REASONS.map((reason) => [reason, { description: REASONS[reason] }])) as Record<
    ReportReason,
    { description: string }
  >,
});

const REPORT_RULES = `One open report per reporter and target: reporting again changes nothing. The target is hidden from you at once, and from everyone but its author and superusers once REPORTS_TO_HIDE accounts have reported it, until a moderator decides. Nobody learns who reported. Signed in. Errors: BAD_USER_INPUT (your own, the note, or an id of another type), NOT_FOUND, RATE_LIMITED (REPORT_MAX_PER_HOUR).`;

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

builder.mutationFields((t) => {
  const reportArgs = {
    reason: t.arg({ type: ReportReasonEnum, required: true, description: 'Why.' }),
    note: t.arg.string({
      required: false,
      description: `What the moderators should know: up to ${MAX_REPORT_NOTE_LENGTH.toLocaleString('en-US')} characters, no control characters but tab and newline, no bidi embeddings, overrides or isolates.`,
    }),
  };
  return {
    reportPost: t.withAuth({ signedIn: true }).boolean({
      description: `Reports a post. ${REPORT_RULES}`,
      args: { postId: t.arg.globalID({ required: true, description: 'The id of the post.' }), ...reportArgs },
      resolve: async (_root, { postId, reason, note }, context) => {
        await context.services.reports.report(context.viewer, 'POST', idOf(postId, 'Post', 'postId'), reason, note);
        forgetReads(context);
        return true;
      },
    }),
    reportComment: t.withAuth({ signedIn: true }).boolean({
      description: `Reports a comment. ${REPORT_RULES}`,
      args: {
        commentId: t.arg.globalID({ required: true, description: 'The id of the comment.' }),
        ...reportArgs,
      },
      resolve: async (_root, { commentId, reason, note }, context) => {
        const id = idOf(commentId, 'Comment', 'commentId');
        await context.services.reports.report(context.viewer, 'COMMENT', id, reason, note);
        forgetReads(context);
        return true;
      },
    }),
    reportUser: t.withAuth({ signedIn: true }).boolean({
      description: `Reports an account (its profile: name, bio, avatar); the account and what it wrote are hidden from you like a blocked one. ${REPORT_RULES}`,
      args: { userId: t.arg.globalID({ required: true, description: 'The id of the account.' }), ...reportArgs },
      resolve: async (_root, { userId, reason, note }, context) => {
        await context.services.reports.report(context.viewer, 'USER', idOf(userId, 'User', 'userId'), reason, note);
        forgetReads(context);
        return true;
      },
    }),
  };
});

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
