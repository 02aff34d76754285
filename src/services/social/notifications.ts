// Notifications: a like or a comment on a user's post, or a follow of their account, stored for them and
// told to their notificationAdded streams on every instance (src/infra/changes.ts, ids only).
// - Nobody is notified of what they do to their own post or account.
// - Taking it back (unlike, unfollow) hides the notification; a deleted comment's goes with it.
// - A like or follow taken back and made again within REVIVE_MS brings the same notification back,
//   unannounced: like, unlike, like is one notification, not three.
// One row per like, follow or comment (its `key` is unique), so the same like sent twice at once makes one.
import { type Db, isForeignKeyViolation, isUniqueViolation, type Prisma } from '../../db/index.ts';
import { notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';

/** How long a like or follow taken back can come back as the same notification. */
export const REVIVE_MS = 60_000;

export type NotificationKind = 'LIKE' | 'COMMENT' | 'FOLLOW';

export interface NotificationsDeps {
  db: Db;
  changes: Changes;
  now?: () => number;
}

interface Made {
  /** Who is notified. */
  userId: string;
  actorId: string;
  kind: NotificationKind;
  postId?: string | null;
  commentId?: string | null;
}

export const likeKey = (actorId: string, postId: string) => `LIKE:${actorId}:${postId}`;
export const followKey = (actorId: string, userId: string) => `FOLLOW:${actorId}:${userId}`;
export const commentKey = (commentId: string) => `COMMENT:${commentId}`;

export function createNotificationsService({ db, changes, now = Date.now }: NotificationsDeps) {
  /** Stores the notification `key` names, or brings back one taken back within REVIVE_MS; tells its streams if new. */
  async function notify(key: string, made: Made): Promise<void> {
    if (made.userId === made.actorId) return;
    const existing = await db.notification.findUnique({ where: { key }, select: { id: true, removedAt: true } });
    if (existing) {
      if (existing.removedAt === null) return;
      if (now() - existing.removedAt.getTime() < REVIVE_MS) {
        await db.notification.updateMany({ where: { id: existing.id }, data: { removedAt: null } });
        return;
      }
      await db.notification.deleteMany({ where: { id: existing.id } });
    }
    try {
      const created = await db.notification.create({
        data: { key, ...made, postId: made.postId ?? null, commentId: made.commentId ?? null },
        select: { id: true },
      });
      await changes.publish({ type: 'notification', userId: made.userId, notificationId: created.id });
    } catch (error) {
      // Made at the same moment by a request sent together with this one; or what it is about is gone.
      if (isUniqueViolation(error) || isForeignKeyViolation(error)) return;
      throw error;
    }
  }

  /** Hides the notification `key` names (its like or follow was taken back). */
  async function withdraw(actorId: string, key: string): Promise<void> {
    const at = new Date(now());
    await db.notification.updateMany({ where: { key, removedAt: null }, data: { removedAt: at } });
    // The actor's others taken back long enough ago to stay gone.
    await db.notification.deleteMany({
      where: { actorId, removedAt: { lt: new Date(at.getTime() - REVIVE_MS) } },
    });
  }

  const visible = (userId: string): Prisma.NotificationWhereInput => ({ userId, removedAt: null });

  return {
    liked: (actorId: string, post: { id: string; authorId: string }) =>
      notify(likeKey(actorId, post.id), { userId: post.authorId, actorId, kind: 'LIKE', postId: post.id }),
    unliked: (actorId: string, postId: string) => withdraw(actorId, likeKey(actorId, postId)),
    followed: (actorId: string, userId: string) =>
      notify(followKey(actorId, userId), { userId, actorId, kind: 'FOLLOW' }),
    unfollowed: (actorId: string, userId: string) => withdraw(actorId, followKey(actorId, userId)),
    /** A deleted comment's notification goes with it (a cascade). */
    commented: (actorId: string, comment: { id: string; postId: string }, postAuthorId: string) =>
      notify(commentKey(comment.id), {
        userId: postAuthorId,
        actorId,
        kind: 'COMMENT',
        postId: comment.postId,
        commentId: comment.id,
      }),

    /** The conditions of a user's notifications as they see them (the ones taken back left out). */
    visible,

    unreadCount: (userId: string) => db.notification.count({ where: { ...visible(userId), read: false } }),

    /**
     * Marks the user's notifications read: all of them, or `upTo` and those older (NOT_FOUND when it is
     * not one of theirs). Returns how many were unread.
     */
    async markRead(userId: string, upTo: string | null): Promise<number> {
      let older: Prisma.NotificationWhereInput = {};
      if (upTo) {
        const mark = await db.notification.findFirst({
          where: { id: upTo, ...visible(userId) },
          select: { id: true, createdAt: true },
        });
        if (!mark) throw notFound('Notification not found.');
        older = {
          createdAt: { lte: mark.createdAt },
          OR: [{ createdAt: { lt: mark.createdAt } }, { id: { lte: mark.id } }],
        };
      }
      const { count } = await db.notification.updateMany({
        where: { ...visible(userId), read: false, ...older },
        data: { read: true },
      });
      return count;
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
