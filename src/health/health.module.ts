import { Module } from '@nestjs/common';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';

@Module({
  imports: [ThrottlingModule],
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
