import type { DataSource, EntityManager } from 'typeorm';

/** Runs `work` in one transaction; everything it writes (state and outbox rows) commits together. */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (em: EntityManager) => Promise<T>,
): Promise<T> {
  return dataSource.transaction('READ COMMITTED', work);
}
