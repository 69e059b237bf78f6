import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { MESSAGING_DEFAULTS, MessagingTables1764400000000, type MessagingConfig } from '@edu/messaging';

/** Shared by the pipeline benchmark and the fault suite: the event stream and its tables. */

export const EVENT_KEY = 'aid.entitlement.overdue.v1';
export const CONSUMER_NAME = 'pipeline.effect';

export class PipelineTables1764400000900 implements MigrationInterface {
  name = 'PipelineTables1764400000900';
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE business (id uuid PRIMARY KEY, subject text NOT NULL, seq int NOT NULL)');
    await q.query(`
      CREATE TABLE effect (
        n bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        subject text NOT NULL,
        seq int NOT NULL,
        occurred_at timestamptz NOT NULL,
        committed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        pid int NOT NULL
      )`);
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE effect');
    await q.query('DROP TABLE business');
  }
}

export const PIPELINE_MIGRATIONS = [MessagingTables1764400000000, PipelineTables1764400000900];

/** What a worker process is told, as JSON in PIPELINE_WORKER. */
export interface WorkerConfig {
  databaseUrl: string;
  schema: string;
  poolSize: number;
  /** Postgres application_name, so a fault test can terminate this worker's connections. */
  applicationName: string;
  amqpUrl: string;
  namespace: string;
  service: string;
  prefetch?: number;
  /** Benchmark variants: wake relays with NOTIFY; consumer inbox batch size (1 = no group commit). */
  outboxNotify?: boolean;
  inboxBatch?: number;
  /**
   * How the consumer writes each event's effect row: `rows` (the default) with `Inbox.insert`,
   * so the rows of an inbox commit go in one statement; `handler` with a handler per event
   * running its own INSERT, as the services' consumers with domain logic are written.
   */
  effect?: 'rows' | 'handler';
  /** Log warnings as well as errors: the fault suite reads which events the consumer retried. */
  warnings?: boolean;
  // producer only
  write?: boolean;
  relay?: boolean;
  events?: number;
  writers?: number;
  subjects?: number;
  /** Events per second across all writers; unpaced when absent. */
  rate?: number;
  /** Fault tests: SIGKILL this process after this many confirmed batches, before marking them. */
  crashAfterConfirmedBatches?: number;
}

export function messagingFor(cfg: WorkerConfig): MessagingConfig {
  return {
    ...MESSAGING_DEFAULTS,
    urls: [cfg.amqpUrl],
    namespace: cfg.namespace,
    service: cfg.service,
    prefetch: cfg.prefetch ?? MESSAGING_DEFAULTS.prefetch,
    retryDelayMs: 200,
    relayPollMs: 100,
    outboxNotify: cfg.outboxNotify ?? false,
  };
}

export function eventData(subject: string, seq: number) {
  return {
    entitlementId: randomUUID(),
    studentKey: 'b'.repeat(64),
    countyCode: '150821',
    schoolCode: 'BENCH',
    policyCode: 'P1',
    term: '2020-autumn',
    amountDue: String(seq),
    amountPaid: '0',
    dueDate: '2020-10-31',
  };
}

export function readWorkerConfig(): WorkerConfig {
  const raw = process.env.PIPELINE_WORKER;
  if (!raw) throw new Error('PIPELINE_WORKER is not set');
  return JSON.parse(raw) as WorkerConfig;
}

/** Peak resident set size of this process, in bytes. */
export function peakRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** This process's CPU time so far (user + system), in microseconds. */
export function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Answers the benchmark's CPU questions over IPC. */
export function answerCpuRequests(): void {
  process.on('message', (m: { type: string }) => {
    if (m.type === 'cpu') process.send?.({ type: 'cpu', cpuUs: cpuUs() });
  });
}
