import { LRUCache } from 'lru-cache';
import { SingleFlight } from './single-flight';

export interface LoadingCacheOptions {
  /** Entries kept at most; the least recently used go first. */
  max: number;
  /** A backstop only: invalidations drop entries at once, this heals a missed one. */
  ttlMs: number;
  /** How long a key the loader found nothing for is remembered; unset: not at all. */
  missTtlMs?: number;
}

/**
 * A bounded, expiring cache in front of a loader, for the request path: a warm lookup costs no
 * I/O (and is answered synchronously), concurrent misses of one key share one load, and a load
 * that raced an invalidation is handed to its waiters but not kept, since it may have read the
 * row before the change.
 */
export class LoadingCache<K extends object | string, V extends object> {
  private readonly entries: LRUCache<K, V>;
  private readonly misses?: LRUCache<K, true>;
  private readonly loads = new SingleFlight<K, V | undefined>();
  /** Bumped by every invalidation: a load that started before one is not kept. */
  private generation = 0;

  constructor(
    private readonly load: (key: K) => Promise<V | undefined>,
    options: LoadingCacheOptions,
  ) {
    this.entries = new LRUCache<K, V>({ max: options.max, ttl: options.ttlMs });
    if (options.missTtlMs) {
      this.misses = new LRUCache<K, true>({ max: options.max, ttl: options.missTtlMs });
    }
  }

  get(key: K): V | undefined | Promise<V | undefined> {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    if (this.misses?.has(key)) return undefined;
    return this.loads.run(key, () => this.fill(key));
  }

  /** `key` changed: later lookups read it again. */
  invalidate(key: K): void {
    this.generation++;
    this.entries.delete(key);
    this.misses?.delete(key);
    this.loads.forget(key);
  }

  /** Every entry whose value matches changed (a scan: for rare, wide changes). */
  invalidateWhere(changed: (value: V) => boolean): void {
    this.generation++;
    this.loads.clear();
    for (const [key, value] of this.entries.entries()) {
      if (changed(value)) this.entries.delete(key);
    }
  }

  /** Anything may have changed (a missed invalidation). */
  clear(): void {
    this.generation++;
    this.entries.clear();
    this.misses?.clear();
    this.loads.clear();
  }

  private async fill(key: K): Promise<V | undefined> {
    const generation = this.generation;
    const value = await this.load(key);
    if (generation !== this.generation) return value;
    if (value === undefined) this.misses?.set(key, true);
    else this.entries.set(key, value);
    return value;
  }
}
