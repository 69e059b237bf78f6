import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { createEnvelope } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { declareExchanges, topologyNames } from '@edu/messaging';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  openProbe,
  publishEnvelope,
  startTestService,
  type TestDatabase,
  testMessagingConfig,
  waitFor,
} from '@edu/testing';
import { AppModule } from '../src/app.module.js';
import { migrations } from '../src/migrations/index.js';
import { PROJECT_ENTITIES } from '../src/project/persistence/project.entity.js';
import {
  readSchoolConstructionConfig,
  type SchoolConstructionConfig,
} from '../src/school-construction.config.js';

const SERVICE = 'school-construction';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Received {
  routingKey: string;
  subject: string;
  data: Record<string, unknown>;
}

const MILESTONES = ['approval', 'tender', 'ground_breaking', 'structure_complete', 'acceptance', 'in_use'];
const PLANNED = ['2020-10-01', '2020-11-01', '2021-03-01', '2021-06-01', '2021-08-01', '2021-08-25'];

describe('school-construction complete: budgets, progress, capacity, imports, exports, summary', () => {
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
  const wuyuan: Principal = { sub: 'op-wy', role: 'county_operator', county: '150821' };
  const uradRear: Principal = { sub: 'op-ur', role: 'county_operator', county: '150825' };
  const viewer: Principal = { sub: 'viewer', role: 'viewer' };

  const project = (over: Record<string, unknown> = {}) => ({
    name: '乌拉特后旗易地搬迁安置点配套学校',
    kind: 'relocation_site_school',
    countyCode: '150825',
    siteCode: 'SITE-A',
    seats: { primary: 300, junior: 100 },
    milestones: MILESTONES.map((kind, i) => ({ kind, plannedDate: PLANNED[i] })),
    ...over,
  });

  async function call(
    method: string,
    path: string,
    who: Principal,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json; total: string | null }> {
    const token = await signToken(who, DEV_AUTH_DEFAULTS);
    const raw = typeof body === 'string' || body instanceof FormData;
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(raw ? {} : { 'content-type': 'application/json' }),
        authorization: `Bearer ${token}`,
        ...headers,
      },
      body: body === undefined ? undefined : raw ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : {},
      total: res.headers.get('x-total-count'),
    };
  }

  async function receiveUntil(until: (all: Received[]) => boolean, what: string) {
    await waitFor(
      async () => {
        for (;;) {
          const m = await probe.channel.get(queue, { noAck: true });
          if (!m) return received;
          const e = JSON.parse(m.content.toString());
          received.push({ routingKey: m.fields.routingKey, subject: e.subject, data: e.data });
        }
      },
      until,
      { what },
    );
  }

  const events = (key: string, subject: string) =>
    received.filter((r) => r.routingKey === key && r.subject === subject).map((r) => r.data);

  /** Every event written so far for a subject, in order (what the relay will publish). */
  const outbox = async (subject: string) =>
    (
      await db.dataSource.query<{ routing_key: string }[]>(
        'SELECT routing_key FROM outbox WHERE subject = $1 ORDER BY seq',
        [subject],
      )
    ).map((r) => r.routing_key);

  const demand = (measuredAt: string, primary: number, junior = 80) =>
    createEnvelope(
      'dropout.relocation-demand.v1',
      {
        crosscheckId: '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b',
        siteCode: 'SITE-A',
        countyCode: '150825',
        schoolYear: '2020',
        preschool: 0,
        primary,
        junior,
        measuredAt,
      },
      { producer: 'dropout-control', subject: 'SITE-A', county: '150825' },
    );

  const demandsHandled = async () =>
    (
      await db.dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM inbox WHERE consumer = 'construction.relocation-demand'`,
      )
    )[0].n;

  beforeAll(async () => {
    db = await createTestDatabase('construction_complete', PROJECT_ENTITIES, migrations);
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
    probe = await openProbe();
    await declareExchanges(probe.channel, messaging.namespace);
    ({ queue } = await probe.channel.assertQueue('', { exclusive: true, autoDelete: true }));
    await probe.channel.bindQueue(queue, names.events, 'construction.#');
    ({ app, url: base } = await startTestService(AppModule.register(config, { clock }), config));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, [SERVICE]);
  });

  it('reports a relocation site short of seats once per stage, keeps the latest count, and settles when seats catch up', async () => {
    const first = await call('POST', '/api/projects', uradRear, project());
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      seats: { preschool: 0, primary: 300, junior: 100 },
      capacitySeats: 400,
    });

    publishEnvelope(probe.channel, messaging.namespace, demand('2020-07-10T08:00:00+08:00', 350));
    await receiveUntil(
      () => events('construction.capacity.shortfall.v1', 'SITE-A').length > 0,
      'the shortfall',
    );
    expect(events('construction.capacity.shortfall.v1', 'SITE-A')).toEqual([
      { siteCode: 'SITE-A', countyCode: '150825', stage: 'primary', demand: 350, seats: 300, shortfall: 50 },
    ]);

    // An earlier run arriving late changes nothing; a later one updates the numbers, no second report.
    publishEnvelope(probe.channel, messaging.namespace, demand('2020-07-01T00:00:00Z', 1000, 1000));
    publishEnvelope(probe.channel, messaging.namespace, demand('2020-07-14T00:00:00Z', 360));
    await waitFor(demandsHandled, (n) => n === 3, { what: 'three counts handled' });
    const site = await call('GET', '/api/sites/SITE-A', uradRear);
    expect(site.body).toMatchObject({
      siteCode: 'SITE-A',
      countyCode: '150825',
      schoolYear: '2020',
      demand: { preschool: 0, primary: 360, junior: 80 },
      seats: { preschool: 0, primary: 300, junior: 100 },
      projects: 1,
      shortfalls: [{ stage: 'primary', demand: 360, seats: 300, shortfall: 60, since: '2020-07-15' }],
    });
    await expect(call('GET', '/api/sites/SITE-A', wuyuan)).resolves.toMatchObject({ status: 404 });
    await expect(call('GET', '/api/sites?short=true', admin)).resolves.toMatchObject({
      body: [expect.objectContaining({ siteCode: 'SITE-A' })],
    });

    // A second school for the site: capacity catches up.
    const second = await call(
      'POST',
      '/api/projects',
      admin,
      project({ name: '安置点小学扩建', seats: { primary: 100 } }),
    );
    expect(second.status).toBe(201);
    await receiveUntil(
      () => events('construction.capacity.restored.v1', 'SITE-A').length > 0,
      'the restoration',
    );
    expect(events('construction.capacity.restored.v1', 'SITE-A')).toEqual([
      { siteCode: 'SITE-A', countyCode: '150825', stage: 'primary', demand: 360, seats: 400 },
    ]);
    expect(await outbox('SITE-A')).toEqual([
      'construction.capacity.shortfall.v1',
      'construction.capacity.restored.v1',
    ]);
    await expect(call('GET', '/api/sites?short=true', admin)).resolves.toMatchObject({ body: [] });
  });

  let wyProject: string;

  it('reports an overrun from a progress report once, and settles it when funding is added', async () => {
    const created = await call(
      'POST',
      '/api/projects',
      wuyuan,
      project({
        code: 'WY-2020-01',
        name: '五原县第三中学教师周转宿舍',
        kind: 'teacher_dormitory',
        countyCode: '150821',
        siteCode: undefined,
        seats: undefined,
        capacityBeds: 120,
        priority: true,
        funding: [
          { source: 'central', amount: '800000.00' },
          { source: 'county', amount: '200000' },
        ],
      }),
    );
    expect(created.status).toBe(201);
    wyProject = created.body.id;
    expect(created.body).toMatchObject({
      code: 'WY-2020-01',
      budget: '1000000.00',
      funding: [
        { source: 'central', amount: '800000.00' },
        { source: 'county', amount: '200000.00' },
      ],
      spentToDate: '0.00',
      registeredOn: '2020-07-15',
      exemptFromRectificationDeadline: true,
    });
    await expect(
      call('POST', '/api/projects', admin, project({ code: 'WY-2020-01' })),
    ).resolves.toMatchObject({
      status: 409,
      body: { error: 'PROJECT_CODE_IN_USE' },
    });

    const report = await call('POST', `/api/projects/${wyProject}/progress-reports`, wuyuan, {
      reportedOn: '2020-07-15',
      percentComplete: 35,
      narrative: '主体结构施工中。',
      documents: [{ title: '监理月报', reference: 'JL-2020-07' }],
      spentToDate: '1100000',
    });
    expect(report).toMatchObject({
      status: 201,
      body: { percentComplete: 35, spentToDate: '1100000.00', reportedBy: 'op-wy' },
    });
    await expect(
      call('POST', `/api/projects/${wyProject}/progress-reports`, uradRear, {
        reportedOn: '2020-07-15',
        percentComplete: 1,
        narrative: 'x',
      }),
    ).resolves.toMatchObject({ status: 404 });
    await expect(
      call('POST', `/api/projects/${wyProject}/progress-reports`, wuyuan, {
        reportedOn: '2020-07-16',
        percentComplete: 1,
        narrative: 'x',
      }),
    ).resolves.toMatchObject({ status: 400, body: { error: 'PROGRESS_REPORT_IN_FUTURE' } });

    const revised = await call('PATCH', `/api/projects/${wyProject}`, wuyuan, {
      funding: [
        { source: 'central', amount: '800000' },
        { source: 'county', amount: '200000' },
        { source: 'special_bond', amount: '150000' },
      ],
    });
    expect(revised.body).toMatchObject({ budget: '1150000.00', overrunSince: null, percentComplete: 35 });
    await expect(
      call('PATCH', `/api/projects/${wyProject}`, viewer, { priority: false }),
    ).resolves.toMatchObject({
      status: 403,
    });
    await expect(
      call('PATCH', `/api/projects/${wyProject}`, uradRear, { priority: false }),
    ).resolves.toMatchObject({
      status: 404,
    });

    await receiveUntil(
      () => events('construction.budget.restored.v1', wyProject).length > 0,
      'the overrun and its settlement',
    );
    expect(events('construction.budget.overrun.v1', wyProject)).toEqual([
      {
        projectId: wyProject,
        countyCode: '150821',
        budget: '1000000.00',
        spent: '1100000.00',
        overrun: '100000.00',
        tolerancePercent: 0,
        detectedOn: '2020-07-15',
      },
    ]);
    expect(events('construction.budget.restored.v1', wyProject)).toEqual([
      {
        projectId: wyProject,
        countyCode: '150821',
        budget: '1150000.00',
        spent: '1100000.00',
        restoredOn: '2020-07-15',
      },
    ]);
    const reports = await call('GET', `/api/projects/${wyProject}/progress-reports`, viewer);
    expect(reports.body).toEqual([
      expect.objectContaining({
        narrative: '主体结构施工中。',
        documents: [{ title: '监理月报', reference: 'JL-2020-07' }],
      }),
    ]);
  });

  it('sweeps a project that stopped reporting once, per the policy in force; a report settles it', async () => {
    clock.set(new Date('2020-08-20T02:00:00Z')); // 36 days after the last report
    await expect(
      call('POST', '/api/monitoring-policies', wuyuan, {
        effectiveFrom: '2020-09-01',
        stalledAfterDays: 14,
        overrunTolerancePercent: 5,
      }),
    ).resolves.toMatchObject({ status: 403 });
    // From 1 September reports are due every 14 days; until then the starting 30 days hold.
    const added = await call('POST', '/api/monitoring-policies', admin, {
      effectiveFrom: '2020-09-01',
      stalledAfterDays: 14,
      overrunTolerancePercent: 5,
    });
    expect(added.status).toBe(201);
    await expect(
      call('POST', '/api/monitoring-policies', admin, {
        effectiveFrom: '2020-09-01',
        stalledAfterDays: 20,
        overrunTolerancePercent: 0,
      }),
    ).resolves.toMatchObject({ status: 409 });

    const first = await call('POST', '/api/sweeps/overdue', admin);
    expect(first.status).toBe(200);
    // Every project here is 36 days without a report: each stalls once.
    expect(first.body.raised).toBe(3);
    await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({ body: { raised: 0 } });
    await expect(call('GET', '/api/projects?status=stalled&county=150821', admin)).resolves.toMatchObject({
      body: [expect.objectContaining({ id: wyProject, stalledSince: '2020-08-20' })],
    });

    const back = await call('POST', `/api/projects/${wyProject}/progress-reports`, wuyuan, {
      reportedOn: '2020-08-20',
      percentComplete: 50,
      narrative: '已封顶。',
    });
    expect(back.status).toBe(201);
    await receiveUntil(
      () => events('construction.progress.resumed.v1', wyProject).length > 0,
      'the resumption',
    );
    expect(events('construction.progress.stalled.v1', wyProject)).toEqual([
      {
        projectId: wyProject,
        countyCode: '150821',
        lastReportOn: '2020-07-15',
        since: '2020-07-15',
        stalledAfterDays: 30,
        detectedOn: '2020-08-20',
      },
    ]);
    expect(events('construction.progress.resumed.v1', wyProject)).toEqual([
      { projectId: wyProject, countyCode: '150821', stalledSince: '2020-08-20', resumedOn: '2020-08-20' },
    ]);

    // 15 days later under the 14-day policy: stalled again (a new stall, reported once).
    clock.set(new Date('2020-09-04T02:00:00Z'));
    await call('POST', '/api/sweeps/overdue', admin);
    expect(await outbox(wyProject)).toEqual([
      'construction.budget.overrun.v1',
      'construction.budget.restored.v1',
      'construction.progress.stalled.v1',
      'construction.progress.resumed.v1',
      'construction.progress.stalled.v1',
    ]);
  });

  const CSV_HEADER =
    'code,name,kind,county_code,site_code,priority,approval_planned,tender_planned,ground_breaking_planned,' +
    'structure_complete_planned,acceptance_planned,in_use_planned,funding_central,funding_county,spent_to_date,' +
    'seats_primary,seats_junior,capacity_beds';
  const dates = PLANNED.join(',');
  const FILE = [
    CSV_HEADER,
    `WY-2020-02,五原县隆兴昌镇寄宿制学校,township_boarding_school,150821,,是,${dates},500000,100000,0,200,100,150`,
    `WY-2020-03,五原县幼儿园,kindergarten,150821,,no,2020-10-01,2020-09-01,2021-03-01,2021-06-01,2021-08-01,2021-08-25,,,,,,`,
    `WY-2020-04,,stadium,1508,,maybe,${dates},1.234,,,,,`,
    `WY-2020-02,重复,small_rural_school,150821,,,${dates},,,,,,`,
    `WY-2020-01,改县,teacher_dormitory,150822,,,${dates},,,,,,`,
    `DK-2020-01,磴口县安置点学校,relocation_site_school,150822,SITE-D,yes,${dates},2000000,,,300,,`,
  ].join('\n');

  let firstImport: string;

  it('imports projects from CSV: every bad row by line and field, a repeated file changes nothing', async () => {
    const res = await call('POST', '/api/projects/import', admin, FILE, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'completed',
      rowsRead: 6,
      rowsRejected: 4,
      rowsLoaded: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    firstImport = res.body.id;
    const detail = await call('GET', `/api/imports/${firstImport}`, admin);
    expect(detail.body.rejected).toEqual([
      {
        line: 3,
        field: 'milestones',
        reason: 'milestones: tender is planned before approval',
      },
      { line: 4, field: 'county_code', reason: 'must be a 6-digit GB/T 2260 code' },
      { line: 4, field: 'funding_central', reason: 'must be an amount in yuan, e.g. 1250000.00' },
      { line: 4, field: 'kind', reason: expect.stringMatching(/^must be one of/) },
      { line: 4, field: 'name', reason: 'is required (up to 200 characters)' },
      { line: 4, field: 'priority', reason: 'must be yes or no' },
      { line: 5, field: 'code', reason: 'repeats the code of an earlier line' },
      { line: 6, field: 'county_code', reason: 'the code is registered to another county' },
    ]);
    const listed = await call('GET', '/api/projects?q=WY-2020-02', admin);
    expect(listed.body).toEqual([
      expect.objectContaining({
        code: 'WY-2020-02',
        priority: true,
        budget: '600000.00',
        seats: { preschool: 0, primary: 200, junior: 100 },
        capacitySeats: 300,
        capacityBeds: 150,
        registeredOn: '2020-09-04',
      }),
    ]);
    expect(listed.body[0].milestones.map((m: { plannedDate: string }) => m.plannedDate)).toEqual(PLANNED);
    // The Dengkou site got its first project: known now, its children not yet counted.
    await expect(call('GET', '/api/sites/SITE-D', admin)).resolves.toMatchObject({
      body: { countyCode: '150822', demand: null, seats: { primary: 300 }, shortfalls: [] },
    });

    const again = await call('POST', '/api/projects/import', admin, FILE, { 'content-type': 'text/csv' });
    expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: firstImport, inserted: 0 });
  });

  it('updates known codes from a changed file, raising what the new figures break, and keeps operators to their county', async () => {
    const changed = [
      CSV_HEADER,
      `WY-2020-02,五原县隆兴昌镇寄宿制学校,township_boarding_school,150821,,是,${dates},500000,100000,700000,200,100,150`,
      `DK-2020-01,磴口县安置点学校,relocation_site_school,150822,SITE-D,yes,${dates},2000000,,,300,,`,
    ].join('\n');
    const res = await call('POST', '/api/projects/import', admin, changed, { 'content-type': 'text/csv' });
    expect(res.body).toMatchObject({
      status: 'completed',
      inserted: 0,
      updated: 1,
      unchanged: 1,
      rowsRejected: 0,
    });
    const [wy2] = (await call('GET', '/api/projects?q=WY-2020-02', admin)).body;
    expect(wy2).toMatchObject({ spentToDate: '700000.00', overrunSince: '2020-09-04' });
    // 700000 of 600000 is beyond the 5% tolerance now in force.
    await receiveUntil(
      () => events('construction.budget.overrun.v1', wy2.id).length > 0,
      'the imported overrun',
    );
    expect(events('construction.budget.overrun.v1', wy2.id)).toEqual([
      expect.objectContaining({ budget: '600000.00', spent: '700000.00', tolerancePercent: 5 }),
    ]);

    const mine = await call(
      'POST',
      '/api/projects/import',
      wuyuan,
      [
        CSV_HEADER,
        `WY-2020-09,五原县新校,small_rural_school,150821,,,${dates},,,,,,`,
        changed.split('\n')[2],
      ].join('\n'),
      { 'content-type': 'text/csv' },
    );
    expect(mine.body).toMatchObject({ inserted: 1, rowsRejected: 1 });
    await expect(call('GET', `/api/imports/${mine.body.id}`, wuyuan)).resolves.toMatchObject({
      body: { rejected: [{ line: 3, field: 'county_code', reason: 'is outside your jurisdiction' }] },
    });
    await expect(call('GET', `/api/imports/${firstImport}`, wuyuan)).resolves.toMatchObject({ status: 404 });
    await expect(
      call('POST', '/api/projects/import', viewer, changed, { 'content-type': 'text/csv' }),
    ).resolves.toMatchObject({ status: 403 });
  });

  it('lists with filters and exports XLSX that imports back unchanged', async () => {
    const overrun = await call('GET', '/api/projects?status=overrun', admin);
    expect(overrun.body.map((p: { code: string }) => p.code)).toEqual(['WY-2020-02']);
    const priority = await call('GET', '/api/projects?priority=true&county=150821', admin);
    expect(priority.body.map((p: { code: string }) => p.code).sort()).toEqual(['WY-2020-01', 'WY-2020-02']);
    await expect(call('GET', '/api/projects?status=bogus', admin)).resolves.toMatchObject({ status: 400 });

    const token = await signToken(wuyuan, DEV_AUTH_DEFAULTS);
    const res = await fetch(`${base}/api/projects/export`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain('projects-2020-09-04.xlsx');
    const bytes = Buffer.from(await res.arrayBuffer());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 6)).toEqual(['code', 'name', 'kind', 'county_code', 'site_code', 'priority']);
    const codes = sheet.getColumn(1).values.slice(2) as string[];
    // A county operator exports their county only.
    expect([...codes].sort()).toEqual(['WY-2020-01', 'WY-2020-02', 'WY-2020-09']);
    const row = sheet.getRow(codes.indexOf('WY-2020-02') + 2);
    expect(row.getCell(header.indexOf('budget') + 1).value).toBe(600000);
    expect(row.getCell(header.indexOf('overrun_since') + 1).value).toBe('2020-09-04');

    const form = new FormData();
    form.append('file', new Blob([bytes]), 'projects.xlsx');
    const back = await call('POST', '/api/projects/import', wuyuan, form);
    expect(back.body).toMatchObject({
      status: 'completed',
      format: 'xlsx',
      inserted: 0,
      updated: 0,
      unchanged: 3,
    });
  });

  it('sums up each county for the battle map, and a county operator sees their county only', async () => {
    const all = await call('GET', '/api/summary', viewer);
    expect(all.body.asOf).toBe('2020-09-04');
    const byCode = Object.fromEntries(
      all.body.counties.map((c: { countyCode: string }) => [c.countyCode, c]),
    );
    expect(Object.keys(byCode)).toEqual(['150821', '150822', '150825']);
    expect(byCode['150821']).toMatchObject({
      projects: { total: 3, priority: 2, inUse: 0, underway: 3, byKind: { teacher_dormitory: 1 } },
      breaches: { overrun: 1, stalled: 1 },
      budget: { total: '1750000.00', spent: '1800000.00', bySource: { special_bond: '150000.00' } },
      progress: { reporting: 1, averagePercentComplete: 50 },
      capacity: { seats: { primary: 200, junior: 100 }, beds: 270 },
    });
    expect(byCode['150825']).toMatchObject({
      capacity: {
        sites: 1,
        sitesCounted: 1,
        sitesShort: 0,
        children: { primary: 360, junior: 80 },
        seats: { primary: 400, junior: 100 },
      },
      breaches: { capacityShortfalls: 0 },
    });
    expect(all.body.total).toMatchObject({ countyCode: 'total', projects: { total: 6 } });

    const own = await call('GET', '/api/summary', uradRear);
    expect(own.body.counties.map((c: { countyCode: string }) => c.countyCode)).toEqual(['150825']);
    await expect(call('GET', '/api/summary?county=150821', uradRear)).resolves.toMatchObject({ status: 403 });
  });

  it('settles an overrun in a sweep once a more tolerant policy takes effect', async () => {
    const [wy2] = (await call('GET', '/api/projects?q=WY-2020-02', admin)).body;
    await call('POST', '/api/monitoring-policies', admin, {
      effectiveFrom: '2020-09-05',
      stalledAfterDays: 14,
      overrunTolerancePercent: 20,
    });
    await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({ body: { raised: 0 } });
    clock.set(new Date('2020-09-05T02:00:00Z'));
    // 700000 spent of 600000 is within 20%: the only change anywhere on 5 September.
    await expect(call('POST', '/api/sweeps/overdue', admin)).resolves.toMatchObject({ body: { raised: 1 } });
    expect(await outbox(wy2.id)).toEqual([
      'construction.budget.overrun.v1',
      'construction.budget.restored.v1',
    ]);
    await expect(call('GET', '/api/monitoring-policies', viewer)).resolves.toMatchObject({
      body: [
        {
          effectiveFrom: '2000-01-01',
          stalledAfterDays: 30,
          overrunTolerancePercent: 0,
          createdBy: 'migration',
        },
        { effectiveFrom: '2020-09-01', stalledAfterDays: 14, overrunTolerancePercent: 5, createdBy: 'admin' },
        {
          effectiveFrom: '2020-09-05',
          stalledAfterDays: 14,
          overrunTolerancePercent: 20,
          createdBy: 'admin',
        },
      ],
    });
  });

  it('documents its routes at /api/docs-json', async () => {
    const doc = (await (await fetch(`${base}/api/docs-json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/projects/import',
        '/api/projects/export',
        '/api/projects/{id}/progress-reports',
        '/api/monitoring-policies',
        '/api/sites',
        '/api/sites/{siteCode}',
        '/api/summary',
        '/api/imports/{id}',
      ]),
    );
  });

  it('pages projects and sites with the total, a county operator only in their county', async () => {
    // Two more relocation sites in Urad Rear Banner, each with its school.
    for (const site of ['SITE-B', 'SITE-C'])
      expect((await call('POST', '/api/projects', uradRear, project({ siteCode: site }))).status).toBe(201);
    const count = async (table: string, county?: string) =>
      (
        await db.dataSource.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${table} WHERE $1::char(6) IS NULL OR county_code = $1`,
          [county ?? null],
        )
      )[0].n;
    const ids = (r: { body: Json }) =>
      (r.body as { id?: string; siteCode: string }[]).map((x) => x.id ?? x.siteCode);

    for (const [path, table] of [
      ['/api/projects', 'project'],
      ['/api/sites', 'relocation_site'],
    ]) {
      const all = await call('GET', `${path}?limit=1000`, admin);
      const total = await count(table);
      expect(all.total).toBe(String(total));
      expect(all.body).toHaveLength(total);
      const first = await call('GET', `${path}?limit=2`, admin);
      const second = await call('GET', `${path}?limit=2&offset=2`, admin);
      expect([first.total, second.total]).toEqual([String(total), String(total)]);
      expect(first.body).toHaveLength(2);
      expect([...ids(first), ...ids(second)]).toEqual(ids(all).slice(0, 4));
      expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);

      const ownTotal = await count(table, '150825');
      expect(ownTotal).toBeGreaterThanOrEqual(3);
      expect(ownTotal).toBeLessThan(total);
      const own = await call('GET', `${path}?limit=2&offset=2`, uradRear);
      expect(own.total).toBe(String(ownTotal));
      expect(own.body.map((x: { countyCode: string }) => x.countyCode)).toEqual(
        Array(Math.min(2, ownTotal - 2)).fill('150825'),
      );
      await expect(call('GET', `${path}?county=150821`, uradRear)).resolves.toMatchObject({ status: 403 });
      for (const q of ['limit=0', 'limit=5000', 'offset=-1'])
        await expect(call('GET', `${path}?${q}`, admin)).resolves.toMatchObject({ status: 400 });
    }

    // The imports made so far: the admin's and Wuyuan's operator's.
    const [{ n: imports }] = await db.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM import_job',
    );
    const [{ n: wuyuanImports }] = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM import_job WHERE county_scope = '150821'`,
    );
    expect(imports).toBeGreaterThan(2);
    expect(wuyuanImports).toBeGreaterThan(0);
    const everyImport = await call('GET', '/api/imports?limit=200', admin);
    expect(everyImport.total).toBe(String(imports));
    const firstImports = await call('GET', '/api/imports?limit=1', admin);
    const secondImports = await call('GET', '/api/imports?limit=1&offset=1', admin);
    expect([firstImports.total, secondImports.total]).toEqual([String(imports), String(imports)]);
    expect([...ids(firstImports), ...ids(secondImports)]).toEqual(ids(everyImport).slice(0, 2));
    const ownImports = await call('GET', '/api/imports?limit=200', wuyuan);
    expect(ownImports.total).toBe(String(wuyuanImports));
    expect(ownImports.body).toHaveLength(wuyuanImports);
    for (const q of ['limit=0', 'limit=201', 'offset=-1'])
      await expect(call('GET', `/api/imports?${q}`, admin)).resolves.toMatchObject({ status: 400 });
  });
});
