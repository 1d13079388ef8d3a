import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DatabaseConnectionTarget } from './database-target';

const VACUUM_INTERVAL_MS = 60_000;

/**
 * PGlite runs PostgreSQL in single-user mode, where autovacuum never runs: the row versions that
 * updates and deletes leave behind pile up in tables and indexes, and every statement on the one
 * connection slows down (`npm run soak`: from 1,600 to 850 requests a second in ten minutes).
 * So the embedded database is vacuumed once a minute, through the app's own connection, between
 * two statements. A PostgreSQL server vacuums by itself.
 */
@Injectable()
export class EmbeddedVacuum implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(EmbeddedVacuum.name);
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: DatabaseConnectionTarget,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.target.embedded) return;
    this.timer = setInterval(() => void this.vacuum(), VACUUM_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async vacuum(): Promise<void> {
    try {
      await this.dataSource.query('VACUUM (ANALYZE)');
    } catch (error) {
      this.logger.warn(`VACUUM failed, will try again: ${(error as Error).message}`);
    }
  }
}
