import { BeforeApplicationShutdown, Logger, OnApplicationBootstrap } from '@nestjs/common';

/**
 * Work the app does every so often in the background (vacuum, sweeps of expired rows): started
 * once the app is up, stopped before it shuts down, and a failure is logged and tried again at
 * the next interval, never thrown.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private timer?: NodeJS.Timeout;

  protected constructor(private readonly intervalMs: number) {}

  /** Whether this instance runs the task at all. */
  protected enabled(): boolean {
    return true;
  }

  protected abstract work(): Promise<void>;

  onApplicationBootstrap(): void {
    if (!this.enabled()) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(): Promise<void> {
    try {
      await this.work();
    } catch (error) {
      this.logger.warn(
        `${this.constructor.name} failed, will try again: ${(error as Error).message}`,
      );
    }
  }
}
