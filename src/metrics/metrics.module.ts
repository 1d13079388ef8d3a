import { Module } from '@nestjs/common';
import { OperatorGuard } from '@/tenants/operator/operator.guard';
import { ThrottlingModule } from '@/throttling/throttling.module';
import { MetricsController } from './metrics.controller';

/** GET /api/operator/metrics: what an operator (or the benchmark) reads off one instance. */
@Module({
  imports: [ThrottlingModule],
  controllers: [MetricsController],
  providers: [OperatorGuard],
})
export class MetricsModule {}
