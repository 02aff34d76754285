// A small in-process cache whose entries carry tags, so a change can drop exactly what it made stale.
//
// Loads race with changes: a read that started before a change may finish after it and would store
// what the change just made stale. So every change bumps `version` and notes it on the tag it drops, a
// load notes the version before it reads, and `set` refuses to store when one of the value's tags was
// dropped meanwhile (or everything was). Only those: under a steady stream of likes, reads of other
// posts' counts must still be kept, or every request misses.

export interface TaggedCacheDeps {
  maxEntries: number;
  /** No entry is used longer than this, whatever else happens: a bound on staleness if a change is missed. */
  maxAgeMs: number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  tags: readonly string[];
  /** When it was last moved to the end of the eviction order. */
  touchedAt: number;
}

/**
 * A read moves its entry to the end of the eviction order at most this often: hot entries are read on
 * every request, and moving one is a delete and an insert in the map.
 */
const TOUCH_EVERY_MS = 1000;

/** Tags dropped recently enough to check a read against; a read begun before the oldest forgotten one is refused. */
const REMEMBERED_DROPS = 10_000;

export function createTaggedCache<V>({ maxEntries, maxAgeMs, now = Date.now }: TaggedCacheDeps) {
  const entries = new Map<string, Entry<V>>();
  const keysByTag = new Map<string, Set<string>>();
  let version = 0;
  /** The version at which each tag was last dropped, oldest first. */
  const droppedAt = new Map<string, number>();
  /** Reads begun before this version are refused: a drop after them may have been forgotten, or was a clear. */
  let refuseBefore = 0;
  // Reads in flight, by version and key: callers that miss together share one read, unless a change came
  // in after it began (then theirs is a read of its own, which may see the change).
  const reading = new Map<string, Promise<unknown>>();

  function remove(key: string) {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) keysByTag.delete(tag);
    }
  }

  return {
    /** Note it before reading what you may store: `set` refuses if a change came in between. */
    get version() {
      return version;
    },

    get(key: string): V | undefined {
      const entry = entries.get(key);
      if (!entry) return undefined;
      const time = now();
      if (entry.expiresAt <= time) {
        remove(key);
        return undefined;
      }
      if (time - entry.touchedAt >= TOUCH_EVERY_MS) {
        // Map order is insertion order: moved to the end, it is the last to be evicted.
        entry.touchedAt = time;
        entries.delete(key);
        entries.set(key, entry);
      }
      return entry.value;
    },

    /** Stores the value unless a change came in since `readAt` (the version noted before the read). */
    set(
      key: string,
      value: V,
      { readAt, tags = [], expiresAt = Infinity }: { readAt: number; tags?: string[]; expiresAt?: number },
    ) {
      if (readAt < refuseBefore || tags.some((tag) => (droppedAt.get(tag) ?? 0) > readAt)) return false;
      remove(key);
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) remove(oldest.value);
      }
      const time = now();
      entries.set(key, { value, expiresAt: Math.min(expiresAt, time + maxAgeMs), tags, touchedAt: time });
      for (const tag of tags) {
        let keys = keysByTag.get(tag);
        if (!keys) {
          keys = new Set();
          keysByTag.set(tag, keys);
        }
        keys.add(key);
      }
      return true;
    },

    /**
     * The cached value, or `read`'s, stored as `set` would. Callers that miss at once share one read
     * (a page many requests want the moment it was dropped), as long as no change came in since it began.
     */
    load(key: string, read: () => Promise<V>, options: { tags?: string[]; expiresAt?: number } = {}): Promise<V> {
      const cached = this.get(key);
      if (cached !== undefined) return Promise.resolve(cached);
      const pending = reading.get(`${version}:${key}`) as Promise<V> | undefined;
      if (pending) return pending;
      const readAt = version;
      return this.track(
        [key],
        read().then((value) => {
          this.set(key, value, { ...options, readAt });
          return value;
        }),
      );
    },

    /**
     * Notes that `read` is reading these keys, begun at the current version, until it settles: callers
     * that miss them meanwhile can wait for it (`readsOf`) rather than read them again.
     */
    track<T>(keys: readonly string[], read: Promise<T>): Promise<T> {
      const flights = keys.map((key) => `${version}:${key}`);
      for (const flight of flights) reading.set(flight, read);
      return read.finally(() => {
        for (const flight of flights) if (reading.get(flight) === read) reading.delete(flight);
      });
    },

    /** The reads in flight of any of these keys that began with no change since. */
    readsOf(keys: readonly string[]): Promise<unknown>[] {
      const reads = new Set<Promise<unknown>>();
      for (const key of keys) {
        const read = reading.get(`${version}:${key}`);
        if (read) reads.add(read);
      }
      return [...reads];
    },

    /** Drops the entries with this tag. */
    invalidate(tag: string) {
      version += 1;
      droppedAt.delete(tag);
      droppedAt.set(tag, version);
      if (droppedAt.size > REMEMBERED_DROPS) {
        const [oldest, at] = droppedAt.entries().next().value as [string, number];
        droppedAt.delete(oldest);
        refuseBefore = Math.max(refuseBefore, at);
      }
      for (const key of [...(keysByTag.get(tag) ?? [])]) remove(key);
    },

    clear() {
      version += 1;
      droppedAt.clear();
      refuseBefore = version;
      entries.clear();
      keysByTag.clear();
    },

    get size() {
      return entries.size;
    },
  };
}

export type TaggedCache<V> = ReturnType<typeof createTaggedCache<V>>;
