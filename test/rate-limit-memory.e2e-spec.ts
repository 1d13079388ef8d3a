import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const STORE = join(__dirname, '..', 'dist', 'throttling', 'memory-rate-limit.store.js');

/**
 * Drives 100,000 distinct trackers through the built in-memory store, in a process of its own
 * (so no other test's garbage blurs the heap), and reports the heap after full collections.
 */
const PROBE = `
const { MemoryRateLimitStore } = require(${JSON.stringify(STORE)});
let now = 0;
const store = new MemoryRateLimitStore(() => now);
const heap = () => { for (let i = 0; i < 4; i++) gc(); return process.memoryUsage().heapUsed; };
(async () => {
  const baseline = heap();
  for (let i = 0; i < 100000; i++) {
    await store.increment('ip:10.' + (i >> 16) + '.' + ((i >> 8) & 255) + '.' + (i & 255), 60000, 60);
  }
  const peak = heap();
  const live = store.size;
  now += 60000;
  store.sweep();
  const after = heap();
  console.log(JSON.stringify({ baseline, peak, after, live, left: store.size }));
  store.onApplicationShutdown();
})();
`;

describe('The in-memory rate-limit store', () => {
  it('returns to its baseline heap once 100,000 trackers have ended their window', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '-e', PROBE]);
    const { baseline, peak, after, live, left } = JSON.parse(stdout) as Record<string, number>;
    const MB = 1024 * 1024;
    expect(live).toBe(100_000);
    expect(peak - baseline).toBeGreaterThan(5 * MB);
    expect(left).toBe(0);
    expect(after - baseline).toBeLessThan(1 * MB);
  });
});
