import { DataSource, EntityManager } from 'typeorm';
import { Invalidation, InvalidationBus } from './invalidation.bus';

/** Marks something that `work` changes as stale in every cache, once the change is committed. */
export type MarkStale = (invalidation: Invalidation) => void;

/**
 * Runs `work` in a transaction and publishes what it marked stale only once the transaction has
 * committed: never before (a cache could reload the old row), never after a rollback. A change
 * and its invalidation are written side by side, so a new write path cannot forget one.
 */
export async function transactionThenPublish<T>(
  dataSource: DataSource,
  bus: InvalidationBus,
  work: (manager: EntityManager, markStale: MarkStale) => Promise<T>,
): Promise<T> {
  const stale: Invalidation[] = [];
  const result = await dataSource.transaction((manager) =>
    work(manager, (invalidation) => stale.push(invalidation)),
  );
  await Promise.all(stale.map((invalidation) => bus.publish(invalidation)));
  return result;
}
