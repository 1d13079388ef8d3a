import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@/common/periodic-task';

const DAY_MS = 86_400_000;

/**
 * Deletes sessions a day after they ended or expired, with their refresh tokens (a token of
 * such a session is refused either way). Idempotent, so several instances may sweep at once.
 */
@Injectable()
export class SessionSweeper extends PeriodicTask {
  constructor(private readonly dataSource: DataSource) {
    super(60 * 60_000);
  }

  protected async work(): Promise<void> {
    const dayAgo = new Date(Date.now() - DAY_MS);
    await this.dataSource.query('DELETE FROM sessions WHERE expires_at < $1 OR ended_at < $1', [
      dayAgo,
    ]);
  }
}
