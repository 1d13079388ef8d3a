import { Global, Module } from '@nestjs/common';
import { InMemoryInvalidationBus, InvalidationBus } from './invalidation.bus';

@Global()
@Module({
  providers: [{ provide: InvalidationBus, useClass: InMemoryInvalidationBus }],
  exports: [InvalidationBus],
})
export class InvalidationModule {}
