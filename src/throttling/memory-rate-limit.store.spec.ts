import { MemoryRateLimitStore } from './memory-rate-limit.store';

const MINUTE = 60_000;

function clock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('MemoryRateLimitStore', () => {
  let store: MemoryRateLimitStore;
  const time = clock();

  beforeEach(() => (store = new MemoryRateLimitStore(time.now)));
  afterEach(() => store.onApplicationShutdown());

  it('allows the limit in a window, refuses the next hit until the window ends', async () => {
    for (let hit = 1; hit <= 3; hit++) {
      expect(await store.increment('a', MINUTE, 3)).toEqual({
        totalHits: hit,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    }
    time.advance(15_500);
    expect(await store.increment('a', MINUTE, 3)).toEqual({
      totalHits: 4,
      timeToExpire: 45,
      isBlocked: true,
      timeToBlockExpire: 45,
    });
    time.advance(44_500);
    expect(await store.increment('a', MINUTE, 3)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps trackers apart', async () => {
    await store.increment('a', MINUTE, 1);
    expect((await store.increment('a', MINUTE, 1)).isBlocked).toBe(true);
    expect((await store.increment('b', MINUTE, 1)).isBlocked).toBe(false);
  });

  it('applies a changed limit to the next hit of the same window', async () => {
    for (let hit = 0; hit < 5; hit++) await store.increment('a', MINUTE, 100);
    expect((await store.increment('a', MINUTE, 5)).isBlocked).toBe(true);
    expect((await store.increment('a', MINUTE, 100)).isBlocked).toBe(false);
  });

  it('forgets ended windows when it sweeps', async () => {
    await store.increment('a', MINUTE, 1);
    time.advance(30_000);
    await store.increment('b', MINUTE, 1);
    time.advance(30_000);
    store.sweep();
    expect(store.size).toBe(1);
    time.advance(30_000);
    store.sweep();
    expect(store.size).toBe(0);
  });
});
