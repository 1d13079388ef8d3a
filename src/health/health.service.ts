import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ApiError } from '@/common/errors';

const CHECK_TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  private readonly logger = new Logger(HealthService.name);

  constructor(private readonly dataSource: DataSource) {}

  /** Answers within CHECK_TIMEOUT_MS either way: a hung database is not ready. */
  async checkDatabase(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database check timed out')), CHECK_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
    } catch (error) {
      this.logger.warn(`Not ready: ${error instanceof Error ? error.message : String(error)}`);
      throw new ApiError('UNAVAILABLE');
    } finally {
      clearTimeout(timer);
    }
  }
}
