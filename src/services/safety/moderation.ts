// The moderation queue and the decisions made on it (superusers only; the schema checks the scope).
// A decision closes the target's case first, in one transaction with its record in the log: of two
// moderators deciding at once, one decides and the other gets NOT_FOUND. Then it acts with the services
// that already do each thing: deleting a post (its media included) or a comment, deactivating an
// account (which ends all its sessions).
import {
  type Comment,
  type Db,
  type KeysetWindow,
  keysetArgs,
  type Post,
  type Prisma,
  type User,
} from '../../db/index.ts';
import { AppError, ErrorCode, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { AccountsService } from '../accounts/accounts.ts';
import type { PostsService } from '../posts/posts.ts';
import type { CommentsService } from '../social/comments.ts';
import { cleanText } from '../text.ts';
import {
  MAX_REPORT_NOTE_LENGTH,
  publishHidden,
  REPORT_REASONS,
  type ReportReason,
  setHidden,
  type TargetType,
} from './reports.ts';

export const MODERATION_ACTIONS = ['DISMISS', 'REMOVE', 'DEACTIVATE_AUTHOR'] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

/** What a queue item, or a decision's answer, says about a target. */
export interface ModerationItem {
  /** The case's row position, for cursors. */
  id: string;
  createdAt: Date;
  targetType: TargetType;
  target: Post | Comment | User;
  reportCount: number;
  reasons: ReportReason[];
  hidden: boolean;
  firstReportedAt: Date;
}

export interface ModerationDeps {
  db: Db;
  changes: Changes;
  posts: Pick<PostsService, 'delete'>;
  comments: Pick<CommentsService, 'delete'>;
  accounts: Pick<AccountsService, 'updateUser'>;
}

const CASE_INCLUDE = {
  post: true,
  comment: true,
  user: true,
  reports: { select: { reason: true, reporterId: true } },
} satisfies Prisma.ModerationCaseInclude;

type CaseRow = Prisma.ModerationCaseGetPayload<{ include: typeof CASE_INCLUDE }>;

/** The reasons given, each once, in the enum's order. */
const reasonsOf = (reports: { reason: string }[]) => {
  const given = new Set(reports.map((report) => report.reason));
  return REPORT_REASONS.filter((reason) => given.has(reason));
};

function itemOf(row: CaseRow): ModerationItem | null {
  const target = row.post ?? row.comment ?? row.user;
  // The target went between the two reads of a page (cascades remove the case too).
  if (!target) return null;
  return {
    id: row.id,
    createdAt: row.createdAt,
    targetType: row.targetType,
    target,
    reportCount: row.reportCount,
    reasons: reasonsOf(row.reports),
    hidden: row.hidden,
    firstReportedAt: row.createdAt,
  };
}

export function createModerationService({ db, changes, posts, comments, accounts }: ModerationDeps) {
  return {
    /** A window of the open cases, oldest first: one statement per relation whatever the page's size. */
    async queue(window: KeysetWindow): Promise<ModerationItem[]> {
      const { conditions, orderBy, take } = keysetArgs(window);
      const rows = await db.moderationCase.findMany({
        where: { AND: conditions },
        orderBy,
        take,
        include: CASE_INCLUDE,
      });
      return rows.map(itemOf).filter((item) => item !== null);
    },

    /** A window of the decisions, newest first. */
    log(window: KeysetWindow) {
      const { conditions, orderBy, take } = keysetArgs(window);
      return db.moderationDecision.findMany({ where: { AND: conditions }, orderBy, take });
    },

    /**
     * Decides the open case on the target: NOT_FOUND when there is none (never reported, or decided
     * already). Returns the item as the decision leaves it.
     */
    async decide(
      moderator: Pick<User, 'id' | 'isSuperuser'>,
      targetId: string,
      action: ModerationAction,
      rawNote: string | null | undefined,
    ): Promise<ModerationItem> {
      const note = cleanText(rawNote, { field: 'note', label: 'Note', maxLength: MAX_REPORT_NOTE_LENGTH });
      const row = await db.moderationCase.findUnique({ where: { targetId }, include: CASE_INCLUDE });
      const item = row && itemOf(row);
      if (!row || !item) throw notFound('No open reports on this target.');
      const target = { type: row.targetType, id: row.targetId };
      const reporters = row.reports.map((report) => report.reporterId);
      // DISMISS shows the target again; DEACTIVATE_AUTHOR keeps it hidden for good; REMOVE deletes it.
      const hidden = action === 'DISMISS' ? false : action === 'DEACTIVATE_AUTHOR' ? true : row.hidden;
      await db.$transaction(async (tx) => {
        const { count } = await tx.moderationCase.deleteMany({ where: { id: row.id } });
        if (count === 0) throw notFound('No open reports on this target.');
        await tx.user.updateMany({
          where: { id: { in: reporters }, safetyFilters: { gt: 0 } },
          data: { safetyFilters: { decrement: 1 } },
        });
        if (hidden !== row.hidden) await setHidden(tx as unknown as Db, target, hidden);
        await tx.moderationDecision.create({
          data: {
            moderatorId: moderator.id,
            action,
            targetType: row.targetType,
            targetId,
            reasons: item.reasons.join(','),
            reportCount: row.reportCount,
            note,
          },
        });
      });
      // The reporters' hidden sets, and the target's flag in cached pages.
      for (const userId of reporters) await changes.publish({ type: 'user', userId });
      if (hidden !== row.hidden) await publishHidden(changes, target);

      const gone = (error: unknown) => {
        // Deleted meanwhile (by its author, say): what the decision asked is done.
        if (error instanceof AppError && error.code === ErrorCode.NOT_FOUND) return;
        throw error;
      };
      if (action === 'REMOVE') {
        if (row.targetType === 'POST') await posts.delete(moderator, targetId).catch(gone);
        else if (row.targetType === 'COMMENT') await comments.delete(moderator, targetId).catch(gone);
        else await accounts.updateUser(targetId, { isActive: false }).catch(gone);
      } else if (action === 'DEACTIVATE_AUTHOR') {
        await accounts.updateUser(row.authorId, { isActive: false }).catch(gone);
      }
      return { ...item, hidden: action === 'REMOVE' ? true : hidden };
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
