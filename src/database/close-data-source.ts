import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A connection that cannot say goodbye (the server is gone or silent) is not waited for. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * Counts the data source's open connections from now on, and returns a function that resolves
 * once they have all closed (or after 2 s). DataSource.destroy() resolves once pg's pool has
 * asked its connections to close, not once they have; pg's pool reports each closed one with
 * 'remove'. The embedded database serves one connection at a time and drops the next while the
 * last is still open, so whoever connects next (the app after its migrations, the next test
 * suite) needs the close itself to be over, whoever called destroy() (@nestjs/typeorm does, on
 * shutdown).
 */
export function watchConnections(dataSource: DataSource): () => Promise<void> {
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  let open = pool.totalCount;
  let allClosed: (() => void) | undefined;
  pool.on('connect', () => open++);
  pool.on('remove', () => {
    if (--open <= 0) allClosed?.();
  });
  return () =>
    new Promise<void>((resolve) => {
      if (open <= 0) return resolve();
      const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      allClosed = () => {
        clearTimeout(timer);
        resolve();
      };
    });
}

/** Destroys the data source and waits until its connections have closed. */
export async function closeDataSource(dataSource: DataSource): Promise<void> {
  if (!dataSource.isInitialized) return;
  const closed = watchConnections(dataSource);
  await dataSource.destroy();
  await closed();
}
