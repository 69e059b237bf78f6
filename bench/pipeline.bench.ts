import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ClientProxyFactory, Ctx, EventPattern, Payload, RmqContext, Transport } from '@nestjs/microservices';
import amqplib from 'amqplib';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { lastValueFrom } from 'rxjs';
import { topologyNames } from '@edu/messaging';
import { StatementCachingClient, createDataSource, ensureDatabase, runMigrations } from '@edu/persistence';
import { PostgresCpu, sampleCpu, type CpuSample } from './pipeline/cpu.js';
import { PipelineWorker } from './pipeline/workers.js';
import { EVENT_KEY, PIPELINE_MIGRATIONS, eventData, peakRss } from './pipeline/workload.js';

/*
 * npm run bench -- pipeline [--events 20000] [--writers 8] [--variants]
 * npm run bench -- pipeline --quick [--handler]
 *
 * In one run on this machine's Postgres and RabbitMQ: the raw ceilings (amqplib with
 * confirms to a quorum queue; Postgres committing a business row + an outbox row per
 * transaction), the project's pipeline end to end (producer process → relay → broker →
 * consumer process, inbox + effect), its latency at half its own rate, the same pipeline
 * with a consumer handler per event instead of `Inbox.insert`, and the stock
 * @nestjs/microservices RMQ transport.
 */

const PG_SERVER = process.env.PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const DB_URL = `${PG_SERVER}/edu_bench`;

function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sample = JSON.stringify({
  id: randomUUID(),
  type: 'aid.entitlement.overdue',
  data: eventData('s-1', 1),
  pad: 'x'.repeat(300),
});

async function rawBroker(events: number): Promise<{ rate: number; cpu: CpuPerEvent }> {
  const queue = `bench.raw.${randomBytes(4).toString('hex')}`;
  const pub = await amqplib.connect(AMQP_URL);
  const sub = await amqplib.connect(AMQP_URL);
  try {
    const pc = await pub.createConfirmChannel();
    await pc.assertQueue(queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const sc = await sub.createChannel();
    await sc.prefetch(500);
    let received = 0;
    let done = () => {};
    const all = new Promise<void>((r) => (done = r));
    await sc.consume(queue, (m) => {
      if (!m) return;
      sc.ack(m);
      if (++received === events) done();
    });
    const body = Buffer.from(sample);
    const cpu0 = sampleCpu();
    const started = performance.now();
    for (let i = 0; i < events; i++) {
      if (!pc.publish('', queue, body, { persistent: true, messageId: randomUUID() }))
        await new Promise((r) => pc.once('drain', r));
      if (i % 500 === 499) await pc.waitForConfirms();
    }
    await pc.waitForConfirms();
    await all;
    const rate = events / ((performance.now() - started) / 1000);
    const cpu = perEvent(cpu0, sampleCpu(), events);
    await pc.deleteQueue(queue);
    return { rate, cpu };
  } finally {
    await pub.close();
    await sub.close();
  }
}

async function freshSchema(prefix: string): Promise<string> {
  const schema = `${prefix}_${randomBytes(3).toString('hex')}`;
  const ds = createDataSource({ url: DB_URL, schema, poolSize: 2 }, [], PIPELINE_MIGRATIONS);
  await ds.initialize();
  await runMigrations(ds, schema);
  await ds.destroy();
  return schema;
}

/**
 * Before each timed phase: a checkpoint started during a phase makes every page's next write log
 * a full-page image, which would slow whichever phase it fell in.
 */
async function checkpoint(): Promise<void> {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  await c.query('CHECKPOINT');
  await c.end();
}

async function dropSchema(schema: string): Promise<void> {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
}

/**
 * The raw Postgres ceiling: plain pg, each transaction BEGIN, the two INSERTs, COMMIT. With
 * `servicesClient` (a diagnostic, not the ceiling the issue defines) the same calls go through
 * the pg client the services use (StatementCachingClient): the two INSERTs prepared, the BEGIN
 * sent with the first of them, so three round trips instead of four, as in the pipeline's
 * producer: what the same work costs at its cheapest.
 */
async function rawPostgres(
  events: number,
  connections: number,
  servicesClient = false,
): Promise<{ rate: number; cpu: CpuPerEvent }> {
  const schema = await freshSchema('bench_raw');
  await checkpoint();
  const pool = new pg.Pool({
    connectionString: DB_URL,
    max: connections,
    options: `-c search_path=${schema}`,
    application_name: 'bench-raw',
    ...(servicesClient ? { Client: StatementCachingClient } : {}),
  });
  const watcher = new pg.Client({ connectionString: DB_URL });
  await watcher.connect();
  const pgCpu = new PostgresCpu(watcher, 'bench-raw');
  try {
    let next = 0;
    await pgCpu.start();
    const cpu0 = sampleCpu();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const c = await pool.connect();
        try {
          for (let i = next++; i < events; i = next++) {
            await c.query('BEGIN');
            await c.query('INSERT INTO business (id, subject, seq) VALUES ($1, $2, $3)', [
              randomUUID(),
              `s-${i % 100}`,
              i,
            ]);
            await c.query('INSERT INTO outbox (id, routing_key, subject, envelope) VALUES ($1, $2, $3, $4)', [
              randomUUID(),
              EVENT_KEY,
              `s-${i % 100}`,
              sample,
            ]);
            await c.query('COMMIT');
          }
        } finally {
          c.release();
        }
      }),
    );
    const rate = events / ((performance.now() - started) / 1000);
    const cpu1 = sampleCpu();
    return { rate, cpu: { ...perEvent(cpu0, cpu1, events), postgres: (await pgCpu.stop()) / events } };
  } finally {
    await pool.end();
    await watcher.end();
    await dropSchema(schema);
  }
}

interface PipelineResult {
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  /** p50 / p99 of the two legs: outbox commit → relay claim, relay claim → consumer commit. */
  legs: { waiting: number[]; delivering: number[] };
  producerRss: number;
  consumerRss: number;
  exactlyOnce: boolean;
  inOrder: boolean;
  cpu: CpuPerEvent;
}

/** CPU microseconds per event, by component. */
interface CpuPerEvent {
  producer: number;
  consumer: number;
  /** The process driving a raw ceiling (for the pipeline: the bench's own polling). */
  bench: number;
  broker: number;
  postgres: number;
}

function perEvent(
  a: CpuSample,
  b: CpuSample,
  events: number,
  workers = { producer: 0, consumer: 0 },
): CpuPerEvent {
  return {
    producer: workers.producer / events,
    consumer: workers.consumer / events,
    bench: (b.bench - a.bench) / events,
    broker: (b.broker - a.broker) / events,
    postgres: (b.postgres - a.postgres) / events,
  };
}

const totalCpu = (c: CpuPerEvent) => c.producer + c.consumer + c.bench + c.broker + c.postgres;

async function pipeline(
  events: number,
  writers: number,
  rate?: number,
  variant: { outboxNotify?: boolean; inboxBatch?: number; effect?: 'rows' | 'handler' } = {},
): Promise<PipelineResult> {
  const producerSchema = await freshSchema('bench_producer');
  const consumerSchema = await freshSchema('bench_consumer');
  await checkpoint();
  const namespace = `bench${randomBytes(3).toString('hex')}`;
  const common = { databaseUrl: DB_URL, amqpUrl: AMQP_URL, namespace, poolSize: writers + 2, ...variant };
  const consumer = await PipelineWorker.start('consumer', {
    ...common,
    schema: consumerSchema,
    applicationName: 'bench-consumer',
    service: 'consumer',
  });
  const counter = new pg.Client({ connectionString: DB_URL, options: `-c search_path=${consumerSchema}` });
  await counter.connect();
  // The producer's and the consumer's backends (bench-producer, bench-consumer).
  const pgCpu = new PostgresCpu(counter, 'bench-');
  try {
    const consumerCpu0 = await consumer.cpu();
    await pgCpu.start();
    const cpu0 = sampleCpu();
    const started = performance.now();
    const producer = await PipelineWorker.start('producer', {
      ...common,
      schema: producerSchema,
      applicationName: 'bench-producer',
      service: 'producer',
      write: true,
      relay: true,
      events,
      writers,
      subjects: 200,
      rate,
    });
    // The highest effect number is an index lookup; counting the rows every 50 ms would cost
    // Postgres a scan of the growing table, charged to the pipeline. Numbers lost to rolled
    // back inbox batches leave gaps, so the count confirms.
    for (;;) {
      const { rows } = await counter.query<{ n: number }>('SELECT coalesce(max(n), 0)::int AS n FROM effect');
      if (rows[0].n >= events) {
        const { rows: all } = await counter.query<{ n: number }>('SELECT count(*)::int AS n FROM effect');
        if (all[0].n >= events) break;
      }
      await sleep(50);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = sampleCpu();
    const cpu = {
      ...perEvent(cpu0, cpu1, events, {
        producer: (await producer.cpu()) - producer.readyCpuUs,
        consumer: (await consumer.cpu()) - consumerCpu0,
      }),
      postgres: (await pgCpu.stop()) / events,
    };
    const written = await producer.next('written');
    process.stdout.write(
      `    (writers alone: ${fmt((written.written ?? 0) / (written.seconds ?? 1))} events/s; end to end ${seconds.toFixed(1)} s)\n`,
    );
    const { rows: lat } = await counter.query<{ p: number[] }>(
      `SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM committed_at - occurred_at) * 1000) AS p FROM effect`,
    );
    const { rows: legs } = await counter.query<{ w: number[]; d: number[] }>(
      `SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM o.published_at - e.occurred_at) * 1000) AS w,
              percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM e.committed_at - o.published_at) * 1000) AS d
       FROM effect e JOIN ${producerSchema}.outbox o ON o.id = e.event_id`,
    );
    const { rows: once } = await counter.query<{ n: number; d: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM effect',
    );
    const { rows: order } = await counter.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM (SELECT seq, lag(seq) OVER (PARTITION BY subject ORDER BY n) AS prev FROM effect) x
       WHERE prev IS NOT NULL AND seq <> prev + 1`,
    );
    const producerRss = await producer.stop();
    const consumerRss = await consumer.stop();
    return {
      rate: events / seconds,
      p50: lat[0].p[0],
      p95: lat[0].p[1],
      p99: lat[0].p[2],
      producerRss,
      consumerRss,
      exactlyOnce: once[0].n === events && once[0].d === events,
      inOrder: order[0].bad === 0,
      cpu,
      legs: { waiting: legs[0].w, delivering: legs[0].d },
    };
  } finally {
    await counter.end();
    await consumer.kill().catch(() => undefined);
    await dropSchema(producerSchema);
    await dropSchema(consumerSchema);
    await deleteNamespace(namespace);
  }
}

async function deleteNamespace(namespace: string): Promise<void> {
  const c = await amqplib.connect(AMQP_URL);
  const ch = await c.createChannel();
  const n = topologyNames(namespace, 'consumer');
  for (const q of [n.queue, n.retry, n.dlq, n.unrouted]) await ch.deleteQueue(q);
  await ch.deleteExchange(n.events);
  await ch.deleteExchange(n.unrouted);
  await c.close();
}

/** The stock transport as users would wire it: ClientProxy.emit → @EventPattern. */
async function stockRmq(events: number, durable: boolean): Promise<number> {
  const queue = `bench.stock.${randomBytes(4).toString('hex')}`;
  let received = 0;
  let done = () => {};
  const all = new Promise<void>((r) => (done = r));

  @Controller()
  class StockConsumer {
    @(EventPattern('bench.stock') as MethodDecorator)
    handle(@Payload() _data: unknown, @Ctx() ctx: RmqContext) {
      if (durable) (ctx.getChannelRef() as amqplib.Channel).ack(ctx.getMessage() as amqplib.Message);
      if (++received === events) done();
    }
  }
  @Module({ controllers: [StockConsumer] })
  class StockModule {}

  const common = { urls: [AMQP_URL], queue, queueOptions: { durable } };
  const server = await NestFactory.createMicroservice(StockModule, {
    transport: Transport.RMQ,
    options: { ...common, noAck: !durable, prefetchCount: 32 },
    logger: false,
  });
  await server.listen();
  const client = ClientProxyFactory.create({
    transport: Transport.RMQ,
    options: { ...common, persistent: durable },
  });
  await client.connect();
  const payload = JSON.parse(sample) as object;
  const started = performance.now();
  for (let i = 0; i < events; i++) {
    await lastValueFrom(client.emit('bench.stock', payload), { defaultValue: undefined });
  }
  await all;
  const rate = events / ((performance.now() - started) / 1000);
  await client.close();
  await server.close();
  const c = await amqplib.connect(AMQP_URL);
  await (await c.createChannel()).deleteQueue(queue);
  await c.close();
  return rate;
}

/**
 * `--quick`: the raw Postgres ceiling, the unpaced pipeline and the CPU each spent per event,
 * nothing else; for trying a change in a few minutes before the full run. `--handler` runs
 * the consumer with a handler per event instead of `Inbox.insert`.
 */
async function quick(events: number, writers: number, effect: 'rows' | 'handler'): Promise<void> {
  const raw = await rawPostgres(events, writers);
  const full = await pipeline(events, writers, undefined, { effect });
  const c = full.cpu;
  process.stdout.write(
    `raw Postgres ${fmt(raw.rate)} txn/s (${fmt(totalCpu(raw.cpu))} µs CPU per txn)\n` +
      `pipeline ${fmt(full.rate)} events/s, ${((full.rate / raw.rate) * 100).toFixed(0)} % of it, exactly once and in order: ${full.exactlyOnce && full.inOrder}\n` +
      `CPU µs per event: producer ${fmt(c.producer)}, consumer ${fmt(c.consumer)}, RabbitMQ ${fmt(c.broker)}, Postgres ${fmt(c.postgres)}, total ${fmt(totalCpu(c))}\n`,
  );
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const fmt = (n: number) => n.toFixed(0);

export default async function pipelineBench(args: string[]): Promise<void> {
  const events = arg(args, '--events', 20000);
  const writers = arg(args, '--writers', 8);
  await ensureDatabase(DB_URL);
  process.stdout.write(`pipeline benchmark: ${events} events, ${writers} writer connections\n`);

  if (args.includes('--quick'))
    return quick(events, writers, args.includes('--handler') ? 'handler' : 'rows');
  const rawB = await rawBroker(events);
  const broker = rawB.rate;
  process.stdout.write(`  raw broker (confirms, quorum queue, manual ack): ${fmt(broker)} msg/s\n`);
  const rawP = await rawPostgres(events, writers);
  process.stdout.write(`  raw Postgres (business row + outbox row per commit): ${fmt(rawP.rate)} txn/s\n`);
  const full = await pipeline(events, writers);
  process.stdout.write(`  pipeline, unpaced: ${fmt(full.rate)} events/s\n`);
  // The ceiling again right after the pipeline: it drifts between runs (autovacuum, the
  // page cache, other work on the machine), so the ratio uses the mean of the two.
  const rawP2 = await rawPostgres(events, writers);
  process.stdout.write(`  raw Postgres again: ${fmt(rawP2.rate)} txn/s\n`);
  const postgres = (rawP.rate + rawP2.rate) / 2;
  const rawPrepared = await rawPostgres(events, writers, true);
  process.stdout.write(
    `  raw Postgres through the services' client (diagnostic): ${fmt(rawPrepared.rate)} txn/s\n`,
  );
  // The consumer as the services' consumers are written: a handler per event, its own INSERT.
  const handlerRun = await pipeline(events, writers, undefined, { effect: 'handler' });
  process.stdout.write(`  pipeline, a handler per event: ${fmt(handlerRun.rate)} events/s\n`);
  const half = await pipeline(events, writers, full.rate / 2);
  process.stdout.write(`  pipeline at ${fmt(full.rate / 2)} events/s: p99 ${half.p99.toFixed(1)} ms\n`);
  // What each change bought: the same run with one improvement taken back.
  const variants: [string, PipelineResult][] = [];
  if (args.includes('--variants')) {
    variants.push([
      '  with NOTIFY on every outbox write',
      await pipeline(events, writers, undefined, { outboxNotify: true }),
    ]);
    variants.push([
      '  without inbox group commit (batch 1)',
      await pipeline(events, writers, undefined, { inboxBatch: 1 }),
    ]);
  }
  const stockDefault = await stockRmq(events, false);
  const stockDurable = await stockRmq(events, true);

  const rows: [string, string][] = [
    ['raw broker msg/s (confirms, quorum, manual ack)', fmt(broker)],
    [
      'raw Postgres txn/s (business + outbox row): before / after the pipeline / mean',
      `${fmt(rawP.rate)} / ${fmt(rawP2.rate)} / ${fmt(postgres)}`,
    ],
    ['pipeline events/s (end to end, unpaced)', fmt(full.rate)],
    ['pipeline / raw Postgres ceiling (mean)', `${((full.rate / postgres) * 100).toFixed(0)} %`],
    [
      "diagnostic: raw Postgres through the services' pg client (INSERTs prepared, BEGIN with the first): txn/s, pipeline / it",
      `${fmt(rawPrepared.rate)}, ${((full.rate / rawPrepared.rate) * 100).toFixed(0)} %`,
    ],
    [
      'pipeline with a handler per event (its own INSERT, as the services consumers are written): events/s, / ceiling',
      `${fmt(handlerRun.rate)}, ${((handlerRun.rate / postgres) * 100).toFixed(0)} %`,
    ],
    [
      `latency at ${fmt(full.rate / 2)} events/s: p50 / p95 / p99`,
      `${half.p50.toFixed(1)} / ${half.p95.toFixed(1)} / ${half.p99.toFixed(1)} ms`,
    ],
    [
      '  of which outbox commit → relay claim: p50 / p99',
      `${half.legs.waiting[0].toFixed(1)} / ${half.legs.waiting[1].toFixed(1)} ms`,
    ],
    [
      '  of which relay claim → consumer commit: p50 / p99',
      `${half.legs.delivering[0].toFixed(1)} / ${half.legs.delivering[1].toFixed(1)} ms`,
    ],
    [
      'exactly once, in order per subject (every pipeline run)',
      String([full, half, handlerRun].every((r) => r.exactlyOnce && r.inOrder)),
    ],
    [
      'peak RSS producer / consumer / bench process',
      `${mb(Math.max(full.producerRss, half.producerRss))} / ${mb(Math.max(full.consumerRss, half.consumerRss))} / ${mb(peakRss())}`,
    ],
    ['stock Nest RMQ, defaults (noAck, not persistent) msg/s', fmt(stockDefault)],
    ['stock Nest RMQ, persistent + manual ack msg/s', fmt(stockDurable)],
    ['pipeline / stock defaults', `${(full.rate / stockDefault).toFixed(2)}x`],
    ['pipeline / stock persistent + ack', `${(full.rate / stockDurable).toFixed(2)}x`],
  ];
  for (const [name, v] of variants)
    rows.push([
      `${name}: events/s`,
      `${fmt(v.rate)} (${((v.rate / full.rate) * 100).toFixed(0)} % of the pipeline)`,
    ]);
  const us = (n: number) => fmt(n);
  rows.push(
    [
      'CPU µs per event, pipeline: producer (writers + relay) / consumer / RabbitMQ / Postgres / total',
      `${us(full.cpu.producer)} / ${us(full.cpu.consumer)} / ${us(full.cpu.broker)} / ${us(full.cpu.postgres)} / ${us(totalCpu(full.cpu))}`,
    ],
    [
      'CPU µs per event, pipeline with a handler per event: producer / consumer / RabbitMQ / Postgres / total',
      `${us(handlerRun.cpu.producer)} / ${us(handlerRun.cpu.consumer)} / ${us(handlerRun.cpu.broker)} / ${us(handlerRun.cpu.postgres)} / ${us(totalCpu(handlerRun.cpu))}`,
    ],
    [
      'CPU µs per txn, raw Postgres: client / Postgres / total',
      `${us(rawP.cpu.bench)} / ${us(rawP.cpu.postgres)} / ${us(totalCpu(rawP.cpu))}`,
    ],
    [
      "CPU µs per txn, raw Postgres through the services' client: client / Postgres / total",
      `${us(rawPrepared.cpu.bench)} / ${us(rawPrepared.cpu.postgres)} / ${us(totalCpu(rawPrepared.cpu))}`,
    ],
    [
      'CPU µs per msg, raw broker: client / RabbitMQ / total',
      `${us(rawB.cpu.bench)} / ${us(rawB.cpu.broker)} / ${us(totalCpu(rawB.cpu))}`,
    ],
  );
  const width = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n${rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v} |`).join('\n')}\n`);
}
