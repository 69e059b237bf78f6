import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { declareExchanges, topologyNames } from '@edu/messaging';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  startTestService,
  type TestDatabase,
  testMessagingConfig,
  waitFor,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { ProjectEntity, ProjectMilestoneEntity } from '../src/project/persistence/project.entity.js';
import {
  readSchoolConstructionConfig,
  type SchoolConstructionConfig,
} from '../src/school-construction.config.js';

const SERVICE = 'school-construction';

interface Milestone {
  id: string;
  kind: string;
  plannedDate: string;
  completedOn: string | null;
  overdueSince: string | null;
}

/** The JSON the API answers with: a project view, a list of them, or an error. */
interface Body {
  id: string;
  milestones: Milestone[];
  message?: string;
  [field: string]: unknown;
}

interface Reply {
  status: number;
  body: Body;
}

interface Received {
  routingKey: string;
  data: Record<string, unknown>;
}

describe('school-construction on the real database and broker', () => {
  // 15 July 2020, Beijing time.
  const clock = new FixedClock(new Date('2020-07-15T02:00:00Z'));
  const messaging = testMessagingConfig(SERVICE);
  const names = topologyNames(messaging.namespace);
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let queue: string;
  const received: Received[] = [];

  const admin: Principal = { sub: 'admin', role: 'city_admin' };
  const uradMiddle: Principal = { sub: 'op', role: 'county_operator', county: '150824' };
  const linhe: Principal = { sub: 'op2', role: 'county_operator', county: '150802' };
  const viewer: Principal = { sub: 'viewer', role: 'viewer' };

  const request = (over: Record<string, unknown> = {}) => ({
    name: '小佘太学校改扩建',
    kind: 'renovation_expansion',
    countyCode: '150824',
    siteCode: 'SITE-7',
    capacitySeats: 600,
    capacityBeds: 300,
    milestones: [
      { kind: 'approval', plannedDate: '2020-07-01' }, // already missed on 15 July
      { kind: 'tender', plannedDate: '2020-08-01' },
      { kind: 'ground_breaking', plannedDate: '2020-09-01' },
      { kind: 'structure_complete', plannedDate: '2021-06-01' },
      { kind: 'acceptance', plannedDate: '2021-08-01' },
      { kind: 'in_use', plannedDate: '2021-09-01' },
    ],
    ...over,
  });

  async function call(method: string, path: string, who: Principal, body?: unknown): Promise<Reply> {
    const token = await signToken(who, DEV_AUTH_DEFAULTS);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Body };
  }

  /** Drains the probe queue until `until` holds for what arrived so far. */
  async function receiveUntil(until: (all: Received[]) => boolean, what: string) {
    await waitFor(
      async () => {
        for (;;) {
          const m = await probe.channel.get(queue, { noAck: true });
          if (!m) return received;
          received.push({ routingKey: m.fields.routingKey, data: JSON.parse(m.content.toString()).data });
        }
      },
      until,
      { what },
    );
  }

  const about = (projectId: string, key: string) =>
    received.filter((r) => r.routingKey === key && r.data.projectId === projectId);

  beforeAll(async () => {
    db = await createTestDatabase('construction', [ProjectEntity, ProjectMilestoneEntity], migrations);
    const config: SchoolConstructionConfig = {
      ...readSchoolConstructionConfig({}),
      host: '127.0.0.1',
      port: 0,
      logLevel: 'error',
      migrateOnBoot: false,
      database: { url: db.url, schema: db.schema, poolSize: 5 },
      messaging,
      sweepIntervalMs: 0,
    };
    // One probe queue for both keys: events of one project arrive in the order written.
    probe = await openProbe();
    await declareExchanges(probe.channel, messaging.namespace);
    ({ queue } = await probe.channel.assertQueue('', { exclusive: true, autoDelete: true }));
    await probe.channel.bindQueue(queue, names.events, 'construction.milestone.overdue.v1');
    await probe.channel.bindQueue(queue, names.events, 'construction.milestone.completed.v1');
    ({ app, url: base } = await startTestService(AppModule.register(config, { clock }), config));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, [SERVICE]);
  });

  it('reports a missed milestone once, refuses completion out of order, then completes in order', async () => {
    const created = await call('POST', '/api/projects', uradMiddle, request());
    expect(created.status).toBe(201);
    const projectId = created.body.id;
    expect(created.body.milestones.map((m) => m.kind)).toEqual([
      'approval',
      'tender',
      'ground_breaking',
      'structure_complete',
      'acceptance',
      'in_use',
    ]);
    const approval = created.body.milestones[0];

    const first = await call('POST', '/api/sweeps/overdue', admin);
    expect(first).toMatchObject({ status: 200, body: { raised: 1 } });
    await receiveUntil((all) => all.some((r) => r.data.projectId === projectId), 'the overdue event');
    expect(about(projectId, 'construction.milestone.overdue.v1').map((r) => r.data)).toEqual([
      {
        projectId,
        milestoneId: approval.id,
        milestone: 'approval',
        countyCode: '150824',
        plannedDate: '2020-07-01',
      },
    ]);

    const again = await call('POST', '/api/sweeps/overdue', admin);
    expect(again.body).toEqual({ raised: 0 });

    const outOfOrder = await call(
      'POST',
      `/api/projects/${projectId}/milestones/tender/complete`,
      uradMiddle,
      {
        completedOn: '2020-07-10',
      },
    );
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body).toMatchObject({
      error: 'MILESTONE_OUT_OF_ORDER',
      message: 'tender cannot be completed before approval is completed',
    });

    const done = await call('POST', `/api/projects/${projectId}/milestones/approval/complete`, uradMiddle, {
      completedOn: '2020-07-10',
    });
    expect(done.status).toBe(200);
    expect(done.body.milestones[0]).toMatchObject({ completedOn: '2020-07-10', overdueSince: '2020-07-15' });

    // The completion is written after any second overdue event would have been, and a
    // project's events leave in order: once it is here, nothing else is still coming.
    await receiveUntil(
      () => about(projectId, 'construction.milestone.completed.v1').length > 0,
      'the completed event',
    );
    expect(about(projectId, 'construction.milestone.overdue.v1')).toHaveLength(1);
    expect(about(projectId, 'construction.milestone.completed.v1').map((r) => r.data)).toEqual([
      {
        projectId,
        milestoneId: approval.id,
        milestone: 'approval',
        countyCode: '150824',
        completedOn: '2020-07-10',
      },
    ]);
    const rows = await db.dataSource.query<{ routing_key: string }[]>(
      'SELECT routing_key FROM outbox WHERE subject = $1 ORDER BY seq',
      [projectId],
    );
    expect(rows.map((r) => r.routing_key)).toEqual([
      'construction.milestone.overdue.v1',
      'construction.milestone.completed.v1',
    ]);

    // Later, tender is missed too: a new milestone, a new report.
    clock.set(new Date('2020-08-02T02:00:00Z'));
    await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({ body: { raised: 1 } });
    await receiveUntil(
      () => about(projectId, 'construction.milestone.overdue.v1').length === 2,
      'the second overdue event',
    );
    expect(about(projectId, 'construction.milestone.overdue.v1').map((r) => r.data.milestone)).toEqual([
      'approval',
      'tender',
    ]);
  });

  it('keeps county operators to their county and viewers to reading', async () => {
    await expect(call('POST', '/api/projects', linhe, request())).resolves.toMatchObject({ status: 403 });
    await expect(call('POST', '/api/projects', viewer, request())).resolves.toMatchObject({ status: 403 });
    const before = await db.dataSource.query<{ n: number }[]>('SELECT count(*)::int AS n FROM project');

    const created = await call('POST', '/api/projects', admin, request({ name: '乌拉特中旗寄宿制学校' }));
    const id = created.body.id;
    await expect(call('GET', `/api/projects/${id}`, viewer)).resolves.toMatchObject({
      status: 200,
      body: { id },
    });
    await expect(call('GET', `/api/projects/${id}`, linhe)).resolves.toMatchObject({ status: 404 });
    await expect(
      call('POST', `/api/projects/${id}/milestones/approval/complete`, linhe, { completedOn: '2020-07-01' }),
    ).resolves.toMatchObject({ status: 404 });
    await expect(call('GET', '/api/projects?county=150824', linhe)).resolves.toMatchObject({ status: 403 });
    const own = await call('GET', '/api/projects', linhe);
    expect(own.body).toEqual([]);
    const all = await call('GET', '/api/projects?county=150824', admin);
    expect((all.body as unknown as Body[]).length).toBe(before[0].n + 1);
  });

  it('documents its routes at /api/docs-json', async () => {
    const res = await fetch(`${base}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/projects',
        '/api/projects/{id}',
        '/api/projects/{id}/milestones/{kind}/complete',
        '/api/sweeps/overdue',
      ]),
    );
  });

  it('refuses a project without all six milestones, naming what is missing', async () => {
    const res = await call(
      'POST',
      '/api/projects',
      admin,
      request({
        milestones: [
          { kind: 'approval', plannedDate: '2020-07-01' },
          { kind: 'approval', plannedDate: '2020-07-02' },
          { kind: 'tender', plannedDate: '2020-08-01' },
          { kind: 'ground_breaking', plannedDate: '2020-09-01' },
          { kind: 'acceptance', plannedDate: '2021-08-01' },
          { kind: 'in_use', plannedDate: '2021-09-01' },
        ],
      }),
    );
    expect(res).toMatchObject({ status: 400, body: { error: 'PROJECT_INVALID_MILESTONES' } });
    expect(res.body.message).toMatch(/approval is given twice/);
  });
});
