import { Module } from '@nestjs/common';
import { getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { AppConfig } from '@/config/app-config';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.options';
import { RateLimitStore } from './rate-limit.store';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Plan-based rate limits (DESIGN.md section 5) on @nestjs/throttler. The counters live in this
 * process, or in Redis when REDIS_URL is set so that every instance shares them. The guard is
 * installed by AuthModule, between authentication and authorisation.
 */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Promise<RateLimitStore> | RateLimitStore =>
        config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl) : new MemoryRateLimitStore(),
    },
    { provide: getStorageToken(), useExisting: RateLimitStore },
    { provide: getOptionsToken(), inject: [AppConfig], useFactory: rateLimitOptions },
    RateLimitGuard,
  ],
  exports: [RateLimitGuard, RateLimitStore],
})
export class ThrottlingModule {}
