import type { EventEnvelope } from '@edu/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { counter, histogram } from '@edu/observability';
import { prepared } from '@edu/persistence';

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
  /** Set by `insert`: the event's whole effect, written with the batch's other rows. */
  row?: EffectRow;
  resolve: (handled: boolean) => void;
  reject: (error: unknown) => void;
}

/** One row for a table, as `Inbox.insert` takes it. */
interface EffectRow {
  table: string;
  values: Record<string, unknown>;
}

/** A lower-case table (optionally schema-qualified) or column name, used in SQL as it is. */
const IDENTIFIER = /^[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?$/;

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
    return this.enqueue({ consumer, eventId: event.id, work });
  }

  /**
   * Handles an event whose whole effect is one row to insert (a projection, a record of what
   * arrived): the row is inserted together with the rows of the other events of the same
   * commit, one statement per table and column list, instead of a round trip of its own.
   * Resolves false when `consumer` had already handled this event. The values go to Postgres
   * as JSON and are read as the table's column types (`jsonb_populate_recordset`): strings,
   * numbers, booleans, null, and ISO dates (a `Date` serialises as one). The rows are written
   * after the batch's other handlers; a failing row rolls back only its own event, as a
   * failing handler does.
   */
  insert(
    consumer: string,
    event: Pick<EventEnvelope, 'id'>,
    table: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const columns = Object.keys(values);
    const bad = [table, ...columns].find((name) => !IDENTIFIER.test(name));
    if (bad !== undefined || columns.length === 0) {
      return Promise.reject(
        new Error(
          `Inbox.insert needs lower-case table and column names and at least one column: ${bad ?? table}`,
        ),
      );
    }
    const row = { table, values };
    return this.enqueue({ consumer, eventId: event.id, work: (em) => insertOne(em, row), row });
  }

  private enqueue(item: Omit<Pending, 'resolve' | 'reject'>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ ...item, resolve, reject });
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
    let outcomes: Outcome[];
    try {
      outcomes = await this.commitTogether(batch);
    } catch (error) {
      if (!(error instanceof HandlerFailed) || batch.length === 1) {
        // Nothing committed: every event of the batch is retried by its delivery.
        const cause = error instanceof HandlerFailed ? error.cause : error;
        batch.forEach((item) => item.reject(cause));
        return;
      }
      // One handler failed and took the batch with it: redo the batch with a savepoint per
      // event, so only the failing event's writes are rolled back.
      try {
        outcomes = await this.commitIsolated(batch);
      } catch (e) {
        batch.forEach((item) => item.reject(e));
        return;
      }
    }
    batch.forEach((item, i) => {
      const o = outcomes[i];
      if (o.ok) item.resolve(o.handled);
      else item.reject(o.error);
    });
  }

  /**
   * The common case: one statement claims the inbox rows of the whole batch, then the
   * handlers of the new events run one after another in the same transaction, with no
   * savepoints, and the rows of `insert`ed events go in, a statement per table and column
   * list. The first failure aborts the transaction (HandlerFailed).
   */
  private async commitTogether(batch: Pending[]): Promise<Outcome[]> {
    return this.dataSource.transaction(async (em) => {
      const fresh = await this.claim(em, batch);
      const outcomes: Outcome[] = [];
      const rows: EffectRow[] = [];
      for (const item of batch) {
        const key = inboxKey(item);
        const handled = fresh.delete(key);
        if (handled && item.row) rows.push(item.row);
        else if (handled) {
          try {
            await item.work(em);
          } catch (error) {
            throw new HandlerFailed(error);
          }
        } else duplicates.inc({ consumer: item.consumer });
        outcomes.push({ ok: true, handled });
      }
      try {
        await insertMany(em, rows);
      } catch (error) {
        throw new HandlerFailed(error);
      }
      return outcomes;
    });
  }

  /** After a failure: each event in its own savepoint, so one failure spoils nothing else. */
  private async commitIsolated(batch: Pending[]): Promise<Outcome[]> {
    return this.dataSource.transaction(async (em) => {
      const outcomes: Outcome[] = [];
      for (const item of batch) {
        await em.query('SAVEPOINT inbox_event');
        try {
          const handled = (await this.claim(em, [item])).size > 0;
          if (handled) await item.work(em);
          else duplicates.inc({ consumer: item.consumer });
          await em.query('RELEASE SAVEPOINT inbox_event');
          outcomes.push({ ok: true, handled });
        } catch (error) {
          await em.query('ROLLBACK TO SAVEPOINT inbox_event');
          outcomes.push({ ok: false, error });
        }
      }
      return outcomes;
    });
  }

  /**
   * Inserts the inbox rows of these events; returns the keys that were new. Rows are
   * inserted in key order, so two transactions holding the same redelivered events wait
   * for each other instead of deadlocking.
   */
  private async claim(em: EntityManager, items: Pending[]): Promise<Set<string>> {
    const keys = [...new Map(items.map((i) => [inboxKey(i), i] as const))].sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const rows = await prepared<{ consumer: string; event_id: string }>(
      em,
      'edu_inbox_claim',
      `INSERT INTO inbox (consumer, event_id)
       SELECT * FROM unnest($1::text[], $2::uuid[])
       ON CONFLICT DO NOTHING RETURNING consumer, event_id`,
      [keys.map(([, i]) => i.consumer), keys.map(([, i]) => i.eventId)],
    );
    return new Set(rows.map((r) => `${r.consumer}\u0000${r.event_id}`));
  }
}

/** One event's row alone (after a failure, in its own savepoint): a prepared insert. */
async function insertOne(em: EntityManager, row: EffectRow): Promise<void> {
  const columns = Object.keys(row.values);
  await em.query(
    `INSERT INTO ${row.table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns.map((c) => row.values[c]),
  );
}

/** The rows of a batch: one statement per table and column list, the rows as one JSON array. */
async function insertMany(em: EntityManager, rows: EffectRow[]): Promise<void> {
  const groups = new Map<string, { table: string; columns: string; values: unknown[] }>();
  for (const { table, values } of rows) {
    const columns = Object.keys(values).join(', ');
    const key = `${table} ${columns}`;
    const group = groups.get(key) ?? { table, columns, values: [] };
    group.values.push(values);
    groups.set(key, group);
  }
  for (const { table, columns, values } of groups.values()) {
    await em.query(
      `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM jsonb_populate_recordset(NULL::${table}, $1::jsonb)`,
      [JSON.stringify(values)],
    );
  }
}

/** A handler threw inside a batch; carries its error out of the aborted transaction. */
class HandlerFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('an event handler failed');
  }
}

function inboxKey(item: Pending): string {
  return `${item.consumer}\u0000${item.eventId.toLowerCase()}`;
}
