// The in-memory store of the rate limits: rate-limiter-flexible's own limiter logic (consume, reward,
// get, delete) on a store that holds at most RATE_LIMIT_MEMORY_MAX_KEYS windows. The library's
// RateLimiterMemory keeps every key it is given, with a timer each; one client sending new emails or
// addresses would grow it without end, and a plain "drop the oldest" cap let a flood of junk keys push
// out the counts that matter (a victim's guesses, the flooder's own window). Here, when a new window
// needs room:
// 1. expired windows go first;
// 2. then the oldest window that has not reached its limit (its count restarts: the price of a bound);
// 3. a window that has reached its limit is never dropped: with nothing else to drop, the new window is
//    refused (MemoryStoreFull, answered RATE_LIMITED). Limits fail closed, never open.
import { createRequire } from 'node:module';
import { RateLimiterRes, type RateLimiterStoreAbstract as StoreAbstract } from 'rate-limiter-flexible';

// The base class of the library's store limiters. Its types declare it on the package, but index.js
// does not export it; the library's docs point custom stores at lib/.
const RateLimiterStoreAbstract: typeof StoreAbstract = createRequire(import.meta.url)(
  'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js',
);

interface Window {
  value: number;
  /** Epoch ms; null for a window without expiry (a count of things in flight). */
  expiresAt: number | null;
  /** The limit of the limiter that opened it: at or past it the window is kept whatever the pressure. */
  limit: number;
}

/** What `_upsert` and `_get` hand rate-limiter-flexible's `_getRateLimiterRes`. */
interface StoredCount {
  consumed: number;
  msBeforeNext: number;
}

/** No room for a new window: every window in the store is live and at its limit. */
export class MemoryStoreFull extends Error {
  override readonly name = 'MemoryStoreFull';
  constructor(
    readonly retryAfterMs: number,
    /** The first refusal since a window last found room: worth a log line, the next ones are not. */
    readonly firstSinceRoom: boolean,
  ) {
    super('The in-memory rate limit store is full of windows at their limit.');
  }
}

export interface MemoryWindowsOptions {
  maxKeys: number;
  now?: () => number;
  /** How often expired windows are dropped, so idle ones do not wait for the store to fill. */
  pruneIntervalMs?: number;
}

/** The windows of every in-memory limiter of an app instance, under one cap. */
export class MemoryWindows {
  // Two maps, so that finding a window to drop never walks past the protected ones: insertion order
  // makes the first key of `open` the oldest window below its limit.
  private readonly open = new Map<string, Window>();
  private readonly atLimit = new Map<string, Window>();
  /** No window expires before this; a sweep before then would find nothing. */
  private nextExpiry = Number.POSITIVE_INFINITY;
  /** Whether a window still expires at nextExpiry (false once that window is dropped early). */
  private nextExpiryExact = true;
  /** The last new window was refused for want of room. */
  private full = false;
  private readonly timer: NodeJS.Timeout;
  readonly maxKeys: number;
  private readonly now: () => number;

  constructor({ maxKeys, now = Date.now, pruneIntervalMs = 60_000 }: MemoryWindowsOptions) {
    this.maxKeys = maxKeys;
    this.now = now;
    this.timer = setInterval(() => this.prune(), pruneIntervalMs).unref();
  }

  get size(): number {
    return this.open.size + this.atLimit.size;
  }

  /** Adds `points` (negative: takes them back) to the window, opening it when it is missing or expired. */
  upsert(key: string, points: number, msDuration: number, forceExpire: boolean, limit: number): StoredCount {
    const now = this.now();
    let window = this.live(key, now);
    if (!window || forceExpire) {
      // Taking points back never opens a window: there is nothing to take them from.
      if (!window && points < 0 && !forceExpire) return { consumed: 0, msBeforeNext: 0 };
      if (!window) this.makeRoom(now);
      window = { value: 0, expiresAt: msDuration > 0 ? now + msDuration : null, limit };
      if (window.expiresAt !== null && window.expiresAt < this.nextExpiry) {
        this.nextExpiry = window.expiresAt;
        this.nextExpiryExact = true;
      }
      this.forget(key);
      this.place(key, window);
    }
    window.value = forceExpire ? points : window.value + points;
    if (points < 0 && window.value <= 0) {
      // Everything taken back: an empty window keeps nobody out, and holding it would only take room.
      this.forget(key);
      return { consumed: 0, msBeforeNext: 0 };
    }
    this.settle(key, window);
    return { consumed: window.value, msBeforeNext: msBefore(window, now) };
  }

  get(key: string): StoredCount | null {
    const now = this.now();
    const window = this.live(key, now);
    return window ? { consumed: window.value, msBeforeNext: msBefore(window, now) } : null;
  }

  delete(key: string): boolean {
    return this.forget(key);
  }

  /** Drops every expired window. */
  prune(now = this.now()): void {
    let next = Number.POSITIVE_INFINITY;
    for (const windows of [this.open, this.atLimit]) {
      for (const [key, window] of windows) {
        if (window.expiresAt === null) continue;
        if (window.expiresAt <= now) windows.delete(key);
        else next = Math.min(next, window.expiresAt);
      }
    }
    this.nextExpiry = next;
    this.nextExpiryExact = true;
  }

  close(): void {
    clearInterval(this.timer);
    this.open.clear();
    this.atLimit.clear();
  }

  private live(key: string, now: number): Window | undefined {
    const window = this.open.get(key) ?? this.atLimit.get(key);
    if (window?.expiresAt != null && window.expiresAt <= now) {
      this.forget(key);
      return undefined;
    }
    return window;
  }

  private makeRoom(now: number): void {
    if (this.size >= this.maxKeys && now >= this.nextExpiry) this.prune(now);
    const oldest = this.open.keys().next();
    if (this.size >= this.maxKeys && !oldest.done) this.forget(oldest.value);
    if (this.size < this.maxKeys) {
      this.full = false;
      return;
    }
    // The hint must name a window that is still there: recount once after early drops, not per refusal.
    if (!this.nextExpiryExact) this.prune(now);
    const retryAfterMs = Number.isFinite(this.nextExpiry) ? this.nextExpiry - now : 1000;
    const firstSinceRoom = !this.full;
    this.full = true;
    throw new MemoryStoreFull(Math.max(1000, retryAfterMs), firstSinceRoom);
  }

  /** Keeps the window in the map that matches its count. */
  private settle(key: string, window: Window): void {
    const reached = window.value >= window.limit;
    if (reached === this.atLimit.has(key)) return;
    this.forget(key);
    this.place(key, window);
  }

  private place(key: string, window: Window): void {
    (window.value >= window.limit ? this.atLimit : this.open).set(key, window);
  }

  private forget(key: string): boolean {
    const window = this.open.get(key) ?? this.atLimit.get(key);
    if (!window) return false;
    if (window.expiresAt === this.nextExpiry) this.nextExpiryExact = false;
    return this.open.delete(key) || this.atLimit.delete(key);
  }
}

function msBefore(window: Window, now: number): number {
  return window.expiresAt === null ? -1 : window.expiresAt - now;
}

export interface MemoryLimiterOptions {
  windows: MemoryWindows;
  keyPrefix: string;
  points: number;
  duration: number;
}

/**
 * A rate-limiter-flexible store limiter on MemoryWindows, as the library's README describes custom stores:
 * RateLimiterStoreAbstract holds the limiter logic; this class only reads and writes counts.
 */
export class RateLimiterBoundedMemory extends RateLimiterStoreAbstract {
  private readonly windows: MemoryWindows;

  constructor({ windows, ...options }: MemoryLimiterOptions) {
    super({ ...options, storeClient: windows });
    this.windows = windows;
  }

  _getRateLimiterRes(_rlKey: string, changedPoints: number, stored: StoredCount): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(this.points - stored.consumed, 0),
      stored.msBeforeNext,
      stored.consumed,
      stored.consumed === changedPoints,
    );
  }

  async _upsert(rlKey: string, points: number, msDuration: number, forceExpire = false): Promise<StoredCount> {
    return this.windows.upsert(rlKey, points, msDuration, forceExpire, this.points);
  }

  async _get(rlKey: string): Promise<StoredCount | null> {
    return this.windows.get(rlKey);
  }

  async _delete(rlKey: string): Promise<boolean> {
    return this.windows.delete(rlKey);
  }
}
