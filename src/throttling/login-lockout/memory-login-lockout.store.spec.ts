import { MAX_PAIRS, MemoryLoginLockoutStore } from './memory-login-lockout.store';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('MemoryLoginLockoutStore', () => {
  let time = 1_000_000;
  let store: MemoryLoginLockoutStore;
  beforeEach(() => (store = new MemoryLoginLockoutStore({ now: () => time })));
  afterEach(() => store.onApplicationShutdown());

  /** lru-cache reads its clock at most once a millisecond: let a real one pass. */
  const later = async (ms: number) => {
    time += ms;
    await new Promise((resolve) => setTimeout(resolve, 2));
  };
  const fail = (key: string, times = 1) => {
    for (let n = 0; n < times; n++) store.attemptNow(key, time);
  };

  it('forgets a pair once stale: 15 minutes after a first failure, 24 h after a last lockout', async () => {
    fail('a');
    fail('b', 5);
    await later(15 * MINUTE - 1);
    store.sweep();
    expect(store.size).toBe(2);
    await later(2);
    store.sweep();
    expect(store.size).toBe(1);
    await later(MINUTE + 24 * HOUR);
    store.sweep();
    expect(store.size).toBe(0);
    expect(store.attemptNow('b', time)).toEqual({ allowed: true });
  });

  it('forgets a pair that signs in', async () => {
    fail('a', 4);
    await store.clear('a');
    expect(store.size).toBe(0);
    fail('a', 4);
    expect(store.attemptNow('a', time)).toMatchObject({ lockout: { firstLockout: true } });
  });

  it(`keeps at most ${MAX_PAIRS} pairs, dropping the least recently tried`, () => {
    fail('first', 5);
    for (let n = 0; n < MAX_PAIRS; n++) fail(`pair ${n}`);
    expect(store.size).toBe(MAX_PAIRS);
    expect(store.attemptNow('first', time)).toEqual({ allowed: true });
  });
});
