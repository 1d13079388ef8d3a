import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { DataSource } from 'typeorm';

const SWEEP_INTERVAL_MS = 60 * 60_000;

/**
 * Deletes sessions a day after they ended or expired, with their refresh tokens: until then a
 * used-up token still ends nothing and is refused, after that it is unknown and refused alike.
 * Idempotent, so several instances may sweep at once.
 */
@Injectable()
export class SessionSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SessionSweeper.name);
  private timer?: NodeJS.Timeout;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<void> {
    const dayAgo = new Date(now.getTime() - 86_400_000);
    try {
      await this.dataSource.query('DELETE FROM sessions WHERE expires_at < $1 OR ended_at < $1', [
        dayAgo,
      ]);
    } catch (error) {
      this.logger.warn(`Session sweep failed, will try again: ${(error as Error).message}`);
    }
  }
}
