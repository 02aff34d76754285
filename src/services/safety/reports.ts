// Reports on posts, comments and accounts. Each target has at most one open ModerationCase, which
// gathers its reports (one per reporter: reporting again changes nothing) until a moderator decides
// (src/services/safety/moderation.ts). A report hides its target from the reporter at once (the
// reporter's hidden set, src/services/safety/visibility.ts); REPORTS_TO_HIDE distinct reporters hide it
// from everyone but its author and superusers (the row's `hidden` flag). REPORT_MAX_PER_HOUR reports per
// account, counted before the write like every other limit (src/infra/rate-limits/limiters.ts).
import { type Db, isForeignKeyViolation, isUniqueViolation, type User } from '../../db/index.ts';
import { badInput, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import { consumeTogether, type RateLimits } from '../../infra/rate-limits/limiters.ts';
import { cleanText } from '../text.ts';

export const MAX_REPORT_NOTE_LENGTH = 1000;

export const REPORT_REASONS = [
  'SPAM',
  'NUDITY',
  'HARASSMENT',
  'VIOLENCE',
  'HATE',
  'SELF_HARM',
  'ILLEGAL',
  'OTHER',
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export type TargetType = 'POST' | 'COMMENT' | 'USER';

export interface ReportSettings {
  /** Reports per account per hour; 0 turns the limit off. */
  maxPerHour: number;
  /** Distinct reporters that hide a target from everyone; 0: never. */
  toHide: number;
}

export interface ReportsDeps {
  db: Db;
  changes: Changes;
  rateLimits: RateLimits;
  settings: ReportSettings;
}

/** A target as a case records it: its type, id, and who wrote it (the account itself for a USER). */
interface Target {
  type: TargetType;
  id: string;
  authorId: string;
}

export function createReportsService({ db, changes, rateLimits, settings }: ReportsDeps) {
  const limiter =
    settings.maxPerHour > 0
      ? rateLimits.limiter('reports', {
          points: settings.maxPerHour,
          durationSeconds: 3600,
          message: `At most ${settings.maxPerHour} reports an hour.`,
        })
      : null;

  async function targetOf(type: TargetType, id: string): Promise<Target> {
    if (type === 'POST') {
      const post = await db.post.findUnique({ where: { id }, select: { authorId: true } });
      if (!post) throw notFound('Post not found.');
      return { type, id, authorId: post.authorId };
    }
    if (type === 'COMMENT') {
      const comment = await db.comment.findUnique({ where: { id }, select: { authorId: true } });
      if (!comment) throw notFound('Comment not found.');
      return { type, id, authorId: comment.authorId };
    }
    if ((await db.user.count({ where: { id } })) === 0) throw notFound('User not found.');
    return { type, id, authorId: id };
  }

  /**
   * The report in one transaction: the case (made by the first report), the report, the count, and
   * the hidden flags once the count reaches the threshold. Whether it wrote a report, and whether the
   * target became hidden with it.
   */
  async function write(reporterId: string, target: Target, reason: ReportReason, note: string | null) {
    return db.$transaction(async (tx) => {
      const link =
        target.type === 'POST'
          ? { postId: target.id }
          : target.type === 'COMMENT'
            ? { commentId: target.id }
            : { userId: target.id };
      const found = await tx.moderationCase.upsert({
        where: { targetId: target.id },
        create: { targetType: target.type, targetId: target.id, authorId: target.authorId, ...link },
        update: {},
        select: { id: true },
      });
      await tx.report.create({ data: { caseId: found.id, reporterId, reason, note } });
      const counted = await tx.moderationCase.update({
        where: { id: found.id },
        data: { reportCount: { increment: 1 } },
        select: { reportCount: true, hidden: true },
      });
      await tx.user.update({ where: { id: reporterId }, data: { safetyFilters: { increment: 1 } } });
      const hides = settings.toHide > 0 && !counted.hidden && counted.reportCount >= settings.toHide;
      if (hides) {
        await tx.moderationCase.update({ where: { id: found.id }, data: { hidden: true } });
        await setHidden(tx as unknown as Db, target, true);
      }
      return hides;
    });
  }

  return {
    /**
     * The viewer reports the target; reporting it again while the case is open changes nothing.
     * BAD_USER_INPUT for your own content (or yourself) and for a note past the rules; NOT_FOUND for
     * no such target; RATE_LIMITED past REPORT_MAX_PER_HOUR.
     */
    async report(
      viewer: Pick<User, 'id'>,
      type: TargetType,
      targetId: string,
      reason: ReportReason,
      rawNote: string | null | undefined,
    ): Promise<void> {
      const note = cleanText(rawNote, { field: 'note', label: 'Note', maxLength: MAX_REPORT_NOTE_LENGTH });
      const target = await targetOf(type, targetId);
      if (target.authorId === viewer.id) {
        const field = type === 'POST' ? 'postId' : type === 'COMMENT' ? 'commentId' : 'userId';
        throw badInput(type === 'USER' ? 'You cannot report yourself.' : 'You cannot report your own content.', {
          field,
        });
      }
      if (limiter) await consumeTogether([{ limiter, subject: viewer.id }]);
      let hides = false;
      for (let attempt = 0; ; attempt++) {
        try {
          hides = await write(viewer.id, target, reason, note);
          break;
        } catch (error) {
          if (!isUniqueViolation(error)) {
            if (isForeignKeyViolation(error)) throw notFound('Not found.');
            throw error;
          }
          // Reported already: the open report stands, and this one changes nothing.
          const again = await db.report.count({ where: { reporterId: viewer.id, case: { targetId } } });
          if (again > 0) return;
          // Another reporter's first report made the case at the same moment: this one joins it.
          if (attempt >= 2) throw error;
        }
      }
      // The reporter's hidden set, everywhere; the target's flag in cached pages and sessions.
      await changes.publish({ type: 'user', userId: viewer.id });
      if (hides) await publishHidden(changes, target);
    },
  };
}

/** Sets or clears the target row's hidden flag. */
export async function setHidden(db: Db, target: { type: TargetType; id: string }, hidden: boolean): Promise<void> {
  if (target.type === 'POST') await db.post.updateMany({ where: { id: target.id }, data: { hidden } });
  else if (target.type === 'COMMENT') await db.comment.updateMany({ where: { id: target.id }, data: { hidden } });
  else await db.user.updateMany({ where: { id: target.id }, data: { hidden } });
}

/** Tells every instance a target's hidden flag changed: cached feed pages and sessions carry it. */
export async function publishHidden(changes: Changes, target: { type: TargetType; id: string }): Promise<void> {
  if (target.type === 'USER') await changes.publish({ type: 'user', userId: target.id });
  else await changes.publish({ type: 'posts' });
}

export type ReportsService = ReturnType<typeof createReportsService>;
