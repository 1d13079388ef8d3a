import { ThrottlerStorage } from '@nestjs/throttler';

/** What a store answers for one hit (the throttler's record type, which it does not export). */
export type RateLimitRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** What /health/ready reports about the counters. */
export interface RateLimitStoreStatus {
  /** Where the counters live: this process, or Redis (shared by every instance). */
  store: 'memory' | 'redis';
  /** With Redis: whether it answers right now. */
  redis?: 'up' | 'down';
  /** Requests counted in this process because Redis did not answer, since start-up. */
  localFallbacks?: number;
}

/**
 * Fixed one-window counters behind @nestjs/throttler's storage interface. A request is refused
 * while its window holds more hits than the limit, and only until that window ends: lowering or
 * raising a limit takes effect on the next request, and `Retry-After` equals the reset time.
 * The throttler's blockDuration is therefore not used.
 */
export abstract class RateLimitStore implements ThrottlerStorage {
  abstract increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<RateLimitRecord>;

  abstract status(): RateLimitStoreStatus;
}

/** The record for `hits` in a window that ends in `msLeft` milliseconds. */
export function windowRecord(hits: number, msLeft: number, limit: number): RateLimitRecord {
  const secondsLeft = Math.max(1, Math.ceil(msLeft / 1000));
  const isBlocked = hits > limit;
  return {
    totalHits: hits,
    timeToExpire: secondsLeft,
    isBlocked,
    timeToBlockExpire: isBlocked ? secondsLeft : 0,
  };
}
