import { join } from 'node:path';
import { DataSourceOptions, Logger } from 'typeorm';

export interface DatabaseTarget {
  url: string;
  poolSize: number;
}

export function dataSourceOptions(target: DatabaseTarget, logger?: Logger): DataSourceOptions {
  return {
    type: 'postgres',
    url: target.url,
    entities: [join(__dirname, '..', '**', '*.entity.{ts,js}')],
    migrations: [join(__dirname, 'migrations', '*.{ts,js}')],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    uuidExtension: 'pgcrypto',
    logging: false,
    logger,
    extra: {
      max: target.poolSize,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
  };
}
