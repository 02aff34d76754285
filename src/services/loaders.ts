// Reads batched within one request, so a field under a list (feed → author → posts, a page of posts'
// likeCount) costs one statement for the whole list instead of one per row. A request gets fresh
// loaders (src/context.ts): nothing is shared between requests or viewers here. Counts and the viewer's
// likes and follows come through src/services/social/facts.ts, cached until a write changes them.
import DataLoader from 'dataloader';
import {
  type Db,
  type HiddenRows,
  type HomeFeedRow,
  type KeysetWindow,
  type PostFacts,
  readBlockedByUser,
  readCommentsByPost,
  readFollowersByUser,
  readFollowingByUser,
  readLikersByPost,
  readPostsByAuthors,
  type User,
  type UserFacts,
  windowKey,
} from '../db/index.ts';
import type { Viewer, Visibility } from './safety/visibility.ts';
import type { SocialFacts } from './social/facts.ts';

type PageReader<Row> = (
  db: Db,
  parentIds: readonly string[],
  window: KeysetWindow,
  hidden: HiddenRows,
) => Promise<Map<string, Row[]>>;

/**
 * (parent, window) → that parent's rows the viewer may see (src/services/safety/visibility.ts), batched
 * per window: aliases may ask different pages of one field.
 */
function pagesByParent<Row>(db: Db, read: PageReader<Row>, hiddenRows: () => Promise<HiddenRows>) {
  const loaders = new Map<string, DataLoader<string, Row[]>>();
  return (parentId: string, window: KeysetWindow): Promise<Row[]> => {
    const key = windowKey(window);
    let loader = loaders.get(key);
    if (!loader) {
      loader = new DataLoader(async (parentIds) => {
        const pages = await read(db, parentIds, window, await hiddenRows());
        return parentIds.map((id) => pages.get(id) ?? []);
      });
      loaders.set(key, loader);
    }
    return loader.load(parentId);
  };
}

/** ids → facts, batched, for this request's viewer; a row that is gone reads as null. */
function factsById<Facts>(read: (ids: readonly string[]) => Promise<Map<string, Facts>>) {
  return new DataLoader<string, Facts | null>(async (ids) => {
    const found = await read(ids);
    return ids.map((id) => found.get(id) ?? null);
  });
}

export function createLoaders(db: Db, viewer: Viewer | null, visibility: Visibility, socialFacts: SocialFacts) {
  const viewerId = viewer?.id ?? null;
  // A post's facts come with its author's: the users' loader waits for a posts' batch in flight and
  // reads only the users that batch did not bring. A page asks for its posts' facts before its
  // authors' (a parent's fields run before its children's), so its authors cost no statement.
  const authorFacts = new Map<string, UserFacts>();
  let postFactsInFlight: Promise<unknown> = Promise.resolve();
  const postFacts = factsById(async (ids) => {
    const reading = socialFacts.postFacts(ids, viewerId);
    postFactsInFlight = reading.catch(() => {});
    const found = new Map<string, PostFacts>();
    for (const [postId, { author, ...facts }] of await reading) {
      const { id, ...userFacts } = author;
      authorFacts.set(id, userFacts);
      found.set(postId, facts);
    }
    return found;
  });
  const userFacts = factsById(async (ids) => {
    await postFactsInFlight;
    const missing = ids.filter((id) => !authorFacts.has(id));
    const read = missing.length > 0 ? await socialFacts.userFacts(missing, viewerId) : new Map<string, UserFacts>();
    return new Map(
      ids.flatMap((id) => {
        const facts = authorFacts.get(id) ?? read.get(id);
        return facts ? [[id, facts] as const] : [];
      }),
    );
  });
  let hiddenRows: Promise<HiddenRows> | undefined;
  /** What this request's viewer must not see, read at most once per request (and often not at all). */
  const hidden = () => {
    hiddenRows ??= visibility.hiddenFor(viewer);
    return hiddenRows;
  };
  return {
    hidden,
    postsByAuthor: pagesByParent(db, readPostsByAuthors, hidden),
    commentsByPost: pagesByParent(db, readCommentsByPost, hidden),
    likersByPost: pagesByParent(db, readLikersByPost, hidden),
    followersOf: pagesByParent(db, readFollowersByUser, hidden),
    followingOf: pagesByParent(db, readFollowingByUser, hidden),
    blockedBy: pagesByParent(db, (db, ids, window) => readBlockedByUser(db, ids, window), hidden),
    /** Whether the viewer blocks each account (false without a viewer). */
    viewerBlocks: new DataLoader<string, boolean>(async (ids) => {
      // Not skipped for safetyFilters 0: the viewer's row is as the request found it, and a block
      // mutation's answer asks right after the block.
      if (!viewer) return ids.map(() => false);
      const found = new Set(
        (
          await db.block.findMany({
            where: { blockerId: viewer.id, blockedId: { in: [...ids] } },
            select: { blockedId: true },
          })
        ).map((block) => block.blockedId),
      );
      return ids.map((id) => found.has(id));
    }),
    postFacts,
    /** Users by id, for rows that carry only an author's id (a comment just written). */
    users: new DataLoader<string, User | null>(async (ids) => {
      const found = new Map(
        (await db.user.findMany({ where: { id: { in: [...ids] } } })).map((user) => [user.id, user]),
      );
      return ids.map((id) => found.get(id) ?? null);
    }),
    userFacts,
    /**
     * The facts a home feed page read with its rows, in this request and for this viewer, so its posts'
     * and authors' counts cost no statements of their own.
     */
    primeHomeFeedFacts(rows: readonly HomeFeedRow[]) {
      for (const row of rows) {
        const { likeCount, commentCount, viewerHasLiked, author } = row;
        postFacts.prime(row.id, { likeCount, commentCount, viewerHasLiked });
        const { followerCount, followingCount, postCount } = author;
        userFacts.prime(author.id, {
          followerCount,
          followingCount,
          postCount,
          viewerFollows: row.viewerFollowsAuthor,
        });
      }
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
