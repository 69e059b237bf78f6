import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { createEnvelope, type EventEnvelope, type NotificationRequestedV1 } from '@edu/contracts';
import { EventBusServer, topologyNames } from '@edu/messaging';
import { configureApp } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  testMessagingConfig,
  type TestDatabase,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { NotificationEntity, SmsReceiptEntity } from '../src/notification/persistence/notification.entity.js';
import { readNotificationsConfig, type NotificationsConfig } from '../src/notifications.config.js';

export const SERVICE = 'notifications';

export interface RunningService {
  app: INestApplication;
  db: TestDatabase;
  config: NotificationsConfig;
  baseUrl: string;
  /** Publishes an event straight to the namespace's exchange, as the relay of another service would. */
  publish(event: EventEnvelope): Promise<void>;
  close(): Promise<void>;
}

/**
 * The service as main.ts runs it (AppModule, validation, the event consumer over the real
 * broker, HTTP on 127.0.0.1), in a schema and broker namespace of its own.
 */
export async function startService(env: Record<string, string>): Promise<RunningService> {
  const db = await createTestDatabase('notif', [NotificationEntity, SmsReceiptEntity], migrations);
  const messaging = testMessagingConfig(SERVICE);
  const config: NotificationsConfig = {
    ...readNotificationsConfig({ DISPATCH_INTERVAL_MS: '50', NOTIFY_RETRY_BASE_MS: '100', ...env }),
    database: { url: db.url, schema: db.schema, poolSize: 5 },
    migrateOnBoot: false,
    messaging,
  };
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
  const app = moduleRef.createNestApplication({
    logger: process.env.TEST_LOGS ? new ConsoleLogger() : false,
  });
  configureApp(app);
  app.connectMicroservice({ strategy: new EventBusServer(messaging) });
  await app.startAllMicroservices();
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const probe = await openProbe();
  const { events } = topologyNames(messaging.namespace);
  return {
    app,
    db,
    config,
    baseUrl,
    async publish(event) {
      probe.channel.publish(events, `${event.type}.v${event.version}`, Buffer.from(JSON.stringify(event)), {
        messageId: event.id,
        persistent: true,
        contentType: 'application/json',
      });
      await Promise.resolve();
    },
    async close() {
      await app.close();
      await probe.connection.close();
      await deleteTopology(messaging.namespace, [SERVICE]);
      await db.drop();
    },
  };
}

export const PARAMS = {
  cityName: '巴彦淖尔市',
  countyName: '五原县',
  frontName: '学生资助',
  itemCount: 3,
  amount: '625.00',
  level: 2,
};

/** A notification.requested.v1 as supervision sends it. */
export function noticeRequest(
  over: Partial<NotificationRequestedV1> = {},
): EventEnvelope<'notification.requested.v1'> {
  const escalationId = over.escalationId ?? randomUUID();
  const data: NotificationRequestedV1 = {
    requestId: randomUUID(),
    kind: 'interview_notice',
    escalationId,
    countyCode: '150821',
    recipient: { officialId: 'WY-HEAD', name: '王明', title: '五原县教育局局长' },
    channels: ['sms', 'email'],
    params: { ...PARAMS, escalationId },
    ...over,
  };
  return createEnvelope('notification.requested.v1', data, {
    producer: 'supervision',
    subject: escalationId,
    county: data.countyCode,
  });
}

export interface NotificationRow {
  id: string;
  request_id: string;
  channel: 'sms' | 'email';
  status: string;
  attempts: number;
  last_error: string | null;
  provider_message_id: string | null;
  provider_part_ids: string[];
  address: string;
}

export function rowsOf(db: TestDatabase, requestId: string): Promise<NotificationRow[]> {
  return db.dataSource.query('SELECT * FROM notification WHERE request_id = $1 ORDER BY channel', [
    requestId,
  ]);
}

export interface OutboxRow {
  routing_key: string;
  subject: string;
  envelope: EventEnvelope;
}

export function outboxOf(db: TestDatabase, subject: string): Promise<OutboxRow[]> {
  return db.dataSource.query(
    'SELECT routing_key, subject, envelope FROM outbox WHERE subject = $1 ORDER BY seq',
    [subject],
  );
}
