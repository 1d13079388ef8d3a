import { OnApplicationShutdown } from '@nestjs/common';
import { FailOpenRedis } from './fail-open-redis';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import {
  RateLimitRecord,
  RateLimitStore,
  RateLimitStoreStatus,
  windowRecord,
} from './rate-limit.store';

const KEY_PREFIX = 'latchkey:rate:';

/**
 * One round trip per request: count the hit and read the window's time left, starting the
 * window on the first hit. A Lua script is atomic in Redis, so N instances together allow
 * exactly the limit. (@nest-lab/throttler-storage-redis keeps a separate block that outlives a
 * raised limit, and sends its script in full with every call; this one is sent once, then run
 * by its SHA.)
 */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {hits, left}
`;

/**
 * Counters shared by every instance through Redis. When Redis does not answer the API fails
 * open, but not unlimited: each instance counts in its own memory (so a client gets about
 * N × the limit across N instances) and counts the requests so handled (GET /health/ready).
 */
export class RedisRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
  private readonly local = new MemoryRateLimitStore();
  private readonly hit: (key: string, ttl: number) => Promise<[number, number]>;
  private fallbacks = 0;

  private constructor(private readonly redis: FailOpenRedis) {
    super();
    this.hit = redis.script('rateLimitHit', HIT_SCRIPT);
  }

  static async connect(url: string): Promise<RedisRateLimitStore> {
    const redis = await FailOpenRedis.connect(url, RedisRateLimitStore.name, {
      whileDown: 'rate limits are counted per instance until it returns',
      whenBack: 'rate limits are shared by every instance',
    });
    return new RedisRateLimitStore(redis);
  }

  async increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    const answer = await this.redis.run(() => this.hit(KEY_PREFIX + key, ttl));
    if (answer) return windowRecord(answer[0], answer[1], limit);
    this.fallbacks += 1;
    return this.local.hit(key, ttl, limit);
  }

  status(): RateLimitStoreStatus {
    return {
      store: 'redis',
      redis: this.redis.up ? 'up' : 'down',
      localFallbacks: this.fallbacks,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.redis.quit();
  }
}
