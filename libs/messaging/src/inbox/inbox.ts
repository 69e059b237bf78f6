import type { EventEnvelope } from '@edu/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { counter, histogram } from '@edu/observability';

const duplicates = counter('inbox_duplicates_total', 'Events skipped because the consumer had handled them', [
  'consumer',
]);
const batchSize = histogram(
  'inbox_batch_size',
  'Events committed together in one inbox transaction',
  [],
  [1, 2, 4, 8, 16, 32, 64],
);

export interface InboxOptions {
  /** Most events committed in one transaction. */
  maxBatch: number;
  /** Inbox transactions open at once (each holds a pooled connection). */
  concurrency: number;
}

interface Pending {
  consumer: string;
  eventId: string;
  work: (em: EntityManager) => Promise<void>;
  resolve: (handled: boolean) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; handled: boolean } | { ok: false; error: unknown };

/**
 * Effects once: the inbox row (`consumer`, `event_id`) and the handler's writes commit in
 * one transaction; a redelivered event finds its row (or waits for the first delivery's
 * commit) and is skipped.
 *
 * Group commit: events that arrive while a transaction is committing are handled together
 * in the next one, each inside its own savepoint, so one failing handler rolls back only
 * its own writes. Every caller's promise settles after the commit, so the transport acks
 * only what is durable; nothing waits for a batch to fill.
 */
export class Inbox {
  private readonly queue: Pending[] = [];
  private active = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: InboxOptions = { maxBatch: 64, concurrency: 2 },
  ) {}

  /** Resolves false when `consumer` had already handled this event. */
  handle(
    consumer: string,
    event: Pick<EventEnvelope, 'id'>,
    work: (em: EntityManager) => Promise<void>,
  ): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ consumer, eventId: event.id, work, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.active < this.options.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch);
      this.active++;
      void this.commit(batch).finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    batchSize.observe(batch.length);
    const outcomes: Outcome[] = [];
    const alone = batch.length === 1;
    try {
      await this.dataSource.transaction(async (em) => {
        for (const item of batch) {
          // A lone event needs no savepoint: its failure rolls back the transaction anyway.
          if (!alone) await em.query('SAVEPOINT inbox_event');
          try {
            const inserted: unknown[] = await em.query(
              'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING event_id',
              [item.consumer, item.eventId],
            );
            if (inserted.length > 0) await item.work(em);
            else duplicates.inc({ consumer: item.consumer });
            if (!alone) await em.query('RELEASE SAVEPOINT inbox_event');
            outcomes.push({ ok: true, handled: inserted.length > 0 });
          } catch (error) {
            if (alone) throw error;
            await em.query('ROLLBACK TO SAVEPOINT inbox_event');
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // Nothing committed: every event of the batch is retried by its delivery.
      batch.forEach((item, i) => {
        const o = outcomes[i];
        item.reject(o && !o.ok ? o.error : error);
      });
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o.ok) item.resolve(o.handled);
      else item.reject(o.error);
    });
  }
}
