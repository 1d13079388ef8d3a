import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@/auth/decorators/public.decorator';
import { ErrorResponseDto } from '@/common/dto/error-response.dto';
import { RateLimitStore } from '@/throttling/rate-limit.store';
import { NotRateLimited } from '@/throttling/rate-limited.decorator';
import { HealthStatusDto, ReadinessDto } from './health-status.dto';
import { HealthService } from './health.service';

@ApiTags('health')
@Public()
@NotRateLimited()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly rateLimits: RateLimitStore,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ type: HealthStatusDto })
  live(): HealthStatusDto {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The process can serve: the database answers',
    description:
      'Also reports where rate-limit counters live. Redis being down does not make the ' +
      'instance unready: it counts requests on its own until Redis returns.',
  })
  @ApiOkResponse({ type: ReadinessDto })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto })
  async ready(): Promise<ReadinessDto> {
    await this.health.checkDatabase();
    return { status: 'ok', rateLimits: this.rateLimits.status() };
  }
}
