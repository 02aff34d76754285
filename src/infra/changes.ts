// What changed in the database, told to every instance so their caches drop what it made stale. Each
// change is applied here at once (read-your-writes) and sent to the other instances through what the
// deployment already has: PostgreSQL's LISTEN/NOTIFY, or Redis pub/sub when instances share a SQLite
// file and REDIS_URL. A lone SQLite instance keeps its changes to itself.
//
// While the channel to the other instances is down, `live` is false and caches are not trusted: a
// change they missed would otherwise be served stale for good.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { Logger } from '../logger.ts';

export type Change =
  /** A user row changed (name, flags, password) or went: their sessions and their posts' author data. */
  | { type: 'user'; userId: string }
  /** One session ended (logout). */
  | { type: 'session'; sessionId: string }
  /** Posts were added or removed. */
  | { type: 'posts' }
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

/** What the instances sharing a channel (PostgreSQL or Redis) do alike, whatever carries it. */
function createSharedChannel(listeners: Listeners, logger: Logger) {
  return {
    /** A change another instance sent. */
    received(payload: string) {
      try {
        listeners.emit(JSON.parse(payload) as Change);
      } catch (error) {
        logger.error({ error }, 'unreadable change notification');
      }
    },
    /** Applies the change here, then has `send` tell the others; a failed send is logged, not thrown. */
    async publish(change: Change, send: (payload: string) => Promise<unknown>) {
      listeners.emit(change);
      try {
        await send(JSON.stringify(change));
      } catch (error) {
        // The other instances may keep serving what changed, for as long as their cache keeps it.
        logger.error({ change, error }, 'could not tell other instances about a change');
      }
    },
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
  logger: Logger;
}

/** Several instances on one PostgreSQL database: changes go through NOTIFY on a channel of this schema. */
export function createPostgresChanges({ url, schema, logger }: PostgresChangesDeps): Changes {
  const listeners = createListeners();
  const shared = createSharedChannel(listeners, logger);
  // Channel names are identifiers (at most 63 bytes); the schema makes it this app's own.
  const channel = `photo_feed_changes:${schema}`.slice(0, 63);
  let client: pg.Client | null = null;
  let live = false;
  let closed = false;
  let notifying: Promise<unknown> = Promise.resolve();

  async function connect(): Promise<void> {
    for (let delay = 250; !closed; delay = Math.min(delay * 2, 30_000)) {
      const candidate = new pg.Client({ connectionString: url });
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
    publish: (change) =>
      shared.publish(change, (payload) => {
        const target = client;
        if (!target) throw new Error('not connected');
        // One query at a time on the listening connection: pg runs them in turn anyway, and a
        // query sent while another runs is deprecated (pg 9 refuses it).
        const sent = notifying.then(() => target.query('SELECT pg_notify($1, $2)', [channel, payload]));
        notifying = sent.catch(() => {});
        return sent;
      }),
    subscribe: listeners.add,
    async close() {
      closed = true;
      live = false;
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
  logger: Logger;
}

/** Instances sharing one SQLite file (on one box) and a Redis: changes go through Redis pub/sub. */
export function createRedisChanges({ url, channel, logger }: RedisChangesDeps): Changes {
  const listeners = createListeners();
  const shared = createSharedChannel(listeners, logger);
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // A connection in subscriber mode can do nothing else, so it is one of its own.
  const subscriber = new Redis(url, { maxRetriesPerRequest: null });
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
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
