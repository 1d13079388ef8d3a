import { LoadingCache } from './loading-cache';

/** A loader over a table the test changes, counting its reads, each taking a tick. */
function table(rows: Record<string, { role: string; tenant: string }>) {
  const reads: string[] = [];
  const load = async (key: string) => {
    reads.push(key);
    const row = rows[key] ? { ...rows[key] } : undefined;
    await new Promise((resolve) => setImmediate(resolve));
    return row;
  };
  return { rows, reads, load };
}

describe('LoadingCache', () => {
  it('loads a key once, then answers from memory synchronously', async () => {
    const db = table({ a: { role: 'admin', tenant: 't1' } });
    const cache = new LoadingCache(db.load, { max: 10, ttlMs: 60_000 });
    expect(await cache.get('a')).toEqual({ role: 'admin', tenant: 't1' });
    expect(cache.get('a')).toEqual({ role: 'admin', tenant: 't1' });
    expect(db.reads).toEqual(['a']);
  });

  it('shares one load between concurrent misses of a key', async () => {
    const db = table({ a: { role: 'admin', tenant: 't1' } });
    const cache = new LoadingCache(db.load, { max: 10, ttlMs: 60_000 });
    await Promise.all([cache.get('a'), cache.get('a'), cache.get('a')]);
    expect(db.reads).toEqual(['a']);
  });

  it('remembers a miss only when asked to, and only for missTtlMs', async () => {
    const db = table({});
    const remembering = new LoadingCache(db.load, { max: 10, ttlMs: 60_000, missTtlMs: 5_000 });
    expect(await remembering.get('x')).toBeUndefined();
    expect(remembering.get('x')).toBeUndefined();
    expect(db.reads).toEqual(['x']);

    const forgetting = new LoadingCache(db.load, { max: 10, ttlMs: 60_000 });
    await forgetting.get('x');
    await forgetting.get('x');
    expect(db.reads).toEqual(['x', 'x', 'x']);
  });

  it('reads a key again after it is invalidated, and a miss once the row appears', async () => {
    const db = table({ a: { role: 'admin', tenant: 't1' } });
    const cache = new LoadingCache(db.load, { max: 10, ttlMs: 60_000, missTtlMs: 5_000 });
    await cache.get('a');
    await cache.get('b');
    db.rows.a.role = 'viewer';
    db.rows.b = { role: 'member', tenant: 't1' };
    cache.invalidate('a');
    cache.invalidate('b');
    expect(await cache.get('a')).toEqual({ role: 'viewer', tenant: 't1' });
    expect(await cache.get('b')).toEqual({ role: 'member', tenant: 't1' });
  });

  it('hands a load that raced an invalidation to its waiters but does not keep it', async () => {
    const db = table({ a: { role: 'admin', tenant: 't1' } });
    const cache = new LoadingCache(db.load, { max: 10, ttlMs: 60_000 });
    const inFlight = cache.get('a');
    db.rows.a.role = 'viewer';
    cache.invalidate('a');
    expect(await inFlight).toEqual({ role: 'admin', tenant: 't1' });
    expect(await cache.get('a')).toEqual({ role: 'viewer', tenant: 't1' });
    expect(db.reads).toEqual(['a', 'a']);
  });

  it('drops the entries that match a wide change, and everything on clear()', async () => {
    const db = table({
      a: { role: 'admin', tenant: 't1' },
      b: { role: 'admin', tenant: 't2' },
    });
    const cache = new LoadingCache(db.load, { max: 10, ttlMs: 60_000 });
    await cache.get('a');
    await cache.get('b');
    cache.invalidateWhere((row) => row.tenant === 't1');
    await cache.get('a');
    await cache.get('b');
    expect(db.reads).toEqual(['a', 'b', 'a']);
    cache.clear();
    await cache.get('b');
    expect(db.reads).toEqual(['a', 'b', 'a', 'b']);
  });

  it('lets a failed load fail its waiters and tries again on the next lookup', async () => {
    let fail = true;
    const cache = new LoadingCache(
      () => (fail ? Promise.reject(new Error('down')) : Promise.resolve({ ok: true })),
      { max: 10, ttlMs: 60_000, missTtlMs: 5_000 },
    );
    await expect(cache.get('a')).rejects.toThrow('down');
    fail = false;
    expect(await cache.get('a')).toEqual({ ok: true });
  });
});
