import type { EventEnvelope } from '@edu/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { counter } from '@edu/observability';

const duplicates = counter('inbox_duplicates_total', 'Events skipped because the consumer had handled them', [
  'consumer',
]);

/**
 * Effects once: the inbox row and the handler's writes commit in one transaction. A
 * redelivered event finds its row (or waits for the first delivery's commit) and is skipped.
 */
export class Inbox {
  constructor(private readonly dataSource: DataSource) {}

  /** Returns false when `consumer` had already handled this event. */
  async handle(
    consumer: string,
    event: Pick<EventEnvelope, 'id'>,
    work: (em: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      const inserted: unknown[] = await em.query(
        'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
        [consumer, event.id],
      );
      if (inserted.length === 0) {
        duplicates.inc({ consumer });
        return false;
      }
      await work(em);
      return true;
    });
  }
}
