import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const USAGE_FLUSH_INTERVAL_MS = 10_000;

/**
 * Remembers when each key was last used, in memory, and writes all of it in one UPDATE every
 * 10 s and at shutdown: the request path never writes to the database.
 */
@Injectable()
export class KeyUsageRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(KeyUsageRecorder.name);
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), USAGE_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Nest closes the HTTP server before this hook (and after beforeApplicationShutdown), so uses
   * by requests still in flight at SIGTERM are written too. The database closes after it: a
   * global module closes it, and Nest shuts those down last.
   */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  record(keyId: string): void {
    this.pending.set(keyId, Date.now());
  }

  /** A use not yet written, so that this instance's answers are current before the flush. */
  unflushed(keyId: string): Date | undefined {
    const time = this.pending.get(keyId);
    return time === undefined ? undefined : new Date(time);
  }

  /** Resolves once every use recorded before the call is written (or has failed to be). */
  flush(): Promise<void> {
    if (this.pending.size === 0) return this.writing;
    const batch = this.pending;
    this.pending = new Map();
    // One write at a time, so that shutdown can wait for the last one.
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: Map<string, number>): Promise<void> {
    try {
      await this.dataSource.query(
        `UPDATE api_keys AS k SET last_used_at = v.used_at
           FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, used_at)
          WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.used_at)`,
        [[...batch.keys()], [...batch.values()].map((time) => new Date(time).toISOString())],
      );
    } catch (error) {
      // Keep the uses for the next attempt; a newer use recorded meanwhile wins.
      for (const [id, time] of batch) if (!this.pending.has(id)) this.pending.set(id, time);
      this.logger.warn(`last-used flush failed, will retry: ${(error as Error).message}`);
    }
  }
}
