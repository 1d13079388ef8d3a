import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const LAST_USED_FLUSH_INTERVAL_MS = 10_000;
/** Rows per statement: a flush of many rows stays well inside the statement timeout. */
const ROWS_PER_STATEMENT = 5_000;

/** The tables with a `last_used_at` column kept this way. */
export type LastUsedTable = 'api_keys' | 'sessions';

/**
 * Remembers when each row (an API key, a session) was last used, in memory, and writes all of
 * it in one batched UPDATE (per 5,000 rows) every 10 s and at shutdown: the request path never
 * writes to the database.
 */
export abstract class LastUsedRecorder implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(this.constructor.name);
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private writing: Promise<void> = Promise.resolve();

  protected constructor(
    private readonly dataSource: DataSource,
    private readonly table: LastUsedTable,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), LAST_USED_FLUSH_INTERVAL_MS);
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

  record(id: string): void {
    this.pending.set(id, Date.now());
  }

  /** A use not yet written, so that this instance's answers are current before the flush. */
  unflushed(id: string): Date | undefined {
    const time = this.pending.get(id);
    return time === undefined ? undefined : new Date(time);
  }

  /** The later of a stored last use and one not yet written. */
  lastUsed(id: string, stored: Date | null): Date | null {
    const unflushed = this.unflushed(id);
    return unflushed && (!stored || unflushed > stored) ? unflushed : stored;
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
    const entries = [...batch];
    for (let start = 0; start < entries.length; start += ROWS_PER_STATEMENT) {
      const chunk = entries.slice(start, start + ROWS_PER_STATEMENT);
      try {
        await this.dataSource.query(
          `UPDATE ${this.table} AS t SET last_used_at = v.used_at
             FROM unnest($1::uuid[], $2::timestamptz[]) AS v(id, used_at)
            WHERE t.id = v.id AND (t.last_used_at IS NULL OR t.last_used_at < v.used_at)`,
          [chunk.map(([id]) => id), chunk.map(([, time]) => new Date(time).toISOString())],
        );
      } catch (error) {
        // Keep the uses for the next attempt; a newer use recorded meanwhile wins.
        for (const [id, time] of chunk) if (!this.pending.has(id)) this.pending.set(id, time);
        this.logger.warn(`last-used flush failed, will retry: ${(error as Error).message}`);
      }
    }
  }
}
