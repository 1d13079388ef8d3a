import { Client, ClientConfig } from 'pg';

const READ_TIMEOUT = 'Query read timeout';

/**
 * pg's `query_timeout` answers the caller but keeps the connection, the statement still in
 * flight on it. TypeORM would then release it to the pool in the middle of a transaction (its
 * ROLLBACK queued behind the lost statement, and dropped), and the next request's COMMIT on it
 * could commit the abandoned half. So a connection whose query timed out is closed: pg-pool
 * drops it, and the server rolls the transaction back.
 */
export class TimeoutClosingClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    Object.assign(this, {
      query: (...args: unknown[]): unknown => {
        const result = query(...args);
        if (result instanceof Promise) {
          result.catch((error: unknown) => {
            if (error instanceof Error && error.message === READ_TIMEOUT) {
              this.connection.stream.destroy();
            }
          });
        }
        return result;
      },
    });
  }
}
