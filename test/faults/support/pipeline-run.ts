import amqplib from 'amqplib';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { topologyNames } from '@edu/messaging';
import { createDataSource, ensureDatabase, runMigrations } from '@edu/persistence';
import { TEST_AMQP_URL, TEST_DATABASE_URL, deleteTopology, waitFor } from '@edu/testing';
import { PipelineWorker } from '../../../bench/pipeline/workers.js';
import { PIPELINE_MIGRATIONS, type WorkerConfig } from '../../../bench/pipeline/workload.js';

/** What one fault case found, from the consumer's database and the broker. */
export interface CaseReport extends OrderFindings {
  case: string;
  sent: number;
  effects: number;
  distinct: number;
  duplicatesAbsorbed: number;
  parked: number;
}

/**
 * The consumer's effects of each subject, in the order they were applied (`n`), against the
 * order the producer wrote them in (`seq`, from 0 per subject).
 */
export interface OrderFindings {
  /** Effects applied after an effect of the same subject with a higher seq: order went backwards. */
  reordered: number;
  /** Of those, the effects of events that no consumer had failed on and sent to the retry queue. */
  reorderedNotRetried: number;
  /** Effects whose seq is more than one above the highest applied before them: a seq was skipped. */
  gaps: number;
  /** Seqs below a subject's highest effect that never got an effect: skipped for good. */
  unfilled: number;
  /**
   * Seqs the producer committed that have no effect. An unfilled seq that is not lost is one the
   * producer never committed.
   */
  lost: number;
}

/** Compares the consumer's effects with the producer's rows; `retried` are event ids. */
export async function orderFindings(
  db: pg.Pool,
  producerSchema: string,
  consumerSchema: string,
  retried: ReadonlySet<string>,
): Promise<OrderFindings> {
  const { rows } = await db.query<{ event_id: string; backwards: boolean; skipped: boolean }>(
    `SELECT event_id::text, seq < highest AS backwards, seq > coalesce(highest, -1) + 1 AS skipped
     FROM (SELECT event_id, seq, max(seq) OVER (PARTITION BY subject ORDER BY n
             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS highest
           FROM ${consumerSchema}.effect) x
     WHERE seq < highest OR seq > coalesce(highest, -1) + 1`,
  );
  const reordered = rows.filter((r) => r.backwards);
  const count = async (sql: string) => (await db.query<{ n: number }>(sql)).rows[0].n;
  return {
    reordered: reordered.length,
    reorderedNotRetried: reordered.filter((r) => !retried.has(r.event_id)).length,
    gaps: rows.filter((r) => r.skipped).length,
    unfilled: await count(
      `SELECT count(*)::int AS n
       FROM (SELECT subject, max(seq) AS top FROM ${consumerSchema}.effect GROUP BY subject) s,
         generate_series(0, s.top) AS g(seq)
       WHERE NOT EXISTS (SELECT 1 FROM ${consumerSchema}.effect e WHERE e.subject = s.subject AND e.seq = g.seq)`,
    ),
    lost: await count(
      `SELECT count(*)::int AS n FROM ${producerSchema}.business b
       WHERE NOT EXISTS (SELECT 1 FROM ${consumerSchema}.effect e WHERE e.subject = b.subject AND e.seq = b.seq)`,
    ),
  };
}

type Role = 'writer' | 'relay' | 'producer' | 'consumer';

/**
 * A producer service (writers and/or relay processes) and a consumer service (processes)
 * of the real pipeline, each with its own schema, on a namespace of their own.
 */
export class PipelineRun {
  readonly namespace = `fault${randomBytes(3).toString('hex')}`;
  readonly producerSchema = `t_fault_p_${randomBytes(3).toString('hex')}`;
  readonly consumerSchema = `t_fault_c_${randomBytes(3).toString('hex')}`;
  readonly workers: PipelineWorker[] = [];
  private db!: pg.Pool;

  async setUp(): Promise<void> {
    await ensureDatabase(TEST_DATABASE_URL);
    for (const schema of [this.producerSchema, this.consumerSchema]) {
      const ds = createDataSource({ url: TEST_DATABASE_URL, schema, poolSize: 2 }, [], PIPELINE_MIGRATIONS);
      await ds.initialize();
      await runMigrations(ds, schema);
      await ds.destroy();
    }
    this.db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 2 });
  }

  private config(role: Role, extra: Partial<WorkerConfig>): WorkerConfig {
    const consumer = role === 'consumer';
    return {
      databaseUrl: TEST_DATABASE_URL,
      schema: consumer ? this.consumerSchema : this.producerSchema,
      poolSize: 6,
      applicationName: `fault-${role}`,
      amqpUrl: TEST_AMQP_URL,
      namespace: this.namespace,
      service: consumer ? 'consumer' : 'producer',
      // The consumer's retry warnings name the events it retried (see retriedEvents).
      warnings: consumer,
      write: role === 'writer' || role === 'producer',
      relay: role === 'relay' || role === 'producer',
      ...extra,
    };
  }

  async start(role: Role, extra: Partial<WorkerConfig> = {}): Promise<PipelineWorker> {
    const kind = role === 'consumer' ? 'consumer' : 'producer';
    const worker = await PipelineWorker.start(kind, this.config(role, extra));
    this.workers.push(worker);
    return worker;
  }

  async count(sql: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(sql);
    return rows[0].n;
  }

  effects(): Promise<number> {
    return this.count(`SELECT count(*)::int AS n FROM ${this.consumerSchema}.effect`);
  }

  sent(): Promise<number> {
    return this.count(`SELECT count(*)::int AS n FROM ${this.producerSchema}.business`);
  }

  async waitForEffects(n: number, timeoutMs = 120000): Promise<void> {
    await waitFor(
      () => this.effects(),
      (e) => e >= n,
      { timeoutMs, intervalMs: 100, what: `${n} effects` },
    );
  }

  /** Waits until every event written has its effect, and nothing more arrives. */
  async settle(timeoutMs = 180000): Promise<void> {
    await waitFor(
      async () => {
        const [sent, effects] = [await this.sent(), await this.effects()];
        return { sent, effects };
      },
      (v) => v.sent > 0 && v.effects >= v.sent,
      { timeoutMs, intervalMs: 200, what: 'every written event to have its effect' },
    );
    await new Promise((r) => setTimeout(r, 1500));
  }

  /** Terminates this run's Postgres connections of the given roles. */
  async terminateConnections(roles: Role[]): Promise<number> {
    const { rows } = await this.db.query<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = ANY($1::text[])',
      [roles.map((r) => `fault-${r}`)],
    );
    return rows.filter((r) => r.ok).length;
  }

  async metric(worker: PipelineWorker, name: string, labels: string): Promise<number> {
    const port = worker.port;
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
    return line ? Number(line.split(' ').pop()) : 0;
  }

  /**
   * Each event id a consumer's handler failed on and sent to the retry queue, once per failed
   * attempt, from the warning EventBusServer logs for it.
   */
  retriedEvents(): string[] {
    return this.workers
      .filter((w) => w.kind === 'consumer')
      .flatMap((w) =>
        [...w.output.matchAll(/([0-9a-f-]{36}) failed attempt \d+, will retry/g)].map((m) => m[1]),
      );
  }

  /** Messages parked in the consumer's dead-letter queue, with their reasons. */
  async parked(): Promise<string[]> {
    const c = await amqplib.connect(TEST_AMQP_URL);
    const ch = await c.createChannel();
    const reasons: string[] = [];
    for (;;) {
      const m = await ch.get(topologyNames(this.namespace, 'consumer').dlq, { noAck: false });
      if (!m) break;
      reasons.push(String(m.properties.headers?.['x-edu-error'] ?? ''));
    }
    await c.close();
    return reasons;
  }

  async report(name: string, duplicatesAbsorbed: number): Promise<CaseReport> {
    const s = this.consumerSchema;
    return {
      case: name,
      sent: await this.sent(),
      effects: await this.effects(),
      distinct: await this.count(`SELECT count(DISTINCT event_id)::int AS n FROM ${s}.effect`),
      duplicatesAbsorbed,
      parked: (await this.parked()).length,
      ...(await orderFindings(this.db, this.producerSchema, s, new Set(this.retriedEvents()))),
    };
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.kill().catch(() => undefined)));
    await this.db?.query(`DROP SCHEMA IF EXISTS ${this.producerSchema} CASCADE`);
    await this.db?.query(`DROP SCHEMA IF EXISTS ${this.consumerSchema} CASCADE`);
    await this.db?.end();
    await deleteTopology(this.namespace, ['consumer', 'producer']);
  }
}
