// Who and what is invisible to a viewer: the one rule every read path applies (lists, lookups, nested
// fields, cached pages), and that a live-updates feature applies to its events the same way.
//
// - Blocks: when A blocks B, A and B are invisible to each other, with everything they wrote.
// - Reports: an account the viewer reported is invisible to them like a blocked one; a post or comment
//   they reported is invisible to them. At once, until a moderator decides.
// - Hidden rows: a post, comment or account reported by REPORTS_TO_HIDE distinct accounts is hidden from
//   everyone but its author (the account itself) and superusers, until a moderator decides.
// - Superusers see everything.
//
// What a viewer must not see is read once per viewer (one statement, src/db/safety.ts) and cached on
// this instance until a change to either side of a block or report (a 'user' change for each account,
// heard by every instance); a viewer whose safetyFilters is 0 (no blocks, no open reports) costs no
// read at all. docs/decisions/0018-safety-visibility.md.
import {
  type Db,
  type HiddenRows,
  isBlockedBetween,
  nothingHiddenFor,
  type Prisma,
  readHiddenFor,
  type User,
} from '../../db/index.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { Changes } from '../../infra/changes.ts';
import { createTaggedCache } from '../../infra/tagged-cache.ts';

export type { HiddenRows };

/** The viewer as the rule needs them: who, whether a superuser, and whether any filter applies. */
export type Viewer = Pick<User, 'id' | 'isSuperuser' | 'safetyFilters'>;

/** Whether the viewer may see this account. */
export const canSeeUser = (hidden: HiddenRows, user: { id: string; hidden: boolean }): boolean =>
  hidden.seesAll || ((!user.hidden || user.id === hidden.viewerId) && !hidden.users.has(user.id));

/** Whether the viewer may see this post or comment (by its author, its own flag and the viewer's reports). */
export const canSeeWritten = (hidden: HiddenRows, row: { id: string; authorId: string; hidden: boolean }): boolean =>
  hidden.seesAll ||
  ((!row.hidden || row.authorId === hidden.viewerId) && !hidden.users.has(row.authorId) && !hidden.content.has(row.id));

/**
 * Whether an event about `row`, written by `authorId`, may reach the viewer: the rule for live events
 * and notifications, which carry the ids only.
 */
export const canSeeEventFrom = (hidden: HiddenRows, authorId: string): boolean =>
  hidden.seesAll || !hidden.users.has(authorId);

/** The posts the viewer may see, as a Prisma condition (for reads through Prisma rather than raw SQL). */
export function visiblePostsWhere(hidden: HiddenRows): Prisma.PostWhereInput {
  if (hidden.seesAll) return {};
  return {
    AND: [
      hidden.viewerId === null ? { hidden: false } : { OR: [{ hidden: false }, { authorId: hidden.viewerId }] },
      ...(hidden.users.size > 0 ? [{ authorId: { notIn: [...hidden.users] } }] : []),
      ...(hidden.content.size > 0 ? [{ id: { notIn: [...hidden.content] } }] : []),
    ],
  };
}

type Written = { id: string; authorId: string; hidden: boolean };

/**
 * Whether the viewer may see a node read by its id: a Post or Comment (a comment on a post they may not
 * see is not there either), a User; other types as they are.
 */
export async function canSeeNode(
  hidden: HiddenRows,
  typename: string,
  node: Record<string, unknown> | null,
  postOf: (postId: string) => Promise<Written | null>,
): Promise<boolean> {
  if (!node || hidden.seesAll) return node !== null;
  if (typename === 'User') return canSeeUser(hidden, node as { id: string; hidden: boolean });
  if (typename === 'Post') return canSeeWritten(hidden, node as Written);
  if (typename === 'Comment') {
    if (!canSeeWritten(hidden, node as Written)) return false;
    const post = await postOf(node.postId as string);
    return post !== null && canSeeWritten(hidden, post);
  }
  return true;
}

export interface VisibilityDeps {
  db: Db;
  changes: Changes;
}

export function createVisibility({ db, changes }: VisibilityDeps) {
  const cache = createTaggedCache<HiddenRows>({ maxEntries: 10_000, maxAgeMs: 60_000 });
  changes.subscribe((change) => {
    if (change.type === 'user') cache.invalidate(`user:${change.userId}`);
    else if (change.type === 'all') cache.clear();
  });

  return {
    /** What the viewer must not see; no viewer sees what is hidden for everyone and nothing more. */
    async hiddenFor(viewer: Viewer | null): Promise<HiddenRows> {
      if (!viewer) return nothingHiddenFor(null);
      if (viewer.isSuperuser) return nothingHiddenFor(viewer.id, true);
      if (viewer.safetyFilters <= 0) return nothingHiddenFor(viewer.id);
      const key = viewer.id;
      const cached = changes.live ? cache.get(key) : undefined;
      if (cached) return cached;
      const readAt = cache.version;
      const { users, content } = await readHiddenFor(db, viewer.id);
      const hidden: HiddenRows = { seesAll: false, viewerId: viewer.id, users, content };
      // A block or report is a 'user' change of both sides, so the viewer's own tag is enough.
      if (changes.live) cache.set(key, hidden, { readAt, tags: [`user:${viewer.id}`] });
      return hidden;
    },

    /** FORBIDDEN when either account blocks the other (following, liking, commenting across a block). */
    async assertNotBlocked(viewerId: string, otherId: string, what: string): Promise<void> {
      if (viewerId === otherId) return;
      if (await isBlockedBetween(db, viewerId, otherId)) {
        throw new AppError(ErrorCode.FORBIDDEN, `You cannot ${what}: one of you blocks the other.`);
      }
    },
  };
}

export type Visibility = ReturnType<typeof createVisibility>;
