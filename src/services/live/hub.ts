// This instance's open subscriptions (live updates over SSE) and what reaches them. Every instance hears
// every change (src/infra/changes.ts carries ids, never rows); each reads the rows it sends once per
// change, whatever the number of streams, and hands them to the streams the change reaches
// (src/services/live/audience.ts decides which). Sessions that end, accounts deactivated or deleted
// and tokens that expire end their streams; SIGTERM ends them all.
import type { Comment, Db, Notification, Post } from '../../db/index.ts';
import { AppError, ErrorCode } from '../../errors.ts';
import type { Change, Changes } from '../../infra/changes.ts';
import type { Logger } from '../../logger.ts';
import { canSeeEventFrom, canSeeWritten, type Viewer, type Visibility } from '../safety/visibility.ts';
import { audienceOf, type Interest, isLiveChange, type Listener, type LiveChange } from './audience.ts';
import { createLiveStream, type LiveStream } from './stream.ts';

/** What a stream sends: the rows its fields are read from, typed by their GraphQL object type. */
/** Which of the viewers an event reaches like its post, read once for all of them. */
export interface LikedBy {
  likedBy?: ReadonlySet<string>;
}

export type LiveEvent =
  | ({ __typename: 'PostAdded'; post: Post } & LikedBy)
  | { __typename: 'PostRemoved'; postId: string }
  | ({ __typename: 'PostCountsChanged'; post: Post } & LikedBy)
  | { __typename: 'CommentAdded'; comment: Comment }
  | { __typename: 'CommentRemoved'; commentId: string; postId: string }
  | { __typename: 'NotificationAdded'; notification: Notification };

export interface LiveSettings {
  maxPerUser: number;
  maxPerInstance: number;
  /** Events a stream holds for a client that does not read; past it the client is dropped. */
  bufferEvents: number;
}

export interface OpenStream {
  viewerId: string;
  sessionId: string;
  /** When the viewer's token stops working: the stream ends then. */
  tokenExpiresAt: Date | null;
  interest: Interest;
  /** Cuts the stream's connection: its client stopped reading. */
  drop: () => void;
}

interface Open extends Listener {
  sessionId: string;
  stream: LiveStream<LiveEvent>;
}

/**
 * Streams handed an event in one turn of the event loop. Each stream's answer is written in the turn it
 * is handed (serialised, and executed unless it shares an execution: src/graphql/shared-events.ts), so
 * a thousand at once would hold every other request back for the whole burst.
 */
const STREAMS_PER_TURN = 100;

export const unauthenticatedStream = (message = 'Your session ended: sign in again.') =>
  new AppError(ErrorCode.UNAUTHENTICATED, message);

export function createLiveHub({
  db,
  changes,
  visibility,
  settings,
  logger,
}: {
  db: Db;
  changes: Changes;
  /** Blocks and reports: an event about what a viewer may not see does not reach them. */
  visibility: Pick<Visibility, 'hiddenFor'>;
  settings: LiveSettings;
  logger: Logger;
}) {
  const open = new Set<Open>();
  // The stream viewers' rows as the visibility rule needs them, read for many at once and dropped with
  // any change to the account (a block or report is a 'user' change of both sides).
  const viewers = new Map<string, Viewer>();
  const perUser = new Map<string, number>();
  let stopped = false;
  // Changes are handled in the order they came, one after the other: a post added then removed arrives so.
  let queue: Promise<void> = Promise.resolve();

  function endStreams(which: (stream: Open) => boolean, error?: AppError) {
    for (const listener of [...open]) if (which(listener)) listener.stream.end(error);
  }

  /** Ends the streams whose session is no longer good: revoked, expired, or its account deactivated or deleted. */
  async function recheckSessions(listeners: Open[]) {
    if (listeners.length === 0) return;
    const ids = [...new Set(listeners.map((listener) => listener.sessionId))];
    const good = new Set(
      (
        await db.session.findMany({
          where: { id: { in: ids }, expiresAt: { gt: new Date() }, user: { isActive: true } },
          select: { id: true },
        })
      ).map((row) => row.id),
    );
    const gone = new Set(ids.filter((id) => !good.has(id)));
    endStreams((listener) => gone.has(listener.sessionId), unauthenticatedStream());
  }

  /** The rows a change's events are read from, once for every stream it reaches; null when they are gone. */
  async function eventOf(change: LiveChange): Promise<LiveEvent | null> {
    switch (change.type) {
      case 'post-added': {
        const post = await db.post.findUnique({ where: { id: change.postId } });
        return post && { __typename: 'PostAdded', post };
      }
      case 'post-removed':
        return { __typename: 'PostRemoved', postId: change.postId };
      case 'post-activity': {
        if (change.activity === 'comment-removed') {
          return { __typename: 'CommentRemoved', commentId: change.commentId ?? '', postId: change.postId };
        }
        if (change.activity === 'comment-added') {
          const comment = change.commentId ? await db.comment.findUnique({ where: { id: change.commentId } }) : null;
          return comment && { __typename: 'CommentAdded', comment };
        }
        const post = await db.post.findUnique({ where: { id: change.postId } });
        return post && { __typename: 'PostCountsChanged', post };
      }
      case 'notification': {
        // Taken back meanwhile (an unlike right after the like): nothing to tell.
        const notification = await db.notification.findFirst({ where: { id: change.notificationId, removedAt: null } });
        return notification && { __typename: 'NotificationAdded', notification };
      }
    }
  }

  /** The listeners allowed to see the event (src/services/safety/visibility.ts): at most one statement for their rows. */
  async function visibleTo(listeners: Open[], event: LiveEvent, change: LiveChange): Promise<Open[]> {
    const missing = [...new Set(listeners.map((l) => l.viewerId))].filter((id) => !viewers.has(id));
    if (missing.length > 0) {
      const rows = await db.user.findMany({
        where: { id: { in: missing } },
        select: { id: true, isSuperuser: true, safetyFilters: true },
      });
      for (const row of rows) viewers.set(row.id, row);
    }
    const allowed: Open[] = [];
    for (const listener of listeners) {
      const viewer = viewers.get(listener.viewerId);
      if (!viewer) continue;
      const hidden = await visibility.hiddenFor(viewer);
      const sees =
        event.__typename === 'PostAdded' || event.__typename === 'PostCountsChanged'
          ? canSeeWritten(hidden, event.post)
          : event.__typename === 'CommentAdded'
            ? canSeeWritten(hidden, event.comment)
            : event.__typename === 'NotificationAdded'
              ? canSeeEventFrom(hidden, event.notification.actorId)
              : change.type !== 'post-removed' || canSeeEventFrom(hidden, change.authorId);
      if (sees) allowed.push(listener);
    }
    return allowed;
  }

  async function handle(change: Change) {
    if (open.size === 0) return;
    if (change.type === 'session') {
      endStreams((listener) => listener.sessionId === change.sessionId, unauthenticatedStream());
      return;
    }
    if (change.type === 'user') {
      viewers.delete(change.userId);
      await recheckSessions([...open].filter((listener) => listener.viewerId === change.userId));
      return;
    }
    if (change.type === 'all') {
      viewers.clear();
      // Changes may have been missed: sessions that ended meanwhile end their streams now.
      await recheckSessions([...open]);
      return;
    }
    if (!isLiveChange(change)) return;
    const heard = await audienceOf(db, change, open);
    if (heard.length === 0) return;
    let event = await eventOf(change);
    if (!event) return;
    const reached = await visibleTo(heard, event, change);
    if (reached.length === 0) return;
    if (event.__typename === 'PostAdded' || event.__typename === 'PostCountsChanged') {
      // The post's counts are on its row; whether each viewer likes it, one statement for them all, so a
      // stream resolving viewerHasLiked and the counts costs none of its own.
      const viewers = [...new Set(reached.map((listener) => listener.viewerId))];
      const likes = await db.like.findMany({
        where: { postId: event.post.id, userId: { in: viewers } },
        select: { userId: true },
      });
      event = { ...event, likedBy: new Set(likes.map((like) => like.userId)) };
    }
    for (let start = 0; start < reached.length; start += STREAMS_PER_TURN) {
      // Other requests get their turn between slices (setImmediate runs after pending I/O).
      if (start > 0) await new Promise((resolve) => setImmediate(resolve));
      for (const listener of reached.slice(start, start + STREAMS_PER_TURN)) {
        listener.stream.push(event);
        // A post's activity ends with the post.
        if (event.__typename === 'PostRemoved' && listener.interest.kind === 'post') listener.stream.end();
      }
    }
  }

  changes.subscribe((change) => {
    queue = queue
      .then(() => handle(change))
      .catch((error) => logger.error({ error, change }, 'could not send a change to live streams'));
  });

  return {
    /** Opens a stream for the viewer, or throws RATE_LIMITED past the limits. */
    open({ viewerId, sessionId, tokenExpiresAt, interest, drop }: OpenStream): LiveStream<LiveEvent> {
      if (stopped) throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'This instance is shutting down: reconnect.');
      if (open.size >= settings.maxPerInstance) {
        throw new AppError(ErrorCode.RATE_LIMITED, 'This instance has as many open streams as it serves: retry later.');
      }
      const mine = perUser.get(viewerId) ?? 0;
      if (mine >= settings.maxPerUser) {
        throw new AppError(ErrorCode.RATE_LIMITED, `At most ${settings.maxPerUser} open subscriptions per account.`);
      }
      perUser.set(viewerId, mine + 1);
      let expiry: NodeJS.Timeout | undefined;
      const listener: Open = {
        viewerId,
        sessionId,
        interest,
        stream: createLiveStream<LiveEvent>({
          maxBuffered: settings.bufferEvents,
          onSlowConsumer: () => {
            logger.warn(
              { viewerId, buffered: settings.bufferEvents },
              'dropped a live stream whose client stopped reading',
            );
            drop();
          },
          onClose: () => {
            clearTimeout(expiry);
            open.delete(listener);
            const left = (perUser.get(viewerId) ?? 1) - 1;
            if (left > 0) perUser.set(viewerId, left);
            else {
              perUser.delete(viewerId);
              // Kept only while the viewer has a stream here: the map stays as large as the open streams.
              viewers.delete(viewerId);
            }
          },
        }),
      };
      open.add(listener);
      if (tokenExpiresAt) {
        // setTimeout takes at most 2^31 - 1 ms (24.8 days); a token lasting longer is rechecked then.
        const inMs = Math.min(Math.max(0, tokenExpiresAt.getTime() - Date.now()), 2_147_483_647);
        expiry = setTimeout(
          () => listener.stream.end(unauthenticatedStream('Your token expired: sign in again.')),
          inMs,
        );
        expiry.unref();
      }
      return listener.stream;
    },

    /** Open streams on this instance. */
    get size() {
      return open.size;
    },

    /** Ends every stream (SIGTERM): their clients reconnect, to another instance. */
    stop() {
      stopped = true;
      endStreams(() => true);
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
