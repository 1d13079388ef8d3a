/**
 * Concurrent loads of one key share a single call: when a cache entry expires under load, the
 * database sees one query, not one per request waiting for it. An invalidation forgets the
 * pending call, so requests after it start a fresh one.
 */
export class SingleFlight<K, V> {
  private readonly pending = new Map<K, Promise<V>>();

  run(key: K, load: () => Promise<V>): Promise<V> {
    let call = this.pending.get(key);
    if (!call) {
      call = load().finally(() => {
        if (this.pending.get(key) === call) this.pending.delete(key);
      });
      this.pending.set(key, call);
    }
    return call;
  }

  forget(key: K): void {
    this.pending.delete(key);
  }

  clear(): void {
    this.pending.clear();
  }
}
