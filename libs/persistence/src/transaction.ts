import type { DataSource, EntityManager } from 'typeorm';

/**
 * Runs `work` in one transaction; everything it writes (state and outbox rows) commits together.
 * Postgres's default READ COMMITTED: naming the level would cost a round trip per transaction.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction(work);
}
