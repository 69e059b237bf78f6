import { Controller, type INestMicroservice } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { EventEnvelope } from '@edu/contracts';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { randomUUID } from 'node:crypto';
import {
  EventBusServer,
  Inbox,
  MessagingTables1764400000000,
  OnEvent,
  Outbox,
  OutboxRelay,
  BrokerConnection,
  PermanentEventError,
  type MessagingConfig,
} from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '@edu/testing';

export class EffectsTable1764400000001 implements MigrationInterface {
  name = 'EffectsTable1764400000001';
  async up(q: QueryRunner) {
    await q.query(
      `CREATE TABLE effects (n serial PRIMARY KEY, event_id uuid NOT NULL, subject text, seq int)`,
    );
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE effects');
  }
}

/** Records every overdue entitlement once; `dropout.case.opened` with school code "poison" always fails. */
@Controller()
export class TestConsumer {
  constructor(private readonly inbox: Inbox) {}

  @OnEvent('aid.entitlement.overdue.v1')
  async onOverdue(@Payload() e: EventEnvelope<'aid.entitlement.overdue.v1'>) {
    await this.inbox.handle('test.overdue', e, async (em) => {
      await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
        e.id,
        e.subject,
        Number(e.data.amountDue),
      ]);
    });
  }

  @OnEvent('dropout.case.opened.v1')
  async onOpened(@Payload() e: EventEnvelope<'dropout.case.opened.v1'>) {
    if (e.data.schoolCode === 'poison') throw new Error('handler always fails for poison');
    if (e.data.schoolCode === 'permanent') throw new PermanentEventError('rule broken');
    await this.inbox.handle('test.opened', e, async (em) => {
      await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, 0)', [e.id, e.subject]);
    });
  }
}

export function overdueData(seq: number, subject = randomUUID()) {
  return {
    entitlementId: subject,
    studentKey: 'b'.repeat(64),
    countyCode: '150821',
    schoolCode: 'S1',
    policyCode: 'P1',
    term: '2020-autumn',
    amountDue: String(seq),
    amountPaid: '0',
    dueDate: '2020-10-31',
  };
}

export function openedData(schoolCode = 'S1') {
  return {
    caseId: randomUUID(),
    studentKey: 'c'.repeat(64),
    countyCode: '150821',
    schoolCode,
    openedAt: new Date().toISOString(),
    verifyBy: '2020-10-31',
  };
}

export interface Harness {
  db: TestDatabase;
  outbox: Outbox;
  relay: OutboxRelay;
  broker: BrokerConnection;
  app: INestMicroservice;
  close(): Promise<void>;
}

/** A database schema, a relay and a consuming microservice on the real broker. */
export async function startHarness(config: MessagingConfig): Promise<Harness> {
  const db = await createTestDatabase('msg', [], [MessagingTables1764400000000, EffectsTable1764400000001]);
  const broker = new BrokerConnection(config.urls, 'test-relay');
  const relay = new OutboxRelay(db.dataSource, broker, config);
  const moduleRef = await Test.createTestingModule({
    controllers: [TestConsumer],
    providers: [{ provide: Inbox, useValue: new Inbox(db.dataSource) }],
  }).compile();
  const app = moduleRef.createNestMicroservice({ strategy: new EventBusServer(config) });
  app.useLogger(false);
  await app.listen();
  await relay.start();
  return {
    db,
    outbox: new Outbox('test'),
    relay,
    broker,
    app,
    async close() {
      await relay.stop();
      await broker.close();
      await app.close();
      await db.drop();
    },
  };
}
