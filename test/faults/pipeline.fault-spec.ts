import amqplib from 'amqplib';
import { createEnvelope } from '@edu/contracts';
import { publishEnvelope, rabbitmqctl, TEST_AMQP_URL } from '@edu/testing';
import { randomUUID } from 'node:crypto';
import { eventData } from '../../bench/pipeline/workload.js';
import { PipelineRun, type CaseReport } from './support/pipeline-run.js';

/*
 * The event pipeline under faults: a stream of 2 000 events from a producer service (writer
 * and relay processes) to a consumer service (processes), with a fault injected mid-stream.
 * Each case then checks, from the consumer's database, that every event written has its
 * effect exactly once. Recovery is automatic; a killed process is restarted as an
 * orchestrator would. Stops the local broker: runs alone (`--runInBand`, after the rest).
 */

const EVENTS = 2000;
const RATE = 500;
const reports: CaseReport[] = [];

afterAll(() => {
  const columns: [string, keyof CaseReport][] = [
    ['case', 'case'],
    ['sent', 'sent'],
    ['effects', 'effects'],
    ['distinct', 'distinct'],
    ['duplicates absorbed', 'duplicatesAbsorbed'],
    ['parked', 'parked'],
    // See OrderFindings.
    ['reordered', 'reordered'],
    ['of them not retried', 'reorderedNotRetried'],
    ['gaps', 'gaps'],
    ['unfilled', 'unfilled'],
    ['lost', 'lost'],
  ];
  const head = columns.map(([title]) => title);
  const rows = reports.map((r) => columns.map(([, key]) => String(r[key])));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\npipeline fault suite\n${[line(head), ...rows.map(line)].join('\n')}\n`);
});

async function inCase(name: string, body: (run: PipelineRun) => Promise<number>): Promise<CaseReport> {
  const run = new PipelineRun();
  await run.setUp();
  try {
    const duplicates = await body(run);
    await run.settle();
    const report = await run.report(name, duplicates);
    reports.push(report);
    return report;
  } finally {
    await run.tearDown();
  }
}

function expectExactlyOnce(r: CaseReport) {
  expect(r.sent).toBe(EVENTS);
  expect(r.effects).toBe(EVENTS);
  expect(r.distinct).toBe(EVENTS);
  // Not only as many: every event the producer committed has its effect.
  expect(r.lost).toBe(0);
}

const absorbed = (run: PipelineRun) =>
  Promise.all(
    run.workers
      .filter((w) => w.kind === 'consumer' && w.child.exitCode === null && w.child.signalCode === null)
      .map((w) => run.metric(w, 'inbox_duplicates_total', 'consumer="pipeline.effect"')),
  ).then((n) => n.reduce((a, b) => a + b, 0));

describe('the event pipeline under faults', () => {
  afterAll(async () => {
    // Whatever happened, leave the broker running.
    await rabbitmqctl('start_app').catch(() => undefined);
    await rabbitmqctl('await_startup').catch(() => undefined);
  });

  it('RabbitMQ stopped and restarted mid-stream', async () => {
    const r = await inCase('broker stop_app / start_app', async (run) => {
      const consumer = await run.start('consumer');
      await run.start('producer', { events: EVENTS, rate: RATE });
      await run.waitForEffects(400);
      await rabbitmqctl('stop_app');
      await new Promise((res) => setTimeout(res, 3000));
      await rabbitmqctl('start_app');
      await rabbitmqctl('await_startup');
      await run.settle();
      return run.metric(consumer, 'inbox_duplicates_total', 'consumer="pipeline.effect"');
    });
    expectExactlyOnce(r);
  });

  it('the consumer killed with SIGKILL mid-batch and restarted', async () => {
    const r = await inCase('consumer SIGKILL + restart', async (run) => {
      const consumer = await run.start('consumer');
      await run.start('producer', { events: EVENTS, rate: RATE });
      await run.waitForEffects(600);
      await consumer.kill('SIGKILL');
      await run.start('consumer');
      await run.settle();
      return absorbed(run);
    });
    expectExactlyOnce(r);
  });

  it('the relay killed with SIGKILL between publish and mark, and restarted', async () => {
    const r = await inCase('relay SIGKILL after confirm, before mark', async (run) => {
      await run.start('consumer');
      await run.start('writer', { events: EVENTS, rate: RATE });
      const relay = await run.start('relay', { crashAfterConfirmedBatches: 3 });
      expect(await relay.exited).toBeNull();
      expect(relay.child.signalCode).toBe('SIGKILL');
      await run.start('relay');
      await run.settle();
      return absorbed(run);
    });
    expectExactlyOnce(r);
    // The batch confirmed but never marked was published again, and the inbox absorbed it.
    expect(r.duplicatesAbsorbed).toBeGreaterThan(0);
  });

  it('Postgres connections of the producer and the consumer terminated mid-stream', async () => {
    const r = await inCase('pg_terminate_backend producer + consumer', async (run) => {
      const consumer = await run.start('consumer');
      await run.start('writer', { events: EVENTS, rate: RATE });
      await run.start('relay');
      await run.waitForEffects(500);
      expect(await run.terminateConnections(['writer', 'relay', 'consumer'])).toBeGreaterThan(2);
      await run.waitForEffects(1200);
      await run.terminateConnections(['writer', 'relay', 'consumer']);
      await run.settle();
      // The retried events, read from the consumer's warnings: as many as its metric counts.
      expect(run.retriedEvents()).toHaveLength(
        await run.metric(consumer, 'events_handled_total', 'outcome="retried"'),
      );
      return absorbed(run);
    });
    expectExactlyOnce(r);
    // The relay publishes a subject's events in order and the consumer handles them in delivery
    // order, but an event whose transaction was cut off goes to the retry queue and comes back
    // after later events of its subject (order is not promised for retries): only those may be
    // applied late. Their seqs are the gaps the later events skipped.
    expect(r.reorderedNotRetried).toBe(0);
  });

  it('poison messages are parked with a reason and counted, never blocking the others', async () => {
    let deadLettered = 0;
    const r = await inCase('poison messages mixed in', async (run) => {
      const consumer = await run.start('consumer');
      await run.start('producer', { events: EVENTS, rate: RATE });
      await run.waitForEffects(300);
      const c = await amqplib.connect(TEST_AMQP_URL);
      const ch = await c.createChannel();
      const good = createEnvelope('aid.entitlement.overdue.v1', eventData('poison', 0), {
        producer: 'fault',
        subject: 'poison',
        county: '150821',
      });
      for (let i = 0; i < 5; i++) {
        publishEnvelope(ch, run.namespace, {
          ...good,
          id: randomUUID(),
          data: { ...good.data, countyCode: 'nowhere' },
        } as never);
        // A version nobody knows, under a key the consumer is bound to.
        ch.publish(
          `${run.namespace}.events`,
          'aid.entitlement.overdue.v1',
          Buffer.from(JSON.stringify({ ...good, id: randomUUID(), version: 9 })),
          {
            persistent: true,
          },
        );
        ch.publish(`${run.namespace}.events`, 'aid.entitlement.overdue.v1', Buffer.from('{not json'), {
          persistent: true,
        });
      }
      await ch.close();
      await c.close();
      await run.settle();
      deadLettered = await run.metric(consumer, 'events_handled_total', 'outcome="dead_lettered"');
      const reasons = await run.parked();
      expect(reasons).toHaveLength(15);
      expect(reasons.filter((x) => x.includes('countyCode'))).toHaveLength(5);
      expect(reasons.filter((x) => x.includes('unknown event aid.entitlement.overdue.v9'))).toHaveLength(5);
      expect(reasons.filter((x) => x.startsWith('invalid event'))).toHaveLength(15);
      return 0;
    });
    expectExactlyOnce(r);
    expect(deadLettered).toBe(15);
  });

  it('two relay replicas and two consumer replicas: exactly once, in order per subject', async () => {
    const r = await inCase('2 relays + 2 consumers', async (run) => {
      await run.start('consumer');
      await run.start('consumer');
      await run.start('writer', { events: EVENTS, rate: RATE });
      await run.start('relay');
      await run.start('relay');
      await run.settle();
      return absorbed(run);
    });
    expectExactlyOnce(r);
    expect(r.reordered).toBe(0);
    expect(r.gaps).toBe(0);
  });
});
