import { ConsoleLogger, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { randomUUID } from 'node:crypto';
import { signToken, type Principal } from '@edu/auth';
import { createEnvelope, type EventEnvelope, type NotificationRequestedV1 } from '@edu/contracts';
import { EventBusServer, topologyNames } from '@edu/messaging';
import { configureApp, type Clock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  testMessagingConfig,
  type TestDatabase,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { NOTIFICATION_ENTITIES } from '../src/notification/persistence/notification.entity.js';
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
export async function startService(
  env: Record<string, string>,
  options: { clock?: Clock } = {},
): Promise<RunningService> {
  const db = await createTestDatabase('notif', NOTIFICATION_ENTITIES, migrations);
  const messaging = testMessagingConfig(SERVICE);
  const config: NotificationsConfig = {
    ...readNotificationsConfig({ DISPATCH_INTERVAL_MS: '50', NOTIFY_RETRY_BASE_MS: '100', ...env }),
    database: { url: db.url, schema: db.schema, poolSize: 5 },
    migrateOnBoot: false,
    messaging,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config, options)],
  }).compile();
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
  provider: string | null;
  fallback_of: string | null;
  urgent: boolean;
  template_id: string | null;
  next_attempt_at: Date;
  body: string;
}

/** GET with a token for `who` (none: no Authorization header); the body parsed, and the headers. */
export async function apiGet(svc: RunningService, path: string, who?: Principal) {
  const headers: Record<string, string> = {};
  if (who) headers.authorization = `Bearer ${await signToken(who, svc.config.auth)}`;
  const res = await fetch(`${svc.baseUrl}${path}`, { headers });
  const text = await res.text();
  const body = text ? JSON.parse(text) : null;
  return { status: res.status, body, headers: res.headers };
}

export async function apiPost(svc: RunningService, path: string, body: unknown, who?: Principal) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who) headers.authorization = `Bearer ${await signToken(who, svc.config.auth)}`;
  const res = await fetch(`${svc.baseUrl}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const text = await res.text();
  const parsed = text ? JSON.parse(text) : null;
  return { status: res.status, body: parsed };
}

export const ADMIN: Principal = { sub: 'admin', role: 'city_admin' };

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
