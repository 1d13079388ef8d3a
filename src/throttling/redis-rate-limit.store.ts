import { Logger, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
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

type WithHitCommand = Redis & {
  rateLimitHit(key: string, ttl: number): Promise<[number, number]>;
};

/** A slow Redis costs a request at most this much before it is counted here instead. */
const COMMAND_TIMEOUT_MS = 250;
/** While Redis is failing, one request a second tries it; the others are counted here. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Counters shared by every instance through Redis. When Redis does not answer the API fails
 * open, but not unlimited: each instance counts in its own memory (so a client gets about
 * N × the limit across N instances), logs one warning per outage and counts the requests so
 * handled (GET /health/ready). No request waits for a reconnect, nor longer than
 * COMMAND_TIMEOUT_MS for an answer. ioredis reconnects by itself; the next request after that
 * is counted in Redis again.
 */
export class RedisRateLimitStore extends RateLimitStore implements OnApplicationShutdown {
  private readonly logger = new Logger(RedisRateLimitStore.name);
  private readonly local: MemoryRateLimitStore;
  private fallbacks = 0;
  private down = false;
  private retryAt = 0;

  private constructor(private readonly redis: WithHitCommand) {
    super();
    this.local = new MemoryRateLimitStore();
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    redis.on('error', (error: Error) => this.markDown(error));
    redis.on('ready', () => this.markUp());
  }

  static async connect(url: string): Promise<RedisRateLimitStore> {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: 2_000,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Never queue a request's hit behind a reconnect: count it here instead.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      keepAlive: 10_000,
    }) as WithHitCommand;
    const store = new RedisRateLimitStore(redis);
    await redis.connect();
    return store;
  }

  async increment(key: string, ttl: number, limit: number): Promise<RateLimitRecord> {
    if (this.redis.status === 'ready' && Date.now() >= this.retryAt) {
      // While down, this request is the one probe: the others count here meanwhile.
      if (this.down) this.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
      try {
        const [hits, msLeft] = await this.redis.rateLimitHit(KEY_PREFIX + key, ttl);
        this.markUp();
        return windowRecord(hits, msLeft, limit);
      } catch (error) {
        this.markDown(error as Error);
        // A Redis that stopped answering but kept the connection (paused, overloaded) would run
        // the timed-out hits later, counting them twice: drop them with the connection.
        if ((error as Error).message.includes('timed out')) this.redis.disconnect(true);
      }
    }
    this.fallbacks += 1;
    return this.local.hit(key, ttl, limit);
  }

  status(): RateLimitStoreStatus {
    return {
      store: 'redis',
      redis: this.redis.status === 'ready' && !this.down ? 'up' : 'down',
      localFallbacks: this.fallbacks,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private markDown(error: Error): void {
    this.retryAt = Date.now() + RETRY_AFTER_FAILURE_MS;
    if (this.down) return;
    this.down = true;
    this.logger.warn(
      `Redis is not answering (${error.message}): rate limits are counted per instance until it returns`,
    );
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.retryAt = 0;
    this.logger.log('Redis answers again: rate limits are shared by every instance');
  }
}
