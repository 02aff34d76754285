// The feed is the same for every viewer (isOwner aside, which is resolved per viewer from the row), so
// one cached page serves them all. Pages go when posts are added or removed or a user changes (an
// author's name is on the page), on any instance, and are not trusted while changes elsewhere cannot
// be heard (src/infra/changes.ts).
import {
  type Db,
  type FeedRow,
  type HomeFeedRow,
  type KeysetWindow,
  readFeedPage,
  readHomeFeedPage,
  windowKey,
} from '../../db/index.ts';
import type { Changes } from '../../infra/changes.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';

export interface FeedDeps {
  db: Db;
  changes: Changes;
}

export function createFeedService({ db, changes }: FeedDeps) {
  const pages = createTaggedCache<FeedRow[]>({ maxEntries: 200, maxAgeMs: 30_000 });
  changes.subscribe((change) => {
    // Pages hold posts and their authors; counts are read per request, and sessions are not on them.
    if (change.type !== 'session' && change.type !== 'post-activity' && change.type !== 'notification') pages.clear();
  });

  return {
    /** A page of posts with their authors: one statement, or none when the page is cached. */
    async page(window: KeysetWindow): Promise<FeedRow[]> {
      const key = windowKey(window);
      const cached = changes.live ? pages.get(key) : undefined;
      if (cached) return cached;
      const readAt = pages.version;
      const rows = await readFeedPage(db, window);
      if (changes.live) pages.set(key, rows, { readAt });
      return rows;
    },

    /**
     * A page of the viewer's home feed, read on demand: it changes with every follow, and a cached copy
     * per viewer would rarely be read twice (docs/decisions/0012-home-feed-on-read.md).
     */
    homePage: (viewerId: string, window: KeysetWindow): Promise<HomeFeedRow[]> =>
      readHomeFeedPage(db, viewerId, window),
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
