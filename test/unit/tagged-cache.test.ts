// The tagged cache under the session and feed caches: eviction by tag, and no stale store after a change.
import { describe, expect, it } from 'vitest';
import { createTaggedCache } from '../../src/infra/tagged-cache.ts';

describe('createTaggedCache', () => {
  it('drops entries by tag, and only those', () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    cache.set('t1', 'alice', { readAt: cache.version, tags: ['user:a', 'session:1'] });
    cache.set('t2', 'alice again', { readAt: cache.version, tags: ['user:a', 'session:2'] });
    cache.set('t3', 'bob', { readAt: cache.version, tags: ['user:b', 'session:3'] });
    cache.invalidate('session:1');
    expect([cache.get('t1'), cache.get('t2'), cache.get('t3')]).toEqual([undefined, 'alice again', 'bob']);
    cache.invalidate('user:a');
    expect([cache.get('t2'), cache.get('t3')]).toEqual([undefined, 'bob']);
  });

  it('refuses to store a value read before a change', () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    const readAt = cache.version;
    // A change lands while the value is being read...
    cache.invalidate('user:a');
    // ...so what was read may be stale, and is not kept.
    expect(cache.set('t1', 'stale', { readAt, tags: ['user:a'] })).toBe(false);
    expect(cache.get('t1')).toBeUndefined();
  });

  it('keeps a value read while other tags were dropped; refuses one read before a clear', () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    const readAt = cache.version;
    // Another post's like lands meanwhile: this read is not about it.
    cache.invalidate('post:other');
    expect(cache.set('p:mine', 'fresh', { readAt, tags: ['post:mine'] })).toBe(true);
    expect(cache.get('p:mine')).toBe('fresh');
    const beforeClear = cache.version;
    cache.clear();
    expect(cache.set('p:mine', 'stale', { readAt: beforeClear, tags: ['post:mine'] })).toBe(false);
    expect(cache.set('untagged', 'stale', { readAt: beforeClear })).toBe(false);
  });

  it('refuses a read begun before a drop it no longer remembers (after 10,000 later drops)', () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    const readAt = cache.version;
    cache.invalidate('post:mine');
    for (let i = 0; i < 10_000; i += 1) cache.invalidate(`post:${i}`);
    expect(cache.set('p:mine', 'stale', { readAt, tags: ['post:mine'] })).toBe(false);
    // Begun after all of them: kept.
    expect(cache.set('p:mine', 'fresh', { readAt: cache.version, tags: ['post:mine'] })).toBe(true);
  });

  it('expires entries at their own expiry or maxAgeMs, whichever comes first, and holds at most maxEntries', () => {
    let now = 0;
    const cache = createTaggedCache<number>({ maxEntries: 2, maxAgeMs: 1000, now: () => now });
    cache.set('short', 1, { readAt: cache.version, expiresAt: 500 });
    cache.set('long', 2, { readAt: cache.version, expiresAt: 10_000 });
    now = 600;
    expect([cache.get('short'), cache.get('long')]).toEqual([undefined, 2]);
    now = 1000;
    expect(cache.get('long')).toBeUndefined();
    for (const key of ['x', 'y', 'z']) cache.set(key, 0, { readAt: cache.version });
    expect(cache.size).toBe(2);
    expect(cache.get('x')).toBeUndefined();
  });

  it('load: misses at once share one read; a miss after a change reads again; a failed read is not kept', async () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    let reads = 0;
    let open = () => {};
    const gate = { promise: new Promise<void>((resolve) => (open = resolve)) };
    const read = async () => {
      reads += 1;
      const mine = reads;
      await gate.promise;
      return `read ${mine}`;
    };
    const together = [cache.load('page', read, { tags: ['posts'] }), cache.load('page', read)];
    // A change while the first read is in flight: a later miss does not take its (maybe stale) answer.
    cache.invalidate('posts');
    const after = cache.load('page', read);
    open();
    expect(await Promise.all([...together, after])).toEqual(['read 1', 'read 1', 'read 2']);
    expect(reads).toBe(2);
    // Read 1 began before the change and is not kept; read 2 is.
    expect(cache.get('page')).toBe('read 2');
    expect(await cache.load('page', read)).toBe('read 2');
    expect(reads).toBe(2);

    const failing = () => Promise.reject(new Error('down'));
    await expect(cache.load('other', failing)).rejects.toThrow('down');
    expect(await cache.load('other', async () => 'back')).toBe('back');
  });

  it('track and readsOf: a read in flight is found by its keys until it settles, and not after a change', async () => {
    const cache = createTaggedCache<string>({ maxEntries: 10, maxAgeMs: 60_000 });
    let finish!: () => void;
    const read = cache.track(['a', 'b'], new Promise<void>((resolve) => (finish = resolve)));
    expect(cache.readsOf(['b', 'c'])).toHaveLength(1);
    expect(cache.readsOf(['a', 'b'])).toHaveLength(1);
    expect(cache.readsOf(['c'])).toEqual([]);
    // A change came in after it began: it may not have seen it, so it is not shared any more.
    cache.invalidate('anything');
    expect(cache.readsOf(['a'])).toEqual([]);
    const later = cache.track(['a'], new Promise<void>((resolve) => setTimeout(resolve, 1)));
    expect(cache.readsOf(['a'])).toHaveLength(1);
    finish();
    await Promise.all([read, later]);
    expect(cache.readsOf(['a', 'b'])).toEqual([]);
  });
});
