// The feed is the same for every viewer (isOwner aside, which is resolved per viewer from the row), so
// one cached page serves them all. Pages go when posts are added or removed or a user changes (an
// author's name is on the page), on any instance, and are not trusted while changes elsewhere cannot
// be heard (src/infra/changes.ts).
import {
  type Db,
  type FeedRow,
  type HiddenRows,
  type HomeFeedRow,
  type KeysetWindow,
  nothingHiddenFor,
  readFeedPage,
  readHomeFeedAuthors,
  readHomeFeedPage,
  windowKey,
} from '../../db/index.ts';
import type { Changes } from '../../infra/changes.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';
import { canSeeWritten } from '../safety/visibility.ts';

export interface FeedDeps {
  db: Db;
  changes: Changes;
}

export function createFeedService({ db, changes }: FeedDeps) {
  const pages = createTaggedCache<FeedRow[]>({ maxEntries: 200, maxAgeMs: 30_000 });
  // Pages read for one viewer (their blocks and reports in the WHERE). What changes them, a post, a block
  // or a report (a 'user' change of both sides), clears them with the shared ones.
  const viewerPages = createTaggedCache<FeedRow[]>({ maxEntries: 2000, maxAgeMs: 30_000 });
  // Whom each viewer's home feed merges (null: too many to merge), until they follow or unfollow; a
  // block or a deleted account (a 'user' change) drops them all.
  const homeAuthors = createTaggedCache<string[] | null>({ maxEntries: 10_000, maxAgeMs: 30_000 });
  changes.subscribe((change) => {
    if (change.type === 'follow') homeAuthors.invalidate(`follows:${change.followerId}`);
    else if (change.type === 'user' || change.type === 'all') homeAuthors.clear();
    // Pages hold posts and their authors; counts are cached apart (src/services/social/facts.ts), and
    // sessions are not on them.
    if (
      change.type === 'session' ||
      change.type === 'post-activity' ||
      change.type === 'notification' ||
      change.type === 'follow'
    ) {
      return;
    }
    pages.clear();
    viewerPages.clear();
  });

  /** A page every viewer shares, cached: all the posts, or those not hidden by reports ('public'). */
  async function shared(window: KeysetWindow, which: 'all' | 'public'): Promise<FeedRow[]> {
    const read = () => readFeedPage(db, window, which === 'public' ? nothingHiddenFor(null) : undefined);
    return changes.live ? pages.load(`${which}:${windowKey(window)}`, read) : read();
  }

  /** One viewer's page, cached for them. */
  async function viewerPage(window: KeysetWindow, hidden: HiddenRows): Promise<FeedRow[]> {
    const read = () => readFeedPage(db, window, hidden);
    return changes.live ? viewerPages.load(`${hidden.viewerId}:${windowKey(window)}`, read) : read();
  }

  return {
    /**
     * A page of posts with their authors: one statement, or none when the page is cached. The cached
     * page is everyone's; a viewer who must not see some of its rows (src/services/safety/visibility.ts)
     * gets a page of their own, read with the rule in its WHERE so it is as full as the one it replaces,
     * and cached for them (docs/decisions/0018-safety-visibility.md).
     */
    async page(window: KeysetWindow, hidden?: HiddenRows): Promise<FeedRow[]> {
      const rows = await shared(window, 'all');
      if (!hidden || rows.every((row) => canSeeWritten(hidden, row))) return rows;
      // Only rows hidden for everyone are in the way, none of them the viewer's: the page without them
      // is everyone's too (most viewers, while a post is hidden by reports).
      const own = rows.some((row) => row.hidden && row.authorId === hidden.viewerId);
      if (hidden.users.size === 0 && hidden.content.size === 0 && !own) return shared(window, 'public');
      return viewerPage(window, hidden);
    },

    /**
     * A page of the viewer's home feed, read on demand: it changes with every post of the accounts they
     * follow, and a cached copy per viewer would rarely be read twice (docs/decisions/0012-home-feed-on-read.md).
     * Whom they follow is cached, until they follow or unfollow (on any instance).
     */
    async homePage(viewerId: string, window: KeysetWindow, hidden?: HiddenRows): Promise<HomeFeedRow[]> {
      const read = () => readHomeFeedAuthors(db, viewerId);
      const authors = changes.live
        ? await homeAuthors.load(viewerId, read, { tags: [`follows:${viewerId}`] })
        : await read();
      return readHomeFeedPage(db, viewerId, authors, window, hidden);
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;
