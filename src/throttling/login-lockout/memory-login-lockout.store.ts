import { OnApplicationShutdown } from '@nestjs/common';
import { LRUCache, Perf } from 'lru-cache';
import { AttemptVerdict, LockoutRecord, attempt, expiresAt } from './lockout-policy';
import { LoginLockoutStore } from './login-lockout.store';

const SWEEP_INTERVAL_MS = 60_000;
/**
 * Pairs kept at most (about 500 bytes each, measured: 50 MB in all): beyond, the least recently
 * tried are dropped. Only a flood from many addresses gets here; each is held to
 * UNAUTHENTICATED_RPM.
 */
export const MAX_PAIRS = 100_000;

/**
 * Lockout records of a single instance: one small record per (email, address) pair, dropped by a
 * sweep once stale (15 minutes after a first failure, 24 h after a last lockout), so memory
 * follows the pairs that failed recently.
 */
export class MemoryLoginLockoutStore extends LoginLockoutStore implements OnApplicationShutdown {
  private readonly records: LRUCache<string, LockoutRecord>;
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  /** `perf`: the clock that ages records, for tests; performance.now() otherwise. */
  constructor(perf?: Perf) {
    super();
    this.records = new LRUCache<string, LockoutRecord>({ max: MAX_PAIRS, ...(perf && { perf }) });
  }

  attempt(key: string, now: number): Promise<AttemptVerdict> {
    return Promise.resolve(this.attemptNow(key, now));
  }

  /** The synchronous core, for callers that must not wait (the Redis store's fallback). */
  attemptNow(key: string, now: number): AttemptVerdict {
    const { record, verdict } = attempt(this.records.get(key), now);
    // Expiry by lru-cache's own clock is only the sweep's: the policy reads times against `now`.
    this.records.set(key, record, { ttl: Math.max(1, expiresAt(record) - now) });
    return verdict;
  }

  clear(key: string): Promise<void> {
    this.records.delete(key);
    return Promise.resolve();
  }

  /** Pairs kept: what the tests watch. */
  get size(): number {
    return this.records.size;
  }

  /** Drops every stale record. */
  sweep(): void {
    this.records.purgeStale();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.records.clear();
  }
}
