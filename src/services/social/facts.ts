// Counts (a post's likes and comments, an account's followers, follows and posts) and a viewer's likes
// and follows, cached per instance so a feed page read again costs no statement. Every write that
// changes one publishes a change naming what it touched, on every instance (src/infra/changes.ts):
// - a like or unlike: the post's counts and the liker's own like of it ('post-activity' with actorId);
// - a comment added or deleted: the post's counts;
// - a follow or unfollow: both accounts' counts and the follower's own follow ('follow');
// - a post added or removed: its author's postCount;
// - an account changed (deleted: its likes, comments and follows go by cascade; blocked: follows go both
//   ways): everything, as these are rare and touch rows anywhere.
// A read that raced a change is not stored (src/infra/tagged-cache.ts), and nothing is cached while
// changes from other instances cannot be heard. A post with no likes is liked by no viewer, and an
// account with no followers followed by none (kept as each viewer's own answer): a new post, or its first
// like, costs one read of its counts, not one per viewer. Decision 0023 (amends 0011).
import { type Db, type PostFacts, readPostFacts, readUserFacts, type UserFacts } from '../../db/index.ts';
import type { Change, Changes } from '../../infra/changes.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';

type PostCounts = Omit<PostFacts, 'viewerHasLiked'> & { authorId: string };
type UserCounts = Omit<UserFacts, 'viewerFollows'>;
type Cached = PostCounts | UserCounts | boolean;

export type PostAndAuthorFacts = PostFacts & { author: { id: string } & UserFacts };

/** Entries: a post's counts, an account's counts, a viewer's like of a post, a viewer's follow of an account. */
const keys = {
  post: (postId: string) => `p:${postId}`,
  user: (userId: string) => `u:${userId}`,
  liked: (viewerId: string, postId: string) => `l:${viewerId}:${postId}`,
  follows: (viewerId: string, userId: string) => `f:${viewerId}:${userId}`,
};

export function createSocialFacts({
  db,
  changes,
  maxEntries = 100_000,
}: {
  db: Db;
  changes: Changes;
  maxEntries?: number;
}) {
  // maxAgeMs within CHANGE_RETRY_MS: a change that never reached this instance is outlived.
  const cache = createTaggedCache<Cached>({ maxEntries, maxAgeMs: 30_000 });

  changes.subscribe((change: Change) => {
    switch (change.type) {
      case 'post-activity':
        cache.invalidate(`post:${change.postId}`);
        if (change.actorId) cache.invalidate(`likes:${change.actorId}`);
        return;
      case 'follow':
        cache.invalidate(`user:${change.followerId}`);
        cache.invalidate(`user:${change.followeeId}`);
        cache.invalidate(`follows:${change.followerId}`);
        return;
      case 'post-added':
      case 'post-removed':
        cache.invalidate(`user:${change.authorId}`);
        cache.invalidate(`post:${change.postId}`);
        return;
      case 'user':
      case 'all':
        cache.clear();
        return;
    }
  });

  const get = <T extends Cached>(key: string): T | undefined =>
    changes.live ? (cache.get(key) as T | undefined) : undefined;

  function storeUser(readAt: number, userId: string, facts: UserFacts, viewerId: string | null) {
    const { viewerFollows, ...counts } = facts;
    cache.set(keys.user(userId), counts, { readAt, tags: [`user:${userId}`] });
    if (viewerId) cache.set(keys.follows(viewerId, userId), viewerFollows, { readAt, tags: [`follows:${viewerId}`] });
  }

  /**
   * Whether the viewer likes a post (or follows an account), from the cache. With no likes at all (a new
   * post) the answer is no for every viewer, kept as the viewer's own entry: another account's like then
   * drops the post's counts but leaves this answer standing, so each like costs one read of the counts,
   * not one per viewer. The viewer's own like drops it (its change names them). `readAt`: the version
   * the count was read at (the current one for a cached count).
   */
  function ownFact(key: string, tag: string, count: number | undefined, readAt = cache.version): boolean | undefined {
    const known = get<boolean>(key);
    if (known !== undefined || count !== 0) return known;
    if (changes.live) cache.set(key, false, { readAt, tags: [tag] });
    return false;
  }

  /** A user's facts for the viewer from the cache, or undefined when any part is missing. */
  function cachedUser(userId: string, viewerId: string | null): UserFacts | undefined {
    const counts = get<UserCounts>(keys.user(userId));
    return counts && withViewerFollows(userId, counts, viewerId);
  }

  function withViewerFollows(
    userId: string,
    counts: UserCounts,
    viewerId: string | null,
    readAt?: number,
  ): UserFacts | undefined {
    const viewerFollows = viewerId
      ? ownFact(keys.follows(viewerId, userId), `follows:${viewerId}`, counts.followerCount, readAt)
      : false;
    return viewerFollows === undefined ? undefined : { ...counts, viewerFollows };
  }

  /** A post's facts for the viewer from its counts and its author's, or undefined when the viewer's part is unknown. */
  function withViewer(
    postId: string,
    counts: PostCounts,
    authorCounts: UserCounts,
    viewerId: string | null,
    readAt?: number,
  ): PostAndAuthorFacts | undefined {
    const author = withViewerFollows(counts.authorId, authorCounts, viewerId, readAt);
    const viewerHasLiked = viewerId
      ? ownFact(keys.liked(viewerId, postId), `likes:${viewerId}`, counts.likeCount, readAt)
      : false;
    if (!author || viewerHasLiked === undefined) return undefined;
    const { authorId, likeCount, commentCount } = counts;
    return { likeCount, commentCount, viewerHasLiked, author: { id: authorId, ...author } };
  }

  /** Puts in `found` the posts whose facts the cache holds; answers the others. */
  function fromCache(postIds: readonly string[], viewerId: string | null, found: Map<string, PostAndAuthorFacts>) {
    return postIds.filter((postId) => {
      const counts = get<PostCounts>(keys.post(postId));
      const authorCounts = counts && get<UserCounts>(keys.user(counts.authorId));
      const facts = authorCounts && withViewer(postId, counts, authorCounts, viewerId);
      if (facts) found.set(postId, facts);
      return !facts;
    });
  }

  /** A post's facts as the cache keeps them: its counts, its author's, and the viewer's part. */
  function split({ likeCount, commentCount, viewerHasLiked, author }: PostAndAuthorFacts) {
    const { id: authorId, viewerFollows, ...authorCounts } = author;
    return { counts: { likeCount, commentCount, authorId }, authorCounts, viewerHasLiked, viewerFollows };
  }

  /** Reads the posts' facts for the viewer (null: their counts alone, the same for every viewer) and caches them. */
  function read(postIds: readonly string[], viewerId: string | null) {
    const readAt = cache.version;
    const reading = readPostFacts(db, postIds, viewerId).then((rows) => {
      for (const [postId, facts] of rows) {
        const { counts, authorCounts, viewerHasLiked, viewerFollows } = split(facts);
        cache.set(keys.post(postId), counts, { readAt, tags: [`post:${postId}`] });
        storeUser(readAt, counts.authorId, { ...authorCounts, viewerFollows }, viewerId);
        if (viewerId) cache.set(keys.liked(viewerId, postId), viewerHasLiked, { readAt, tags: [`likes:${viewerId}`] });
      }
      return { rows, readAt };
    });
    return cache.track(postIds.map(keys.post), reading);
  }

  return {
    /**
     * Each post's facts and its author's, for the viewer: none read when all are cached. When only counts
     * are missing (someone else's like dropped them, or a new post has none yet), the requests that want
     * them at once share one read of them, the same for every viewer; the viewer's own likes and follows
     * stay cached. Otherwise one statement reads the viewer's part with the counts.
     */
    async postFacts(postIds: readonly string[], viewerId: string | null): Promise<Map<string, PostAndAuthorFacts>> {
      const found = new Map<string, PostAndAuthorFacts>();
      let missing = fromCache(postIds, viewerId, found);
      if (missing.length === 0) return found;
      const inFlight = cache.readsOf(missing.map(keys.post));
      if (inFlight.length > 0) {
        await Promise.allSettled(inFlight);
        missing = fromCache(missing, viewerId, found);
        if (missing.length === 0) return found;
      }
      const countsOnly = viewerId
        ? missing.filter((postId) => get(keys.liked(viewerId, postId)) !== undefined)
        : missing;
      const withOwn = missing.filter((postId) => !countsOnly.includes(postId));
      const [counts, own] = await Promise.all([
        countsOnly.length > 0 ? read(countsOnly, null) : null,
        withOwn.length > 0 ? read(withOwn, viewerId) : null,
      ]);
      for (const [postId, facts] of own?.rows ?? []) found.set(postId, facts);
      // The viewer's part from the cache, beside counts read for everyone; read with them if it went meanwhile.
      const unknown: string[] = [];
      for (const [postId, row] of counts?.rows ?? []) {
        const parts = split(row);
        const facts = withViewer(postId, parts.counts, parts.authorCounts, viewerId, counts?.readAt);
        if (facts) found.set(postId, facts);
        else unknown.push(postId);
      }
      if (unknown.length > 0)
        for (const [postId, facts] of (await read(unknown, viewerId)).rows) found.set(postId, facts);
      return found;
    },

    /** Each user's facts for the viewer: one statement for those not all cached, none when all are. */
    async userFacts(userIds: readonly string[], viewerId: string | null): Promise<Map<string, UserFacts>> {
      const found = new Map<string, UserFacts>();
      const missing: string[] = [];
      for (const userId of userIds) {
        const facts = cachedUser(userId, viewerId);
        if (facts) found.set(userId, facts);
        else missing.push(userId);
      }
      if (missing.length === 0) return found;
      const readAt = cache.version;
      for (const [userId, facts] of await readUserFacts(db, missing, viewerId)) {
        storeUser(readAt, userId, facts, viewerId);
        found.set(userId, facts);
      }
      return found;
    },

    get size() {
      return cache.size;
    },
  };
}

export type SocialFacts = ReturnType<typeof createSocialFacts>;
