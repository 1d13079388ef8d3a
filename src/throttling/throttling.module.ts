import { Module } from '@nestjs/common';
import { AppConfig } from '@/config/app-config';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Plan-based rate limits (DESIGN.md section 5). The counters live in this process, or in Redis
 * when REDIS_URL is set so that every instance shares them, behind @nestjs/throttler's storage
 * interface. AuthModule's access guard counts each request between authentication and
 * authorisation.
 */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Promise<RateLimitStore> | RateLimitStore =>
        config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl) : new MemoryRateLimitStore(),
    },
    RateLimiter,
  ],
  exports: [RateLimiter, RateLimitStore],
})
export class ThrottlingModule {}
