import { OnApplicationShutdown } from '@nestjs/common';
import {
  RateLimitRecord,
  RateLimitStore,
  RateLimitStoreStatus,
  windowRecord,
} from './rate-limit.store';

interface Window {
  hits: number;
  endsAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;
/** Beyond this many live trackers the oldest are dropped (only a flood of clients gets here). */
const MAX_TRACKERS = 1_000_000;

/**
 * Counters for a single instance. One small record per tracker, whatever its limit (the stock
 * in-memory storage keeps a timestamp per hit), and one sweep timer that deletes ended windows,
 * so memory follows the number of clients active in the last minute and returns to baseline.
 */
export class MemoryRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {
    super();
    this.sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    return Promise.resolve(this.hit(key, ttl, limit));
  }

  /** The synchronous core, for callers that must not wait (the Redis store's fallback). */
  hit(key: string, ttl: number, limit: number): RateLimitRecord {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      if (!window && this.windows.size >= MAX_TRACKERS) this.makeRoom();
      window = { hits: 0, endsAt: now + ttl };
      this.windows.set(key, window);
    }
    window.hits += 1;
    return windowRecord(window.hits, window.endsAt - now, limit);
  }

  /** Live trackers: what the memory test watches. */
  get size(): number {
    return this.windows.size;
  }

  status(): RateLimitStoreStatus {
    return { store: 'memory' };
  }

  /** Deletes every ended window. */
  sweep(): void {
    const now = this.now();
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (window.endsAt <= now) this.windows.delete(key);
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.windows.clear();
  }

  /** When full: a sweep at most once a second, else the oldest tracker goes. */
  private makeRoom(): void {
    if (this.now() - this.lastSweep >= 1_000) this.sweep();
    if (this.windows.size < MAX_TRACKERS) return;
    // A Map iterates in insertion order: drop the tracker that was added first.
    const oldest = this.windows.keys().next().value;
    if (oldest !== undefined) this.windows.delete(oldest);
  }
}
