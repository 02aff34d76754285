// What changed in the database, told to every instance so their caches drop what it made stale. Each
// change is applied here at once (read-your-writes) and sent to the other instances through what the
// deployment already has: PostgreSQL's LISTEN/NOTIFY, or Redis pub/sub when instances share a SQLite
// file and REDIS_URL. A lone SQLite instance keeps its changes to itself.
//
// While the channel to the other instances is down, `live` is false and caches are not trusted: a
// change they missed would otherwise be served stale for good.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisOptions } from 'ioredis';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { createRedisClient } from './redis.ts';

export type Change =
  /** A user row changed (name, flags, password) or went: their sessions and their posts' author data. */
  | { type: 'user'; userId: string }
  /** One session ended (logout). */
  | { type: 'session'; sessionId: string }
  /** Posts changed (a caption): feed pages. */
  | { type: 'posts' }
  /** A post was written: feed pages, and live feedEvents. Ids only (NOTIFY payloads are at most 8000 bytes). */
  | { type: 'post-added'; postId: string; authorId: string }
  /** A post was deleted: feed pages, live feedEvents and the post's postActivity streams. */
  | {
      type: 'post-removed';
      postId: string;
      authorId: string;
      /** With its author's account: who followed them is gone too, so every following feed hears it. */
      authorGone?: true;
    }
  /** A post's likes or comments changed: its postActivity streams (counts are read fresh, never cached). */
  | {
      type: 'post-activity';
      postId: string;
      activity: 'counts' | 'comment-added' | 'comment-removed';
      /** The comment added or removed. */
      commentId?: string;
      /** Who liked or unliked it: their viewerHasLiked changed (src/services/social/facts.ts). */
      actorId?: string;
    }
  /** An account followed or stopped following another: both accounts' counts, and the follower's viewerFollows. */
  | { type: 'follow'; followerId: string; followeeId: string }
  /** A user got a notification: their notificationAdded streams. */
  | { type: 'notification'; userId: string; notificationId: string }
  /** Changes may have been missed (the channel dropped): drop everything. */
  | { type: 'all' };

export interface Changes {
  /** Applies the change to this instance's caches and tells the other instances. Call after the write commits. */
  publish(change: Change): Promise<void>;
  subscribe(listener: (change: Change) => void): void;
  /** Whether changes made elsewhere reach this instance right now. */
  readonly live: boolean;
  close(): Promise<void>;
}

function createListeners() {
  const listeners: ((change: Change) => void)[] = [];
  return {
    add: (listener: (change: Change) => void) => void listeners.push(listener),
    emit: (change: Change) => {
      for (const listener of listeners) listener(change);
    },
  };
}

type Listeners = ReturnType<typeof createListeners>;

/**
 * How long a change is worth retrying to send: past it, no instance's cache still holds what it made
 * stale (sessions are kept 60 s, feed pages 30 s).
 */
export const CHANGE_RETRY_MS = 60_000;

/** What the instances sharing a channel (PostgreSQL or Redis) do alike, whatever carries it. */
function createSharedChannel(listeners: Listeners, logger: Logger) {
  const closing = new AbortController();
  // Each payload names the instance that sent it: the channel brings an instance's own changes back,
  // already applied here (a live event would otherwise reach this instance's streams twice).
  const origin = randomUUID();

  /** Sends until it goes through, backing off, for as long as the change can matter. */
  async function retry(change: Change, payload: string, send: (payload: string) => Promise<unknown>) {
    const deadline = Date.now() + CHANGE_RETRY_MS;
    for (let delay = 100; Date.now() + delay < deadline; delay = Math.min(delay * 2, 2000)) {
      try {
        await sleep(delay, undefined, { ref: false, signal: closing.signal });
        await send(payload);
        logger.info({ change }, 'told other instances about a change after retrying');
        return;
      } catch {
        if (closing.signal.aborted) return;
      }
    }
    // Their caches may keep what it made stale until the entries expire: at most CHANGE_RETRY_MS.
    logger.error({ change }, 'could not tell other instances about a change; gave up');
  }

  return {
    /** A change another instance sent. */
    received(payload: string) {
      try {
        const { origin: from, ...change } = JSON.parse(payload) as Change & { origin?: string };
        if (from === origin) return;
        listeners.emit(change as Change);
      } catch (error) {
        logger.error({ error }, 'unreadable change notification');
      }
    },
    /**
     * Applies the change here, then has `send` tell the others. A failed send is logged, not thrown (the
     * write has committed), and retried in the background: the answer does not wait for the retries.
     */
    async publish(change: Change, send: (payload: string) => Promise<unknown>) {
      listeners.emit(change);
      const payload = JSON.stringify({ ...change, origin });
      try {
        await send(payload);
      } catch (error) {
        logger.warn({ change, error }, 'could not tell other instances about a change; retrying');
        void retry(change, payload, send);
      }
    },
    /** Stops the retries. */
    close: () => closing.abort(),
    /** Changes made elsewhere may go unheard from now on: nothing cached is trusted. */
    lost(error?: Error) {
      listeners.emit({ type: 'all' });
      logger.warn({ error }, 'lost the channel to other instances; caches are off until it is back');
    },
  };
}

/** One instance: every change is made here, so every change is seen. */
export function createLocalChanges(): Changes {
  const listeners = createListeners();
  return {
    live: true,
    async publish(change) {
      listeners.emit(change);
    },
    subscribe: listeners.add,
    async close() {},
  };
}

export interface PostgresChangesDeps {
  url: string;
  /** The schema the app's tables are in: instances on other schemas of the database are other apps. */
  schema: string;
  /**
   * Sends a NOTIFY through the app's own connections (`SELECT pg_notify(channel, payload)`). Not through
   * the listening connection: while that one is down, this instance's changes must still go out.
   */
  notify: (channel: string, payload: string) => Promise<unknown>;
  /** How long to wait for the listening connection to open. */
  connectTimeoutMs: number;
  logger: Logger;
}

/** The listening connection's application_name, so operators can tell it in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = 'photo-feed changes';

/** Several instances on one PostgreSQL database: changes go through NOTIFY on a channel of this schema. */
export function createPostgresChanges({ url, schema, notify, connectTimeoutMs, logger }: PostgresChangesDeps): Changes {
  const listeners = createListeners();
  const shared = createSharedChannel(listeners, logger);
  // Channel names are identifiers (at most 63 bytes); the schema makes it this app's own.
  const channel = `photo_feed_changes:${schema}`.slice(0, 63);
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;

  async function connect(): Promise<void> {
    // At most 5 s between attempts: caches are back within seconds of the database.
    for (let delay = 250; !closed; delay = Math.min(delay * 2, 5000)) {
      const candidate = new pg.Client({
        connectionString: url,
        application_name: LISTEN_APPLICATION_NAME,
        connectionTimeoutMillis: connectTimeoutMs,
        // A peer gone silent (a dropped route) is noticed by the OS, not only at the next NOTIFY.
        keepAlive: true,
      });
      try {
        candidate.on('error', (error) => dropped(candidate, error));
        candidate.on('end', () => dropped(candidate, new Error('connection ended')));
        candidate.on('notification', (message) => {
          if (message.channel === channel && message.payload) shared.received(message.payload);
        });
        await candidate.connect();
        await candidate.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
        if (closed) {
          await candidate.end();
          return;
        }
        client = candidate;
        live = true;
        // Whatever happened while this instance was not listening is unknown.
        listeners.emit({ type: 'all' });
        return;
      } catch (error) {
        candidate.removeAllListeners('end');
        await candidate.end().catch(() => {});
        logger.warn({ error }, 'cannot listen for changes from other instances; caches are off until it can');
        await sleep(delay, undefined, { ref: false });
      }
    }
  }

  function dropped(which: pg.Client, error: Error) {
    if (which !== client || closed) return;
    client = null;
    live = false;
    shared.lost(error);
    void connect();
  }

  void connect();

  return {
    get live() {
      return live;
    },
    publish: (change) => shared.publish(change, (payload) => notify(channel, payload)),
    subscribe: listeners.add,
    async close() {
      closed = true;
      live = false;
      shared.close();
      const open = client;
      client = null;
      await open?.end().catch(() => {});
    },
  };
}

export interface RedisChangesDeps {
  url: string;
  /** Instances with the same channel share their changes: the ones on the same database. */
  channel: string;
  /** How long a connection attempt, and a publish, may take. */
  timeoutMs: number;
  logger: Logger;
}

/** Instances sharing one SQLite file (on one box) and a Redis: changes go through Redis pub/sub. */
export function createRedisChanges({ url, channel, timeoutMs, logger }: RedisChangesDeps): Changes {
  const listeners = createListeners();
  const shared = createSharedChannel(listeners, logger);
  const redis = (purpose: string, options: RedisOptions) =>
    createRedisClient({ url, timeoutMs, purpose, logger, options });
  const publisher = redis('changes: publish', { lazyConnect: true });
  // A connection in subscriber mode can do nothing else, so it is one of its own. Its SUBSCRIBE waits
  // for as long as reconnecting takes: until then the channel is not live.
  const subscriber = redis('changes: subscribe', { maxRetriesPerRequest: null, commandTimeout: undefined });
  let live = false;
  subscriber.on('message', (from, payload) => {
    if (from === channel) shared.received(payload);
  });
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(
      () => {
        live = true;
        listeners.emit({ type: 'all' });
      },
      (error) => logger.warn({ error }, 'cannot subscribe to changes from other instances'),
    );
  });
  const lost = (error?: Error) => {
    if (!live) return;
    live = false;
    shared.lost(error);
  };
  subscriber.on('close', () => lost());
  subscriber.on('error', (error) => lost(error));

  return {
    get live() {
      return live;
    },
    publish: (change) => shared.publish(change, (payload) => publisher.publish(channel, payload)),
    subscribe: listeners.add,
    async close() {
      live = false;
      shared.close();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
