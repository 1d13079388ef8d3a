import { join } from 'node:path';
import { DataSourceOptions, Logger } from 'typeorm';
import { TimeoutClosingClient } from './timeout-closing-client';

export interface DatabaseTarget {
  url: string;
  poolSize: number;
}

/**
 * The app's statements are indexed lookups and small writes, so a database that has not
 * answered one in seconds is unreachable or stuck, and clients get 503 rather than a hung
 * request. The server cancels a slow statement first (cleanly: the connection stays usable);
 * the client's own limit covers a server that does not answer at all (a network partition),
 * where cancelling is impossible. Migrations and the migration CLI run without them.
 */
const SERVING_TIMEOUTS = {
  /** A new connection, or a free one from the pool. */
  connectionTimeoutMillis: 3_000,
  statement_timeout: 2_000,
  query_timeout: 2_500,
  /** A connection whose query timed out is closed rather than reused (see the class). */
  Client: TimeoutClosingClient,
  /** The server's backstop for a transaction whose client went quiet. */
  idle_in_transaction_session_timeout: 5_000,
};

export type DataSourceUse = 'serving' | 'migrations';

export function dataSourceOptions(
  target: DatabaseTarget,
  logger?: Logger,
  use: DataSourceUse = 'migrations',
): DataSourceOptions {
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
      ...(use === 'serving' ? SERVING_TIMEOUTS : {}),
    },
  };
}
