// Following accounts. Idempotent both ways: the pair is unique, so a second follow (even sent at the same
// moment as the first) writes nothing, and the counts are the database's own (triggers).
import { type Db, isForeignKeyViolation, isUniqueViolation, type User } from '../../db/index.ts';
import { accountGone, badInput, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import type { Visibility } from '../safety/visibility.ts';
import type { SocialLimits } from './limits.ts';
import type { NotificationsService } from './notifications.ts';

export interface FollowsDeps {
  db: Db;
  socialLimits: SocialLimits;
  visibility: Pick<Visibility, 'assertNotBlocked'>;
  notifications: NotificationsService;
  changes: Changes;
}

export function createFollowsService({ db, socialLimits, visibility, notifications, changes }: FollowsDeps) {
  /** Both accounts' counts and the follower's viewerFollows changed (src/services/social/facts.ts). */
  const followChanged = (followerId: string, followeeId: string) =>
    changes.publish({ type: 'follow', followerId, followeeId });

  async function followable(viewer: Pick<User, 'id'>, userId: string) {
    if (userId === viewer.id) throw badInput('You cannot follow yourself.', { field: 'userId' });
    await socialLimits.count(viewer.id, 'follow');
    const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, isActive: true } });
    if (!user?.isActive) throw notFound('User not found.');
    await visibility.assertNotBlocked(viewer.id, userId, 'follow this account');
    return user;
  }

  return {
    /** The viewer follows the user (an active account other than themself); following again is a no-op. */
    async follow(viewer: Pick<User, 'id'>, userId: string): Promise<void> {
      await followable(viewer, userId);
      try {
        await db.follow.create({ data: { followerId: viewer.id, followeeId: userId } });
        await followChanged(viewer.id, userId);
        await notifications.followed(viewer.id, userId);
      } catch (error) {
        if (isUniqueViolation(error)) return;
        // One of the two accounts was deleted between the check and the write.
        if (isForeignKeyViolation(error)) {
          throw (await db.user.count({ where: { id: viewer.id } })) === 0 ? accountGone() : notFound('User not found.');
        }
        throw error;
      }
      // A block committed between the check and the write removes the follows it sees: this one may
      // have come after that, so it looks again and undoes itself (src/services/safety/blocks.ts).
      try {
        await visibility.assertNotBlocked(viewer.id, userId, 'follow this account');
      } catch (error) {
        await db.follow.deleteMany({ where: { followerId: viewer.id, followeeId: userId } });
        await followChanged(viewer.id, userId);
        throw error;
      }
    },

    /** The viewer stops following the user; not following is a no-op. NOT_FOUND for no such account. */
    async unfollow(viewer: Pick<User, 'id'>, userId: string): Promise<void> {
      if (userId === viewer.id) throw badInput('You cannot follow yourself.', { field: 'userId' });
      await socialLimits.count(viewer.id, 'follow');
      if ((await db.user.count({ where: { id: userId } })) === 0) throw notFound('User not found.');
      const { count } = await db.follow.deleteMany({ where: { followerId: viewer.id, followeeId: userId } });
      if (count === 0) return;
      await followChanged(viewer.id, userId);
      await notifications.unfollowed(viewer.id, userId);
    },
  };
}

export type FollowsService = ReturnType<typeof createFollowsService>;
