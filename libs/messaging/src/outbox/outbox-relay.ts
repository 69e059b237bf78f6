import { Logger } from '@nestjs/common';
import type { ChannelWrapper } from 'amqp-connection-manager';
import type { ConfirmChannel } from 'amqplib';
import pg from 'pg';
import type {
  DataSource,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { counter, histogram } from '@edu/observability';
import type { BrokerConnection } from '../broker-connection.js';
import type { MessagingConfig } from '../messaging.config.js';
import { declareExchanges, topologyNames } from '../topology/topology.js';
import { OUTBOX_CHANNEL, OUTBOX_WRITTEN } from './outbox.js';

interface ClaimedRow {
  seq: string;
  id: string;
  routing_key: string;
  subject: string;
  /** The envelope as stored, published as is: parsing and re-serialising it cost the relay CPU. */
  body: string;
  correlation_id: string;
  county: string;
  occurred_at: string;
  producer: string;
}

/*
 * Claims the oldest unpublished rows that no other relay holds (SKIP LOCKED), keeping only
 * rows whose earlier rows of the same subject are published or in this very batch: so with
 * any number of relays, a subject's events leave in the order they were written.
 */
const CLAIM = `
  WITH claimed AS (
    SELECT seq, id, routing_key, subject, envelope FROM outbox
    WHERE published_at IS NULL
    ORDER BY seq
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  )
  SELECT c.seq, c.id, c.routing_key, c.subject, c.envelope::text AS body,
    c.envelope->>'correlationId' AS correlation_id, c.envelope->>'county' AS county,
    c.envelope->>'occurredAt' AS occurred_at, c.envelope->>'producer' AS producer
  FROM claimed c
  WHERE NOT EXISTS (
    SELECT 1 FROM outbox p
    WHERE p.subject = c.subject AND p.published_at IS NULL AND p.seq < c.seq
      AND p.seq NOT IN (SELECT seq FROM claimed)
  )
  ORDER BY c.seq`;

const published = counter('outbox_published_total', 'Events the relay published and the broker confirmed');
const failures = counter('outbox_publish_failures_total', 'Relay batches that failed and will be retried');
const batchSeconds = histogram('outbox_batch_seconds', 'Time to claim, publish, confirm and mark one batch');

/**
 * Publishes outbox rows: persistent, mandatory, with publisher confirms, and marks them
 * published only after the broker confirmed. Polling is the source of truth; NOTIFY only
 * wakes it early. Safe to run in every replica.
 */
export class OutboxRelay {
  private readonly logger = new Logger('OutboxRelay');
  private channel?: ChannelWrapper;
  private listener?: pg.Client;
  private running = false;
  private wake?: () => void;
  private interrupt?: () => void;
  private notified = false;
  private loop?: Promise<void>;
  private returned = new Set<string>();
  private subscriber?: EntitySubscriberInterface;

  constructor(
    private readonly dataSource: DataSource,
    private readonly broker: BrokerConnection,
    private readonly config: MessagingConfig,
    /** Fault tests only: runs after the broker confirmed a batch, before it is marked published. */
    private readonly afterConfirm?: (count: number) => void,
  ) {}

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.channel = this.broker.channel('outbox-relay', async (ch: ConfirmChannel) => {
      await declareExchanges(ch, this.config.namespace);
      // Only happens if the alternate exchange is missing: keep the row for another try.
      ch.on('return', (msg: { properties: { messageId?: string } }) => {
        if (msg.properties.messageId) this.returned.add(msg.properties.messageId);
      });
    });
    this.subscriber = this.wakeOnCommit();
    this.dataSource.subscribers.push(this.subscriber);
    if (this.config.outboxNotify) await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.interrupt?.();
    await this.loop;
    const i = this.subscriber ? this.dataSource.subscribers.indexOf(this.subscriber) : -1;
    if (i >= 0) this.dataSource.subscribers.splice(i, 1);
    await this.listener?.end().catch(() => undefined);
    await this.channel?.close();
  }

  /** One claim-publish-mark cycle; returns how many rows were published. */
  async drainOnce(): Promise<number> {
    const channel = this.channel;
    if (!channel) throw new Error('relay not started');
    const stop = batchSeconds.startTimer();
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // Not prepared (unlike the inserts): a cached generic plan would keep the plan made while
      // the outbox was empty, a scan, as it grows; planned per call, it uses the indexes.
      const rows: ClaimedRow[] = await runner.query(CLAIM, [this.config.relayBatchSize]);
      if (rows.length === 0) {
        await runner.commitTransaction();
        return 0;
      }
      const { events } = topologyNames(this.config.namespace);
      // One channel, publishes in seq order, confirms awaited together.
      await Promise.all(
        rows.map((row) =>
          channel.publish(events, row.routing_key, Buffer.from(row.body), {
            persistent: true,
            mandatory: true,
            messageId: row.id,
            type: row.routing_key,
            contentType: 'application/json',
            correlationId: row.correlation_id,
            appId: row.producer,
            timestamp: Math.floor(Date.parse(row.occurred_at) / 1000),
            headers: { subject: row.subject, county: row.county },
            timeout: this.config.publishTimeoutMs,
          }),
        ),
      );
      this.afterConfirm?.(rows.length);
      const ok = rows.filter((r) => !this.returned.delete(r.id));
      if (ok.length < rows.length)
        this.logger.error(`${rows.length - ok.length} events were returned unroutable`);
      await runner.query('UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [
        ok.map((r) => r.seq),
      ]);
      await runner.commitTransaction();
      published.inc(ok.length);
      return ok.length;
    } catch (e) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      throw e;
    } finally {
      await runner.release();
      stop();
    }
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      let n = 0;
      const started = performance.now();
      try {
        n = await this.drainOnce();
        backoff = 0;
      } catch (e) {
        failures.inc();
        backoff = Math.min(backoff ? backoff * 2 : 200, 5000);
        this.logger.warn(`publish failed, retrying in ${backoff} ms: ${(e as Error).message}`);
      }
      if (!this.running) break;
      if (backoff) await this.sleep(backoff, false);
      else if (n < this.config.relayBatchSize) {
        // Until a commit in this process (or a NOTIFY) wakes it, or the next poll.
        await this.sleep(n === 0 ? this.config.relayPollMs : this.config.relayBusyPollMs, true);
        // Leave relayBusyPollMs between claims all the same, so that a steady stream is
        // claimed in batches rather than one claim per commit.
        const rest = started + this.config.relayBusyPollMs - performance.now();
        if (rest > 0 && this.running) await this.sleep(rest, false);
      }
    }
  }

  /** Wakes the relay when a transaction of this process that wrote outbox rows commits. */
  private wakeOnCommit(): EntitySubscriberInterface {
    const settle = (event: TransactionCommitEvent | TransactionRollbackEvent, committed: boolean) => {
      const runner = event.queryRunner;
      const data = runner.data as Record<symbol, boolean>;
      // Nested transactions (savepoints) settle with the outer transaction still open.
      if (!data[OUTBOX_WRITTEN] || runner.isTransactionActive) return;
      data[OUTBOX_WRITTEN] = false;
      if (committed) this.poke();
    };
    return {
      afterTransactionCommit: (event) => settle(event, true),
      afterTransactionRollback: (event) => settle(event, false),
    };
  }

  private poke(): void {
    if (this.wake) this.wake();
    else this.notified = true;
  }

  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.notified) {
      this.notified = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.interrupt = undefined;
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
      if (wakeable) this.wake = done;
    });
  }

  private async listen(): Promise<void> {
    const options = this.dataSource.options as { url?: string };
    const client = new pg.Client({ connectionString: options.url });
    client.on('error', (e) => this.logger.warn(`notify listener lost: ${e.message}`));
    client.on('notification', () => this.poke());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
    } catch (e) {
      // Polling still publishes everything; NOTIFY only shortens the wait.
      this.logger.warn(`LISTEN unavailable, polling only: ${(e as Error).message}`);
    }
  }
}
