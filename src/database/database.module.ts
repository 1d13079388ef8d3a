import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@/config/app-config';
import { closeDataSource, watchConnections } from './close-data-source';
import { dataSourceOptions } from './data-source-options';
import { DatabaseConnectionTarget } from './database-target';
import { EmbeddedVacuum } from './embedded-vacuum';
import { runMigrations } from './run-migrations';
import { StatementCounter } from './statement-counter';

@Global()
@Module({
  providers: [
    {
      provide: DatabaseConnectionTarget,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => DatabaseConnectionTarget.resolve(config),
    },
    { provide: StatementCounter, useFactory: () => new StatementCounter() },
  ],
  exports: [DatabaseConnectionTarget, StatementCounter],
})
class DatabaseTargetModule implements OnApplicationShutdown {
  private readonly connectionsClosed: () => Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly target: DatabaseConnectionTarget,
  ) {
    this.connectionsClosed = watchConnections(dataSource);
  }

  /**
   * Nest shuts global modules down last, after the HTTP server has closed and every other
   * module's shutdown hook has run, so those hooks (the last-used flush) still have a database.
   * @nestjs/typeorm's own (global) hook may destroy the data source first; either way the pool's
   * connections must have closed before the embedded server stops or the next client connects.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.connectionsClosed();
    await this.target.close();
  }
}

/**
 * Migrations may take longer than the serving pool's timeouts allow (and may wait for another
 * instance's advisory lock), so they run first, on a pool of their own that is closed before
 * the app's opens: the embedded database takes one connection at a time.
 */
async function migrate(target: DatabaseConnectionTarget, counter: StatementCounter): Promise<void> {
  const dataSource = await new DataSource(dataSourceOptions(target, counter)).initialize();
  try {
    await runMigrations(dataSource);
  } finally {
    await closeDataSource(dataSource);
  }
}

@Module({
  imports: [
    DatabaseTargetModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseConnectionTarget, StatementCounter],
      useFactory: async (target: DatabaseConnectionTarget, counter: StatementCounter) => {
        await migrate(target, counter);
        return dataSourceOptions(target, counter, 'serving');
      },
    }),
  ],
  providers: [EmbeddedVacuum],
})
export class DatabaseModule {}
