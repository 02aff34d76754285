// Liking posts. Idempotent both ways: the pair is unique, so a second like (even sent at the same moment
// as the first) writes nothing, and the counts are the database's own (triggers).
import { type Db, deleteLike, insertLike, isForeignKeyViolation, readPostAuthor, type User } from '../../db/index.ts';
import { accountGone, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { Visibility } from '../safety/visibility.ts';
import type { SocialLimits } from './limits.ts';
import type { NotificationsService } from './notifications.ts';

export interface LikesDeps {
  db: Db;
  socialLimits: SocialLimits;
  visibility: Pick<Visibility, 'assertNotBlocked'>;
  notifications: NotificationsService;
  /** The post's postActivity streams hear of a like or unlike that changed its count, on every instance. */
  changes: Changes;
}

export function createLikesService({ db, socialLimits, visibility, notifications, changes }: LikesDeps) {
  async function existing(postId: string) {
    const post = await readPostAuthor(db, postId);
    if (!post) throw notFound('Post not found.');
    return post;
  }

  return {
    /** The viewer likes the post; liking again is a no-op. */
    async like(viewer: Pick<User, 'id'>, postId: string): Promise<void> {
      await socialLimits.count(viewer.id, 'like');
      const post = await existing(postId);
      await visibility.assertNotBlocked(viewer.id, post.authorId, 'like this post');
      try {
        if (!(await insertLike(db, postId, viewer.id))) return;
        await notifications.liked(viewer.id, post);
        await changes.publish({ type: 'post-activity', postId, activity: 'counts', actorId: viewer.id });
      } catch (error) {
        // The post, or the viewer's account, was deleted between the check and the write.
        if (isForeignKeyViolation(error)) {
          throw (await db.user.count({ where: { id: viewer.id } })) === 0 ? accountGone() : notFound('Post not found.');
        }
        throw error;
      }
    },

    /** The viewer takes back their like; not liking is a no-op. NOT_FOUND for no such post. */
    async unlike(viewer: Pick<User, 'id'>, postId: string): Promise<void> {
      await socialLimits.count(viewer.id, 'like');
      await existing(postId);
      if (!(await deleteLike(db, postId, viewer.id))) return;
      await notifications.unliked(viewer.id, postId);
      await changes.publish({ type: 'post-activity', postId, activity: 'counts', actorId: viewer.id });
    },
  };
}

export type LikesService = ReturnType<typeof createLikesService>;
