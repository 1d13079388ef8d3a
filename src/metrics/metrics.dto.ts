import { ApiProperty } from '@nestjs/swagger';
import { RateLimitStatusDto } from '@/health/health-status.dto';

export class MemoryDto {
  @ApiProperty({ description: 'Resident set size of the process' })
  rssBytes: number;

  @ApiProperty()
  heapUsedBytes: number;
}

export class MetricsDto {
  @ApiProperty()
  uptimeSeconds: number;

  @ApiProperty({ type: MemoryDto })
  memory: MemoryDto;

  @ApiProperty({ description: 'SQL statements this instance has sent since it started' })
  sqlStatements: number;

  @ApiProperty({ type: RateLimitStatusDto })
  rateLimits: RateLimitStatusDto;
}
