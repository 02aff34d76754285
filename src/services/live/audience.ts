// Who an event reaches: the one place that decides, for every open stream of this instance, whether a
// change is for it. Blocks (and any rule about who may see whom) plug in here.
import type { Db } from '../../db/index.ts';
import type { Change } from '../../infra/changes.ts';

/** What an open stream listens for. */
export type Interest =
  | { kind: 'feed'; following: boolean }
  | { kind: 'post'; postId: string }
  | { kind: 'notifications' };

export interface Listener {
  viewerId: string;
  interest: Interest;
}

export type LiveChange = Extract<Change, { type: 'post-added' | 'post-removed' | 'post-activity' | 'notification' }>;

export const isLiveChange = (change: Change): change is LiveChange =>
  change.type === 'post-added' ||
  change.type === 'post-removed' ||
  change.type === 'post-activity' ||
  change.type === 'notification';

/**
 * The listeners `change` reaches, out of `listeners`. At most one statement, whatever their number: a
 * post reaches `following` feeds of its author's followers, read at once for all of them.
 */
export async function audienceOf<L extends Listener>(db: Db, change: LiveChange, listeners: Iterable<L>): Promise<L[]> {
  const reached: L[] = [];
  switch (change.type) {
    case 'post-added':
    case 'post-removed': {
      const followingFeeds: L[] = [];
      for (const listener of listeners) {
        if (listener.interest.kind === 'post' && change.type === 'post-removed') {
          if (listener.interest.postId === change.postId) reached.push(listener);
        }
        if (listener.interest.kind !== 'feed') continue;
        // A removal with its author's account reaches every following feed: the follows went with the
        // account, and a removal of a post a feed never showed is a no-op for its client.
        const everyFeed = !listener.interest.following || (change.type === 'post-removed' && change.authorGone);
        if (everyFeed || listener.viewerId === change.authorId) reached.push(listener);
        else followingFeeds.push(listener);
      }
      if (followingFeeds.length > 0) {
        const followers = new Set(
          (
            await db.follow.findMany({
              where: {
                followeeId: change.authorId,
                followerId: { in: [...new Set(followingFeeds.map((l) => l.viewerId))] },
              },
              select: { followerId: true },
            })
          ).map((row) => row.followerId),
        );
        for (const listener of followingFeeds) if (followers.has(listener.viewerId)) reached.push(listener);
      }
      return reached;
    }
    case 'post-activity':
      for (const listener of listeners) {
        if (listener.interest.kind === 'post' && listener.interest.postId === change.postId) reached.push(listener);
      }
      return reached;
    case 'notification':
      for (const listener of listeners) {
        if (listener.interest.kind === 'notifications' && listener.viewerId === change.userId) reached.push(listener);
      }
      return reached;
  }
}
