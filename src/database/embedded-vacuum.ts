import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PeriodicTask } from '@/common/periodic-task';
import { DatabaseConnectionTarget } from './database-target';

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: the row versions that
 * updates and deletes leave behind pile up in tables and indexes, and every statement on the one
 * connection slows down (`npm run soak`: from 1,600 to 850 requests a second in ten minutes).
 * So the embedded database is vacuumed once a minute, through the app's own connection, between
 * two statements. A PostgreSQL server vacuums by itself.
 */
@Injectable()
export class EmbeddedVacuum extends PeriodicTask {
  constructor(
    private readonly dataSource: DataSource,
    private readonly target: DatabaseConnectionTarget,
  ) {
    super(60_000);
  }

  protected override enabled(): boolean {
    return this.target.embedded;
  }

  protected async work(): Promise<void> {
    await this.dataSource.query('VACUUM (ANALYZE)');
  }
}
