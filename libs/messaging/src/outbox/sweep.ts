import type { DomainEvent } from '@edu/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import type { Outbox, OutboxMeta } from './outbox.js';

/** What a sweep works on: how to claim candidates, let the domain decide, and save. */
export interface SweepTarget<T> {
  /** Up to `limit` candidates, locked with SKIP LOCKED so that replicas take different rows. */
  claim(em: EntityManager, limit: number): Promise<T[]>;
  /** The domain's decision: the events it caused (none means nothing changed). */
  decide(item: T): DomainEvent[];
  save(em: EntityManager, item: T): Promise<void>;
  meta(item: T): OutboxMeta;
}

/**
 * Runs a sweep (overdue deadlines and the like) in batches: each batch is claimed,
 * decided, saved and its events written in one transaction, so a sweep is idempotent and
 * safe on every replica at once. Returns how many events it raised.
 */
export async function sweepInBatches<T>(
  dataSource: DataSource,
  outbox: Outbox,
  target: SweepTarget<T>,
  batchSize = 500,
): Promise<number> {
  let raised = 0;
  for (;;) {
    const batch = await dataSource.transaction(async (em) => {
      const claimed = await target.claim(em, batchSize);
      let events = 0;
      for (const item of claimed) {
        const caused = target.decide(item);
        if (caused.length === 0) continue;
        events += caused.length;
        await target.save(em, item);
        await outbox.addEvents(em, caused, target.meta(item));
      }
      return { claimed: claimed.length, events };
    });
    raised += batch.events;
    // A short batch was the last; a batch that changed nothing would come back unchanged.
    if (batch.claimed < batchSize || batch.events === 0) return raised;
  }
}
