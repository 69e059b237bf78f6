import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DEV_AUTH_DEFAULTS, signToken, type AuthConfig, type Principal } from '@edu/auth';
import { declareExchanges } from '@edu/messaging';
import { grantRuntimeRole } from '@edu/persistence';
import type { Clock, ServiceConfig } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  startTestService,
  testMessagingConfig,
  type TestDatabase,
} from '@edu/testing';
import { fullIdNumbersIn, readable, ROLES_SHOWN_FULL_ID_NUMBERS } from './id-numbers.js';
import { AppModule as DropoutControlApp } from '../../../apps/dropout-control/src/app.module.js';
import { readDropoutControlConfig } from '../../../apps/dropout-control/src/dropout-control.config.js';
import { DropoutCaseEntity } from '../../../apps/dropout-control/src/dropout-case/persistence/dropout-case.entity.js';
import { migrations as dropoutMigrations } from '../../../apps/dropout-control/src/migrations/index.js';
import { AppModule as NotificationsApp } from '../../../apps/notifications/src/app.module.js';
import { migrations as notificationsMigrations } from '../../../apps/notifications/src/migrations/index.js';
import { NOTIFICATION_ENTITIES } from '../../../apps/notifications/src/notification/persistence/notification.entity.js';
import { readNotificationsConfig } from '../../../apps/notifications/src/notifications.config.js';
import { AppModule as SchoolConstructionApp } from '../../../apps/school-construction/src/app.module.js';
import { migrations as constructionMigrations } from '../../../apps/school-construction/src/migrations/index.js';
import { PROJECT_ENTITIES } from '../../../apps/school-construction/src/project/persistence/project.entity.js';
import { readSchoolConstructionConfig } from '../../../apps/school-construction/src/school-construction.config.js';
import { AppModule as StudentAidApp } from '../../../apps/student-aid/src/app.module.js';
import {
  EntitlementEntity,
  PaymentEntity,
} from '../../../apps/student-aid/src/entitlement/persistence/entitlement.entity.js';
import { migrations as aidMigrations } from '../../../apps/student-aid/src/migrations/index.js';
import { readStudentAidConfig } from '../../../apps/student-aid/src/student-aid.config.js';
import { AppModule as SupervisionApp } from '../../../apps/supervision/src/app.module.js';
import { migrations as supervisionMigrations } from '../../../apps/supervision/src/migrations/index.js';
import { readSupervisionConfig } from '../../../apps/supervision/src/supervision.config.js';

export type ServiceName =
  'dropout-control' | 'student-aid' | 'school-construction' | 'supervision' | 'notifications';

interface ServiceDefinition {
  entities: unknown[];
  migrations: unknown[];
  /** The service's own config from a test environment (sweeps and workers off). */
  config(env: Record<string, string>): ServiceConfig;
  module(config: ServiceConfig, clock?: Clock): unknown;
}

const quiet = { SWEEP_INTERVAL_MS: '0' };

const SERVICES: Record<ServiceName, ServiceDefinition> = {
  'dropout-control': {
    entities: [DropoutCaseEntity],
    migrations: dropoutMigrations,
    config: (env) => readDropoutControlConfig({ ...quiet, ...env }),
    module: (c, clock) => DropoutControlApp.register(c as never, { clock }),
  },
  'student-aid': {
    entities: [EntitlementEntity, PaymentEntity],
    migrations: aidMigrations,
    config: (env) => readStudentAidConfig({ ...quiet, ...env }),
    module: (c, clock) => StudentAidApp.register(c as never, { clock }),
  },
  'school-construction': {
    entities: PROJECT_ENTITIES,
    migrations: constructionMigrations,
    config: (env) => readSchoolConstructionConfig({ ...quiet, ...env }),
    module: (c, clock) => SchoolConstructionApp.register(c as never, { clock }),
  },
  supervision: {
    entities: [],
    migrations: supervisionMigrations,
    config: (env) => readSupervisionConfig({ ...quiet, ...env }),
    module: (c, clock) => SupervisionApp.register(c as never, { clock }),
  },
  notifications: {
    entities: NOTIFICATION_ENTITIES,
    migrations: notificationsMigrations,
    // No dispatch worker: messages stay as recorded, so a test can tell what a request changed.
    config: (env) => readNotificationsConfig({ ...quiet, DISPATCH_INTERVAL_MS: '0', ...env }),
    module: (c, clock) => NotificationsApp.register(c as never, { clock }),
  },
};

export interface Reply {
  status: number;
  text: string;
  raw: Buffer;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RunningService {
  name: ServiceName;
  app: INestApplication;
  url: string;
  db: TestDatabase;
  config: ServiceConfig;
  /** Log lines the service wrote (stdout and stderr are captured while it runs). */
  written: string[];
  /** Every answer `call` received that showed a full resident ID number, one line each. */
  fullIdAnswers: string[];
  token(who: Principal, auth?: Partial<AuthConfig>): Promise<string>;
  /** A request with a bearer token for `who` (none: no Authorization header). */
  call(
    method: string,
    path: string,
    who?: Principal | string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  sql<T = Record<string, unknown>>(query: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * Boots a service's root module exactly as main.ts does (bootstrapService), on the real
 * Postgres (a schema of its own) and RabbitMQ (a namespace of its own), logs captured.
 */
export async function bootService(
  name: ServiceName,
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    configure?: (c: ServiceConfig) => ServiceConfig;
    /**
     * Run the service as this role (created if missing), given its rights by the migration
     * runner's grant, instead of as the owner of the schema.
     */
    runtimeRole?: string;
  } = {},
): Promise<RunningService> {
  const def = SERVICES[name];
  const written: string[] = [];
  const fullIdAnswers: string[] = [];
  const capture = (s: unknown) => (written.push(String(s)), true);
  jest.spyOn(process.stdout, 'write').mockImplementation(capture);
  jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  const db = await createTestDatabase(
    name.replace(/-/g, '_').slice(0, 12),
    def.entities as never,
    def.migrations as never,
  );
  let runtimeUrl: string | undefined;
  if (options.runtimeRole) {
    await grantRuntimeRole(db.dataSource, db.schema, { name: options.runtimeRole });
    const u = new URL(db.url);
    u.username = options.runtimeRole;
    u.password = '';
    runtimeUrl = u.toString();
  }
  const messaging = testMessagingConfig(name);
  const base = def.config({ LOG_LEVEL: 'verbose', ...env });
  const config = (options.configure ?? ((c) => c))({
    ...base,
    database: { url: db.url, schema: db.schema, poolSize: 5, ...(runtimeUrl ? { runtimeUrl } : {}) },
    messaging,
  });
  const probe = await openProbe();
  await declareExchanges(probe.channel, messaging.namespace);
  await probe.connection.close();
  const { app, url } = await startTestService(def.module(config, options.clock), config);
  const token = (who: Principal, auth: Partial<AuthConfig> = {}) =>
    signToken(who, { ...DEV_AUTH_DEFAULTS, ...config.auth, ...auth });
  return {
    name,
    app,
    url,
    db,
    config,
    written,
    fullIdAnswers,
    token,
    async call(method, path, who, body, headers = {}) {
      const h: Record<string, string> = { ...headers };
      if (who !== undefined) h.authorization = `Bearer ${typeof who === 'string' ? who : await token(who)}`;
      let payload: string | Buffer | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        h['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${path}`, { method, headers: h, body: payload });
      const raw = Buffer.from(await res.arrayBuffer());
      const text = raw.toString('utf8');
      let parsed: unknown = null;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        parsed = { raw: text };
      }
      const reply = { status: res.status, text, raw, headers: res.headers, body: parsed };
      const exempt = typeof who === 'object' && ROLES_SHOWN_FULL_ID_NUMBERS.includes(who.role);
      const shown = exempt ? [] : fullIdNumbersIn(await readable(reply).catch(() => text));
      if (shown.length > 0)
        fullIdAnswers.push(
          `${method} ${path.split('?')[0]} -> ${res.status} with ${shown.length} full ID number(s)`,
        );
      return reply;
    },
    sql: (query, params = []) => db.dataSource.query(query, params),
    async close() {
      await app.close();
      await db.drop();
      await deleteTopology(messaging.namespace, [name]);
      jest.restoreAllMocks();
    },
  };
}
