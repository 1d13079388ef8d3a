import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** A connection that cannot say goodbye (the server is gone or silent) is not waited for. */
const CLOSE_TIMEOUT_MS = 2_000;

/**
 * DataSource.destroy() resolves once pg's pool has asked its connections to close, not once they
 * have. The embedded database serves one connection at a time and drops the next while the last
 * is still open, so whoever connects next (the app after its migrations, the next test suite)
 * needs the close itself to be over.
 */
export async function closeDataSource(dataSource: DataSource): Promise<void> {
  if (!dataSource.isInitialized) return;
  const pool = (dataSource.driver as PostgresDriver).master as Pool;
  let open = pool.totalCount;
  let timer: NodeJS.Timeout | undefined;
  const closed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    if (open === 0) resolve();
    pool.on('remove', () => {
      if (--open === 0) resolve();
    });
  });
  await dataSource.destroy();
  await closed;
  clearTimeout(timer);
}
