import { Module } from '@nestjs/common';
import { AppConfig } from '@/config/app-config';
import { LoginLockout } from './login-lockout/login-lockout';
import { LoginLockoutStore } from './login-lockout/login-lockout.store';
import { MemoryLoginLockoutStore } from './login-lockout/memory-login-lockout.store';
import { RedisLoginLockoutStore } from './login-lockout/redis-login-lockout.store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/**
 * Plan-based rate limits (DESIGN.md section 5) and the lockout of logins under attack (section
 * 8). Counters and lockout records live in this process, or in Redis when REDIS_URL is set so
 * that every instance shares them. AuthModule's access guard counts each request between
 * authentication and authorisation; AuthService asks LoginLockout before checking a password.
 */
@Module({
  providers: [
    {
      provide: RateLimitStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Promise<RateLimitStore> | RateLimitStore =>
        config.redisUrl ? RedisRateLimitStore.connect(config.redisUrl) : new MemoryRateLimitStore(),
    },
    {
      provide: LoginLockoutStore,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Promise<LoginLockoutStore> | LoginLockoutStore =>
        config.redisUrl
          ? RedisLoginLockoutStore.connect(config.redisUrl)
          : new MemoryLoginLockoutStore(),
    },
    RateLimiter,
    LoginLockout,
  ],
  exports: [RateLimiter, RateLimitStore, LoginLockout],
})
export class ThrottlingModule {}
