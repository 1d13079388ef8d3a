import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StatementCounter } from '@/database/statement-counter';
import { Mailer } from '@/mail/mailer.service';
import { OperatorOnly } from '@/tenants/operator/operator-only.decorator';
import { RateLimitStore } from '@/throttling/rate-limit.store';
import { MetricsDto } from './metrics.dto';

@ApiTags('operator')
@OperatorOnly()
@Controller('operator/metrics')
export class MetricsController {
  constructor(
    private readonly statements: StatementCounter,
    private readonly rateLimits: RateLimitStore,
    private readonly mailer: Mailer,
  ) {}

  @Get()
  @ApiOperation({
    summary: "This instance's counters: memory, SQL statements, rate-limit store, mail",
  })
  @ApiOkResponse({ type: MetricsDto })
  get(): MetricsDto {
    const { rss, heapUsed } = process.memoryUsage();
    return {
      uptimeSeconds: Math.round(process.uptime()),
      memory: { rssBytes: rss, heapUsedBytes: heapUsed },
      sqlStatements: this.statements.statements,
      rateLimits: this.rateLimits.status(),
      mail: this.mailer.stats(),
    };
  }
}
