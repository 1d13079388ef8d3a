import { Global, Module } from '@nestjs/common';
import { AppConfig } from '@/config/app-config';
import { InMemoryInvalidationBus, InvalidationBus } from './invalidation.bus';
import { RedisInvalidationBus } from './redis-invalidation.bus';

/** One instance: in memory. With REDIS_URL: shared by every instance through pub/sub. */
@Global()
@Module({
  providers: [
    {
      provide: InvalidationBus,
      inject: [AppConfig],
      useFactory: (config: AppConfig): Promise<InvalidationBus> | InvalidationBus =>
        config.redisUrl
          ? RedisInvalidationBus.connect(config.redisUrl)
          : new InMemoryInvalidationBus(),
    },
  ],
  exports: [InvalidationBus],
})
export class InvalidationModule {}
