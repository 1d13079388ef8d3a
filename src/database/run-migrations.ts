import { DataSource, MigrationExecutor } from 'typeorm';

// Any constant works; it only has to be the same for every instance of Latchkey.
const MIGRATION_LOCK_ID = 0x1a7c4e7;

/**
 * Several instances may start against one PostgreSQL at once; a session-level advisory lock
 * makes them take turns so each migration runs exactly once. Lock and migrations share one
 * connection, which is also all that the embedded database offers.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
