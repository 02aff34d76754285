// Comments on posts: 1 to 2,200 characters under the caption rules. A comment is deleted by its author,
// the post's author or a superuser.
import { type Comment, type Db, isForeignKeyViolation, type User } from '../../db/index.ts';
import { AppError, accountGone, ErrorCode, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { Visibility } from '../safety/visibility.ts';
import { cleanRequiredText } from '../text.ts';
import type { SocialLimits } from './limits.ts';
import type { NotificationsService } from './notifications.ts';

export const MAX_COMMENT_LENGTH = 2200;

export interface CommentsDeps {
  db: Db;
  socialLimits: SocialLimits;
  visibility: Pick<Visibility, 'assertNotBlocked'>;
  notifications: NotificationsService;
  /** The post's postActivity streams hear of comments added and deleted, on every instance. */
  changes: Changes;
}

export function createCommentsService({ db, socialLimits, visibility, notifications, changes }: CommentsDeps) {
  /** A comment added or deleted: the comment itself, then the post's counts. */
  async function told(postId: string, activity: 'comment-added' | 'comment-removed', commentId: string) {
    await changes.publish({ type: 'post-activity', postId, activity, commentId });
    await changes.publish({ type: 'post-activity', postId, activity: 'counts' });
  }

  return {
    async add(viewer: Pick<User, 'id'>, postId: string, body: string): Promise<Comment> {
      const text = cleanRequiredText(body, { field: 'body', label: 'Comment', maxLength: MAX_COMMENT_LENGTH });
      await socialLimits.count(viewer.id, 'comment');
      const post = await db.post.findUnique({ where: { id: postId }, select: { authorId: true } });
      if (!post) throw notFound('Post not found.');
      await visibility.assertNotBlocked(viewer.id, post.authorId, 'comment on this post');
      let comment: Comment;
      try {
        comment = await db.comment.create({ data: { postId, authorId: viewer.id, body: text } });
      } catch (error) {
        if (isForeignKeyViolation(error)) {
          throw (await db.user.count({ where: { id: viewer.id } })) === 0 ? accountGone() : notFound('Post not found.');
        }
        throw error;
      }
      await notifications.commented(viewer.id, comment, post.authorId);
      await told(postId, 'comment-added', comment.id);
      return comment;
    },

    /** Deletes the comment: its author, the post's author or a superuser (FORBIDDEN otherwise). */
    async delete(viewer: Pick<User, 'id' | 'isSuperuser'>, commentId: string): Promise<void> {
      const comment = await db.comment.findUnique({
        where: { id: commentId },
        select: { authorId: true, postId: true, post: { select: { authorId: true } } },
      });
      if (!comment) throw notFound('Comment not found.');
      const allowed = viewer.isSuperuser || viewer.id === comment.authorId || viewer.id === comment.post.authorId;
      if (!allowed) {
        throw new AppError(
          ErrorCode.FORBIDDEN,
          "Only the comment's author, the post's author or a superuser can delete it.",
        );
      }
      const { count } = await db.comment.deleteMany({ where: { id: commentId } });
      if (count === 0) throw notFound('Comment not found.');
      // Its notification went with it (a cascade).
      await told(comment.postId, 'comment-removed', commentId);
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
