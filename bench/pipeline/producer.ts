import 'reflect-metadata';
import { BrokerConnection, Outbox, OutboxRelay } from '@edu/messaging';
import { createDataSource } from '@edu/persistence';
import { randomUUID } from 'node:crypto';
import {
  EVENT_KEY,
  eventData,
  messagingFor,
  peakRss,
  readWorkerConfig,
  answerCpuRequests,
  cpuUs,
} from './workload.js';

/**
 * A producer service: writers commit a business row and its outbox row per event; the
 * relay publishes. Subjects are split between writers, so each subject's events are
 * written in order.
 */
const cfg = readWorkerConfig();
const messaging = messagingFor(cfg);
const dataSource = createDataSource(
  { url: cfg.databaseUrl, schema: cfg.schema, poolSize: cfg.poolSize },
  [],
  [],
);
(dataSource.options as { applicationName?: string }).applicationName = cfg.applicationName;
Object.assign(dataSource.options, { applicationName: cfg.applicationName });
await dataSource.initialize();
const outbox = new Outbox('pipeline-producer', messaging.outboxNotify);

let broker: BrokerConnection | undefined;
let relay: OutboxRelay | undefined;
if (cfg.relay) {
  let batches = 0;
  broker = new BrokerConnection(messaging.urls, `${cfg.applicationName}-relay`);
  relay = new OutboxRelay(dataSource, broker, messaging, () => {
    if (cfg.crashAfterConfirmedBatches !== undefined && ++batches >= cfg.crashAfterConfirmedBatches) {
      process.kill(process.pid, 'SIGKILL');
    }
  });
  await relay.start();
}

async function write(): Promise<{ written: number; seconds: number }> {
  const events = cfg.events ?? 0;
  const writers = cfg.writers ?? 8;
  const subjects = Math.max(cfg.subjects ?? 100, writers);
  const started = performance.now();
  let next = 0;
  const seqs = new Map<string, number>();
  async function writer(w: number) {
    for (;;) {
      const i = next++;
      if (i >= events) return;
      if (cfg.rate) {
        const due = started + (i * 1000) / cfg.rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      // Writer w owns the subjects s with s % writers == w.
      const subject = `s-${((i % Math.floor(subjects / writers)) * writers + w) % subjects}`;
      const seq = seqs.get(subject) ?? 0;
      seqs.set(subject, seq + 1);
      const id = randomUUID();
      // A connection lost mid-commit leaves the outcome unknown: retry with the same id, and
      // a duplicate key means the first attempt had committed.
      for (;;) {
        try {
          await dataSource.transaction(async (em) => {
            await em.query('INSERT INTO business (id, subject, seq) VALUES ($1, $2, $3)', [id, subject, seq]);
            await outbox.add(em, EVENT_KEY, eventData(subject, seq), { subject, county: '150821' });
          });
          break;
        } catch (e) {
          if ((e as { code?: string }).code === '23505') break;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    }
  }
  await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
  return { written: events, seconds: (performance.now() - started) / 1000 };
}

answerCpuRequests();
process.send?.({ type: 'ready', cpuUs: cpuUs() });
if (cfg.write) process.send?.({ type: 'written', ...(await write()) });
process.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  void (async () => {
    await relay?.stop();
    await broker?.close();
    await dataSource.destroy();
    process.send?.({ type: 'stats', peakRss: peakRss() });
    process.exit(0);
  })();
});
