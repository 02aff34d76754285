// Moderation (superusers; FORBIDDEN for anyone else): the queue of reported targets, oldest first, the
// decisions (moderate), and their log. Reporters are never named: an item says how many reported and
// why, not who.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import { forgetReads } from '../context.ts';
import type { Comment, Post, User } from '../db/index.ts';
import { badInput } from '../errors.ts';
import { MODERATION_ACTIONS, type ModerationAction, type ModerationItem } from '../services/safety/moderation.ts';
import { MAX_REPORT_NOTE_LENGTH, type ReportReason } from '../services/safety/reports.ts';
import { CommentRef } from './comments.ts';
import { type PageSize, paged, resolveKeysetConnection } from './pagination.ts';
import { PostRef } from './post.ts';
import { ReportReasonEnum } from './safety.ts';
import { UserRef } from './user.ts';

export const MODERATION_PAGE: PageSize = { defaultSize: 20, maxSize: 100 };

const ACTIONS: Record<ModerationAction, string> = {
  DISMISS: 'Closes the reports and shows the target again.',
  REMOVE: 'Deletes the post or comment (its media included), or deactivates the reported account.',
  DEACTIVATE_AUTHOR:
    'Deactivates the author of the post or comment (or the reported account) and signs them out everywhere; the target stays hidden.',
};

export const ModerationActionEnum = builder.enumType('ModerationAction', {
  description: 'What a moderator decides about a reported target.',
  values: Object.fromEntries(MODERATION_ACTIONS.map((action) => [action, { description: ACTIONS[action] }])) as Record<
    ModerationAction,
    { description: string }
  >,
});

type Target = Post | Comment | User;

export const ModerationTarget = builder.unionType('ModerationTarget', {
  description: 'What can be reported: a post, a comment or an account.',
  types: [PostRef, CommentRef, UserRef],
  resolveType: (target: Target) => ('fileType' in target ? PostRef : 'body' in target ? CommentRef : UserRef),
});

export const ModerationItemRef = builder.objectRef<ModerationItem>('ModerationItem').implement({
  description: 'A reported target whose reports are open: one per target, whoever and however many reported it.',
  fields: (t) => ({
    target: t.field({
      type: ModerationTarget,
      description: 'The reported post, comment or account.',
      resolve: (item) => item.target,
    }),
    reportCount: t.exposeInt('reportCount', { description: 'How many accounts reported it.' }),
    reasons: t.field({
      type: [ReportReasonEnum],
      description: 'The reasons given, each once.',
      resolve: (item) => item.reasons,
    }),
    hidden: t.exposeBoolean('hidden', {
      description: 'Whether it is hidden from everyone but its author and superusers (REPORTS_TO_HIDE reached).',
    }),
    firstReportedAt: t.expose('firstReportedAt', { type: 'DateTime', description: 'When the first report came.' }),
  }),
});

const ModerationItemConnection = builder.connectionObject(
  { type: ModerationItemRef, name: 'ModerationItemConnection', description: 'A page of the queue, oldest first.' },
  { name: 'ModerationItemEdge' },
);

type Decision = {
  id: string;
  moderatorId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  reasons: string;
  reportCount: number;
  note: string | null;
  createdAt: Date;
};

const TYPENAMES: Record<string, string> = { POST: 'Post', COMMENT: 'Comment', USER: 'User' };

export const ModerationDecisionRef = builder.objectRef<Decision>('ModerationDecision').implement({
  description: 'A decision a moderator made, kept for good.',
  fields: (t) => ({
    moderator: t.field({
      type: UserRef,
      nullable: true,
      description: 'Who decided; null once their account is deleted.',
      resolve: (decision, _args, context) =>
        decision.moderatorId ? (context.loaders.users.load(decision.moderatorId) as never) : null,
    }),
    action: t.field({
      type: ModerationActionEnum,
      description: 'What they decided.',
      resolve: (decision) => decision.action as ModerationAction,
    }),
    targetId: t.id({
      description: 'The id of the post, comment or account decided on (it may be gone since).',
      resolve: (decision) => encodeGlobalID(TYPENAMES[decision.targetType] ?? 'User', decision.targetId),
    }),
    reasons: t.field({
      type: [ReportReasonEnum],
      description: 'The reasons its reports gave.',
      resolve: (decision) => decision.reasons.split(',').filter(Boolean) as ReportReason[],
    }),
    reportCount: t.exposeInt('reportCount', { description: 'How many accounts had reported it.' }),
    note: t.exposeString('note', { nullable: true, description: "The moderator's note; null when none." }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When.' }),
  }),
});

const ModerationDecisionConnection = builder.connectionObject(
  {
    type: ModerationDecisionRef,
    name: 'ModerationDecisionConnection',
    description: 'A page of the log, newest first.',
  },
  { name: 'ModerationDecisionEdge' },
);

builder.queryFields((t) => ({
  moderationQueue: t.connection(
    {
      type: ModerationItemRef,
      authScopes: { superuser: true },
      description: `The targets with open reports, oldest first report first. Superusers (FORBIDDEN otherwise). first defaults to ${MODERATION_PAGE.defaultSize}, at most ${MODERATION_PAGE.maxSize}.`,
      ...paged(MODERATION_PAGE),
      resolve: (_root, args, context) =>
        resolveKeysetConnection(args, MODERATION_PAGE, 'oldest-first', (window) =>
          context.services.moderation.queue(window),
        ),
    },
    ModerationItemConnection,
  ),
  moderationLog: t.connection(
    {
      type: ModerationDecisionRef,
      authScopes: { superuser: true },
      description: `Every decision made, newest first: who, what, when, on which target, with which note. Superusers (FORBIDDEN otherwise). first defaults to ${MODERATION_PAGE.defaultSize}, at most ${MODERATION_PAGE.maxSize}.`,
      ...paged(MODERATION_PAGE),
      resolve: (_root, args, context) =>
        resolveKeysetConnection(args, MODERATION_PAGE, 'newest-first', (window) =>
          context.services.moderation.log(window),
        ),
    },
    ModerationDecisionConnection,
  ),
}));

builder.mutationFields((t) => ({
  moderate: t.withAuth({ superuser: true }).field({
    type: ModerationItemRef,
    description:
      'Decides on a reported target, closing its reports: DISMISS, REMOVE or DEACTIVATE_AUTHOR. Recorded in moderationLog. Returns the item as the decision leaves it (a removed target as it was). Superusers (FORBIDDEN otherwise). Errors: NOT_FOUND (no open reports on it, or decided already), BAD_USER_INPUT (the note, or not an id of a Post, Comment or User).',
    args: {
      targetId: t.arg.globalID({ required: true, description: 'The id of the reported post, comment or account.' }),
      action: t.arg({ type: ModerationActionEnum, required: true, description: 'What to do.' }),
      note: t.arg.string({
        required: false,
        description: `Why, for the log: up to ${MAX_REPORT_NOTE_LENGTH.toLocaleString('en-US')} characters under the caption rules.`,
      }),
    },
    resolve: async (_root, { targetId, action, note }, context) => {
      if (!['Post', 'Comment', 'User'].includes(targetId.typename)) {
        throw badInput('targetId must be the id of a Post, Comment or User.', { field: 'targetId' });
      }
      const item = await context.services.moderation.decide(context.viewer, targetId.id, action, note);
      forgetReads(context);
      return item;
    },
  }),
}));
