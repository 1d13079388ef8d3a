import { AppConfig } from '@/config/app-config';
import { DatabaseTarget } from './data-source-options';
import { EmbeddedPostgres } from './embedded-postgres';

/** Where the app's database lives: DATABASE_URL, or an embedded PGlite in DATA_DIR. */
export class DatabaseConnectionTarget implements DatabaseTarget {
  private constructor(
    readonly url: string,
    readonly poolSize: number,
    private readonly server?: EmbeddedPostgres,
  ) {}

  static async resolve(config: AppConfig): Promise<DatabaseConnectionTarget> {
    if (config.databaseUrl !== undefined) {
      return new DatabaseConnectionTarget(config.databaseUrl, config.databasePoolSize);
    }
    const server = await EmbeddedPostgres.start(config.dataDir);
    // PGlite is a single session: a second pooled connection would only queue behind the first.
    return new DatabaseConnectionTarget(server.url, 1, server);
  }

  /** PGlite in this process, rather than a PostgreSQL server. */
  get embedded(): boolean {
    return this.server !== undefined;
  }

  async close(): Promise<void> {
    await this.server?.stop();
  }
}
