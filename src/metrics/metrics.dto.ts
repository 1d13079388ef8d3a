import { ApiProperty } from '@nestjs/swagger';
import { RateLimitStatusDto } from '@/health/health-status.dto';

export class MemoryDto {
  @ApiProperty({ description: 'Resident set size of the process' })
  rssBytes: number;

  @ApiProperty()
  heapUsedBytes: number;
}

export class MailStatsDto {
  @ApiProperty({ description: 'Mails handed to the SMTP server (or the outbox) since start-up' })
  sent: number;

  @ApiProperty({ description: 'Mails given up on after every retry' })
  failed: number;

  @ApiProperty({ description: 'Attempts that failed and were tried again later' })
  retried: number;

  @ApiProperty({ description: 'Mails waiting, being sent or waiting for a retry' })
  queued: number;

  @ApiProperty({ description: 'Mails refused because the queue was full' })
  dropped: number;
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

  @ApiProperty({ type: MailStatsDto })
  mail: MailStatsDto;
}
