import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import type { EventMap } from '@edu/contracts';
import type { MessagingConfig } from '@edu/messaging';
import type { Clock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  startTestService,
  testMessagingConfig,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { readSupervisionConfig } from '../src/supervision.config.js';

/** The service on a migrated test schema and a test namespace, with the sweeps off and the test's clock. */
export function startOnSchema(
  db: TestDatabase,
  messaging: MessagingConfig,
  clock: Clock,
): Promise<TestService> {
  const config = {
    ...readSupervisionConfig({}),
    migrateOnBoot: false,
    sweepIntervalMs: 0,
    database: { url: db.url, schema: db.schema, poolSize: 5 },
    messaging,
  };
  return startTestService(AppModule.register(config, { clock }), config);
}

/** `startOnSchema` on a schema and namespace of its own, with the officials of `officialsCsv` imported. */
export async function startSupervision(name: string, clock: Clock, officialsCsv: string) {
  const messaging = testMessagingConfig('supervision');
  const db = await createTestDatabase(name, [], migrations);
  const svc = await startOnSchema(db, messaging, clock);
  const token = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
  const res = await fetch(`${svc.url}/api/officials/import`, {
    method: 'POST',
    body: officialsCsv,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
  });
  const imported = (await res.json()) as { upserted: number; rejected: unknown[] };
  return {
    db,
    svc,
    imported,
    async close() {
      await svc.close();
      await db.drop();
      await deleteTopology(messaging.namespace, ['supervision']);
    },
  };
}

/** An autumn-2020 entitlement (625 yuan unless said), nothing paid, overdue since 31 October. */
export function unpaidEntitlement(
  entitlementId: string,
  countyCode: string,
  amountDue = '625.00',
): EventMap['aid.entitlement.overdue.v1'] {
  return {
    entitlementId,
    studentKey: 'a'.repeat(64),
    countyCode,
    schoolCode: 'S1',
    policyCode: 'P1',
    term: '2020-autumn',
    amountDue,
    amountPaid: '0',
    dueDate: '2020-10-31',
  };
}
