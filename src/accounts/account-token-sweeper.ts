import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@/common/periodic-task';

/** Deletes mailed-link tokens a day after they expired. Idempotent across instances. */
@Injectable()
export class AccountTokenSweeper extends PeriodicTask {
  constructor(private readonly dataSource: DataSource) {
    super(60 * 60_000);
  }

  protected async work(): Promise<void> {
    await this.dataSource.query('DELETE FROM account_tokens WHERE expires_at < $1', [
      new Date(Date.now() - 86_400_000),
    ]);
  }
}
