// Blocking accounts. Idempotent both ways: the pair is unique, so a second block (even sent at the same
// moment as the first) writes nothing. A block removes the follows between the two accounts, both ways,
// and makes them invisible to each other (src/services/safety/visibility.ts) on every instance: both
// accounts change ('user' changes), so their cached sessions and hidden sets are read again.
import {
  type Db,
  deleteBlock,
  deleteFollowsBetween,
  deleteNotificationsBetween,
  insertBlock,
  isForeignKeyViolation,
  type User,
} from '../../db/index.ts';
import { badInput, notFound } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';

export interface BlocksDeps {
  db: Db;
  changes: Changes;
}

export function createBlocksService({ db, changes }: BlocksDeps) {
  async function other(viewer: Pick<User, 'id'>, userId: string) {
    if (userId === viewer.id) throw badInput('You cannot block yourself.', { field: 'userId' });
    if ((await db.user.count({ where: { id: userId } })) === 0) throw notFound('User not found.');
  }

  async function changed(...userIds: string[]) {
    for (const userId of userIds) await changes.publish({ type: 'user', userId });
  }

  return {
    /** The viewer blocks the account; blocking again is a no-op. */
    async block(viewer: Pick<User, 'id'>, userId: string): Promise<void> {
      await other(viewer, userId);
      const inserted = await insertBlock(db, viewer.id, userId).catch((error) => {
        // Either account was deleted between the check and the write.
        if (isForeignKeyViolation(error)) throw notFound('User not found.');
        throw error;
      });
      // After the block has committed: a follow written meanwhile either sees the block (and undoes
      // itself, src/services/social/follows.ts) or is seen here.
      await deleteFollowsBetween(db, viewer.id, userId);
      // Neither hears of the other any more, and what they were told goes (likes, comments and follows
      // between them are refused from now on, so no new ones come).
      await deleteNotificationsBetween(db, viewer.id, userId);
      if (inserted) await changed(viewer.id, userId);
    },

    /** The viewer unblocks the account; not blocking it is a no-op. Follows are not restored. */
    async unblock(viewer: Pick<User, 'id'>, userId: string): Promise<void> {
      await other(viewer, userId);
      if (await deleteBlock(db, viewer.id, userId)) await changed(viewer.id, userId);
    },
  };
}

export type BlocksService = ReturnType<typeof createBlocksService>;
