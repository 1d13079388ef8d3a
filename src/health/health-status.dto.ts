import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class HealthStatusDto {
  @ApiProperty({ example: 'ok' })
  status: 'ok';
}

export class RateLimitStatusDto {
  @ApiProperty({
    enum: ['memory', 'redis'],
    description: 'Where the counters live: this process, or Redis (shared by every instance)',
  })
  store: 'memory' | 'redis';

  @ApiPropertyOptional({
    enum: ['up', 'down'],
    description: 'With Redis: whether it answers. Down: each instance counts on its own',
  })
  redis?: 'up' | 'down';

  @ApiPropertyOptional({
    description: 'With Redis: requests counted in this process because Redis did not answer',
  })
  localFallbacks?: number;
}

export class ReadinessDto extends HealthStatusDto {
  @ApiProperty({ type: RateLimitStatusDto })
  rateLimits: RateLimitStatusDto;
}
