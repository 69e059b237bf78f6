import 'reflect-metadata';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { EventBusServer, Inbox, MessagingModule, OnEvent } from '@edu/messaging';
import { HEALTH_CHECKS, HealthController } from '@edu/observability';
import { dataSourceOptions } from '@edu/persistence';
import {
  CONSUMER_NAME,
  messagingFor,
  peakRss,
  readWorkerConfig,
  answerCpuRequests,
  cpuUs,
} from './workload.js';

/** A consumer service: each event's effect and inbox row commit together, then the ack. */
const cfg = readWorkerConfig();
const messaging = messagingFor(cfg);

@Controller()
class EffectConsumer {
  constructor(private readonly inbox: Inbox) {}

  @OnEvent('aid.entitlement.overdue.v1')
  async onEvent(@Payload() e: EventEnvelope<'aid.entitlement.overdue.v1'>) {
    if (cfg.effect !== 'handler') {
      await this.inbox.insert(CONSUMER_NAME, e, 'effect', {
        event_id: e.id,
        subject: e.subject,
        seq: Number(e.data.amountDue),
        occurred_at: e.occurredAt,
        pid: process.pid,
      });
      return;
    }
    await this.inbox.handle(CONSUMER_NAME, e, async (em) => {
      await em.query(
        'INSERT INTO effect (event_id, subject, seq, occurred_at, pid) VALUES ($1, $2, $3, $4, $5)',
        [e.id, e.subject, Number(e.data.amountDue), e.occurredAt, process.pid],
      );
    });
  }
}

@Module({
  imports: [
    TypeOrmModule.forRoot(
      dataSourceOptions(
        {
          url: cfg.databaseUrl,
          schema: cfg.schema,
          poolSize: cfg.poolSize,
          applicationName: cfg.applicationName,
        },
        [],
        [],
      ),
    ),
    MessagingModule.forService(messaging, { relay: false }),
  ],
  controllers: [EffectConsumer, HealthController],
  providers: [
    { provide: HEALTH_CHECKS, useValue: [] },
    // The benchmark's no-group-commit variant replaces the module's Inbox.
    ...(cfg.inboxBatch
      ? [
          {
            provide: Inbox,
            useFactory: (ds: DataSource) => new Inbox(ds, { maxBatch: cfg.inboxBatch ?? 64, concurrency: 2 }),
            inject: [DataSource],
          },
        ]
      : []),
  ],
})
class ConsumerModule {}

const app = await NestFactory.create(ConsumerModule, {
  logger: cfg.warnings ? ['error', 'warn'] : ['error'],
});
app.connectMicroservice({ strategy: new EventBusServer(messaging) });
await app.startAllMicroservices();
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address() as { port: number };
answerCpuRequests();
process.send?.({ type: 'ready', cpuUs: cpuUs(), port });
process.on('message', (m: { type: string }) => {
  if (m.type !== 'stop') return;
  void app.close().then(() => {
    process.send?.({ type: 'stats', peakRss: peakRss() });
    process.exit(0);
  });
});
