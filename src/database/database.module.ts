import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@/config/app-config';
import { dataSourceOptions } from './data-source-options';
import { DatabaseConnectionTarget } from './database-target';
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly target: DatabaseConnectionTarget,
  ) {}

  /**
   * Nest shuts global modules down last, after the HTTP server has closed and every other
   * module's shutdown hook has run, so those hooks (the last-used flush) still have a database.
   * The pool must close before the embedded server it talks to.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.target.close();
  }
}

@Module({
  imports: [
    DatabaseTargetModule,
    TypeOrmModule.forRootAsync({
      inject: [DatabaseConnectionTarget, StatementCounter],
      useFactory: (target: DatabaseConnectionTarget, counter: StatementCounter) =>
        dataSourceOptions(target, counter),
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrations(dataSource);
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
