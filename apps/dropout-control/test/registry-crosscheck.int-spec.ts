import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { residentIdCheckChar } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { writeXlsx, XLSX_CONTENT_TYPE } from '@edu/imports';
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
import { CrosscheckRepository } from '../src/crosscheck/persistence/crosscheck.repository.js';
import { DropoutCaseEntity } from '../src/dropout-case/persistence/dropout-case.entity.js';
import { readDropoutControlConfig, type DropoutControlConfig } from '../src/dropout-control.config.js';
import { migrations } from '../src/migrations/index.js';

const SERVICE = 'dropout-control';

/** A valid resident ID number born on `birth` (YYYYMMDD) in `region`. */
function idNumber(birth: string, seq: number, region = '150821'): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

// School year 2020: ages count on 2020-09-01, compulsory 6-15.
const A = idNumber('20120315', 1); // 8, enrolled
const B = idNumber('20100501', 2); // 10, not in the student registry
const P = idNumber('19850101', 3); // adult
const C = idNumber('20090720', 4); // 11, dropped
const D = idNumber('20111111', 5); // 8, suspended, moderate disability
const E = idNumber('20040901', 6); // 16: past compulsory age
const F = idNumber('20160101', 7); // 4: preschool
const S = idNumber('20130202', 8); // 7, severe disability, not in the registry
const G = idNumber('20080808', 9); // 12, household status none
const K = idNumber('20110101', 10, '150822'); // 9, Dengkou, not in the registry
const L = idNumber('20120101', 11, '150822'); // 8, Dengkou, loaded later by Dengkou's operator
const X = idNumber('20100101', 12, '150822'); // a student of no poor household

const FORMULA_NAME = '=HYPERLINK("http://x","点击")';
const NAMES = ['甲小明', '乙小红', '丙小刚', '丁小丽', '戊小军', '己小华', '庚小强', '辛小芳', '壬小伟'];

const STUDENT_HEADER =
  'id_number,name,birth_date,county_code,school_code,school_name,stage,grade,enrolment_status,disability_level';
const student = (
  id: string,
  name: string,
  birth: string,
  status: string,
  disability = 'none',
  school = 'WY-001',
) => `${id},${name},${birth},150821,${school},五原一小,primary,3,${status},${disability}`;

const STUDENTS = [
  STUDENT_HEADER,
  student(A, '甲小明', '2012-03-15', 'enrolled'),
  student(C, '丙小刚', '2009-07-20', 'dropped', 'none', 'WY-002'),
  student(D, '丁小丽', '2011-11-11', 'suspended', 'moderate', 'WY-002'),
  `${X},外县生,2010-01-01,150822,DK-001,磴口一小,primary,5,enrolled,none`,
  `${A.slice(0, 17)}${A[17] === '0' ? '1' : '0'},错号,2012-03-15,150821,WY-001,五原一小,primary,3,enrolled,none`,
  student(idNumber('20120316', 20), '错日', '2012-03-15', 'enrolled'),
  `${idNumber('20120317', 21)},错段,2012-03-17,150821,WY-001,五原一小,college,3,enrolled,none`,
  student(A, '甲小明重复', '2012-03-15', 'enrolled'),
  `${idNumber('20120318', 22, '110101')},外市,2012-03-18,110101,BJ-001,北京一小,primary,3,enrolled,none`,
].join('\n');

const POVERTY_HEADER =
  'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';
const member = (
  household: string,
  id: string,
  name: string,
  birth: string,
  opts: { county?: string; status?: string; disability?: string; site?: string } = {},
) =>
  [
    household,
    id,
    name.includes(',') || name.includes('"') ? `"${name.replace(/"/g, '""')}"` : name,
    birth,
    opts.county ?? '150821',
    '隆兴昌镇',
    '新丰村',
    opts.status ?? 'registered_poor',
    '否',
    opts.disability ?? 'none',
    opts.site ?? '',
  ].join(',');

const POVERTY = [
  POVERTY_HEADER,
  member('H1', A, '甲小明', '2012-03-15', { site: 'RS-1' }),
  member('H1', B, FORMULA_NAME, '2010-05-01', { site: 'RS-1' }),
  member('H1', P, '戊大人', '1985-01-01', { site: 'RS-1' }),
  member('H2', C, '丙小刚', '2009-07-20', { status: 'lifted' }),
  member('H2', D, '丁小丽', '2011-11-11', { status: 'low_income' }),
  member('H3', E, '己小华', '2004-09-01', { site: 'RS-1' }),
  member('H3', F, '庚小强', '2016-01-01', { site: 'RS-1' }),
  member('H3', S, '辛小芳', '2013-02-02', { site: 'RS-1', disability: 'severe' }),
  member('H3', G, '壬小伟', '2008-08-08', { site: 'RS-1', status: 'none' }),
  member('H4', K, '癸小东', '2011-01-01', { county: '150822', site: 'RS-2' }),
].join('\n');

interface Reply {
  status: number;
  text: string;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

describe('registries, cross-check and the case ledger on the real database and broker', () => {
  const clock = new FixedClock(new Date('2020-09-10T02:00:00Z'));
  const messaging = testMessagingConfig(SERVICE);
  const names = topologyNames(messaging.namespace);
  const written: string[] = [];
  let db: TestDatabase;
  let config: DropoutControlConfig;
  let app: INestApplication;
  let base: string;
  let probe: Awaited<ReturnType<typeof openProbe>>;
  let demandQueue: string;

  const admin: Principal = { sub: 'admin', role: 'city_admin' };
  const checker: Principal = { sub: 'admin-2', role: 'city_admin' };
  const wuyuan: Principal = { sub: 'op-wuyuan', role: 'county_operator', county: '150821' };
  const dengkou: Principal = { sub: 'op-dengkou', role: 'county_operator', county: '150822' };
  const viewer: Principal = { sub: 'viewer', role: 'viewer' };

  async function call(
    method: string,
    path: string,
    who: Principal,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<Reply> {
    const token = await signToken(who, DEV_AUTH_DEFAULTS);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    let payload: RequestInit['body'];
    if (body instanceof FormData) payload = body;
    else if (typeof body === 'string' || body instanceof Uint8Array) {
      headers['content-type'] = contentType;
      payload = body as RequestInit['body'];
    } else if (body !== undefined) {
      headers['content-type'] = contentType;
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${base}${path}`, { method, headers, body: payload });
    const type = res.headers.get('content-type') ?? '';
    if (type.startsWith(XLSX_CONTENT_TYPE)) {
      return {
        status: res.status,
        text: '',
        headers: res.headers,
        body: Buffer.from(await res.arrayBuffer()),
      };
    }
    const text = await res.text();
    return { status: res.status, text, headers: res.headers, body: text ? JSON.parse(text) : {} };
  }

  const csvForm = (content: string, filename = 'registry.csv') => {
    const form = new FormData();
    form.append('file', new Blob([content], { type: 'text/csv' }), filename);
    return form;
  };

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.dataSource.query<{ n: number }[]>(sql, params))[0].n;
  const outboxCount = (key: string) =>
    count('SELECT count(*)::int AS n FROM outbox WHERE routing_key = $1', [key]);
  const caseOf = async (id: string) =>
    (
      await db.dataSource.query<{ id: string; state: string; reopen_count: number }[]>(
        'SELECT id, state, reopen_count FROM dropout_case WHERE student_id_number = $1',
        [id],
      )
    )[0];

  beforeAll(async () => {
    const capture = (s: unknown) => (written.push(String(s)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);

    db = await createTestDatabase('dropout_registry', [DropoutCaseEntity], migrations);
    config = {
      ...readDropoutControlConfig({}),
      host: '127.0.0.1',
      port: 0,
      logLevel: 'verbose',
      migrateOnBoot: false,
      database: { url: db.url, schema: db.schema, poolSize: 5 },
      messaging,
      sweepIntervalMs: 0,
    };
    probe = await openProbe();
    await declareExchanges(probe.channel, messaging.namespace);
    ({ queue: demandQueue } = await probe.channel.assertQueue('', { exclusive: true, autoDelete: true }));
    await probe.channel.bindQueue(demandQueue, names.events, 'dropout.relocation-demand.v1');
    ({ app, url: base } = await startTestService(AppModule.register(config, { clock }), config));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, [SERVICE]);
    jest.restoreAllMocks();
  });

  let firstRun: string;
  const caseIds: Record<string, string> = {};

  it('imports the student registry: good rows load, every bad row is reported by line, field and reason', async () => {
    const importId = '0b9f8a52-64a4-4d6e-9d5b-0f3c7e1a2b01';
    const res = await call(
      'POST',
      `/api/registry/students/import?importId=${importId}`,
      admin,
      STUDENTS,
      'text/csv',
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: importId,
      kind: 'student-registry',
      status: 'completed',
      rowsRead: 9,
      rowsRejected: 5,
      rowsLoaded: 4,
      inserted: 4,
      crosscheck: {
        status: 'completed',
        trigger: 'import',
        importId,
        schoolYear: 2020,
        cutoff: '2020-09-01',
      },
    });
    expect(res.body.rejected).toEqual([
      { line: 6, field: 'id_number', reason: 'has a wrong check digit' },
      { line: 7, field: 'birth_date', reason: 'differs from the birth date in the ID number' },
      {
        line: 8,
        field: 'stage',
        reason: 'must be one of preschool, primary, junior, senior, vocational, special',
      },
      { line: 9, field: 'id_number', reason: 'repeats the ID number of line 2' },
      { line: 10, field: 'county_code', reason: 'must be the 6-digit code of a county of 150800' },
    ]);
    expect(res.text).not.toContain(A.slice(0, 17));
    // The same counts and rows at GET /api/imports/{id}.
    const progress = await call('GET', `/api/imports/${importId}`, admin);
    expect(progress.body).toMatchObject({ status: 'completed', rowsRead: 9, rowsRejected: 5 });
    expect(progress.body.rejected).toHaveLength(5);
    await expect(count('SELECT count(*)::int AS n FROM student_registry')).resolves.toBe(4);
    // The first load went straight into the empty registry: the repeat of A (line 9) is gone,
    // every row names its import and line, and the primary key was built after the rows.
    await expect(
      count(`SELECT import_line AS n FROM student_registry WHERE id_number = $1 AND import_id = $2`, [
        A,
        importId,
      ]),
    ).resolves.toBe(2);
    await expect(
      count(
        `SELECT count(*)::int AS n FROM pg_constraint
         WHERE conrelid = 'student_registry'::regclass AND contype = 'p' AND conname = 'student_registry_pkey'`,
      ),
    ).resolves.toBe(1);
  });

  it('imports the poverty registry (multipart) and the cross-check opens a case per new dropout, counted per county', async () => {
    const res = await call('POST', '/api/registry/poverty/import', admin, csvForm(POVERTY, 'poverty.csv'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'completed',
      inserted: 10,
      rowsRejected: 0,
      filename: 'poverty.csv',
    });
    const run = res.body.crosscheck;
    firstRun = run.id;
    expect(run.counties).toEqual([
      {
        countyCode: '150821',
        schoolAge: 5, // A, B, C, D, S — E is 16, F is 4, G's household is not watched
        suspected: 4,
        notInRegistry: 2,
        suspended: 1,
        dropped: 1,
        confirmed: 4,
        opened: 4,
        reopened: 0,
        alreadyOpen: 0,
        explained: 0,
        enrolledWithOpenCase: 0,
      },
      {
        countyCode: '150822',
        schoolAge: 1,
        suspected: 1,
        notInRegistry: 1,
        suspended: 0,
        dropped: 0,
        confirmed: 1,
        opened: 1,
        reopened: 0,
        alreadyOpen: 0,
        explained: 0,
        enrolledWithOpenCase: 0,
      },
    ]);
    expect(run).toMatchObject({ relocationSites: 2, totals: { schoolAge: 6, opened: 5 } });
    for (const [key, id] of Object.entries({ B, C, D, S, K })) caseIds[key] = (await caseOf(id)).id;
    await expect(caseOf(A)).resolves.toBeUndefined();
    await expect(outboxCount('dropout.case.opened.v1')).resolves.toBe(5);
    await expect(count(`SELECT count(*)::int AS n FROM case_history WHERE action = 'open'`)).resolves.toBe(5);
    // Each child the run opened a case for is linked to that case in the ledger, and only those.
    const letterOf = Object.fromEntries(Object.entries({ A, B, C, D, S, K }).map(([k, v]) => [v, k]));
    await expect(
      db.dataSource.query(
        `SELECT c.id_number, c.action, c.case_id FROM crosscheck_child c WHERE c.run_id = $1 ORDER BY c.id_number`,
        [run.id],
      ),
    ).resolves.toEqual(
      [C, B, D, A, S, K].map((id) => ({
        id_number: id,
        action: id === A ? null : 'open',
        case_id: caseIds[letterOf[id]] ?? null,
      })),
    );

    const [c] = await db.dataSource.query<Record<string, unknown>[]>(
      `SELECT source, finding, household_id, school_code, disability_level, registered_poor, opened_by
       FROM dropout_case WHERE id = $1`,
      [caseIds.D],
    );
    expect(c).toEqual({
      source: 'crosscheck',
      finding: 'suspended',
      household_id: 'H2',
      school_code: 'WY-002',
      disability_level: 'moderate',
      registered_poor: false,
      opened_by: 'admin',
    });
    await expect(
      db.dataSource.query('SELECT household_id, county_code FROM household_plan ORDER BY household_id'),
    ).resolves.toEqual([
      { household_id: 'H1', county_code: '150821' },
      { household_id: 'H2', county_code: '150821' },
      { household_id: 'H3', county_code: '150821' },
      { household_id: 'H4', county_code: '150822' },
    ]);
  });

  it('emits each relocation site’s demand by stage, reaching the broker with the site as subject', async () => {
    const rows = await db.dataSource.query<{ subject: string; envelope: { county: string; data: object } }[]>(
      `SELECT subject, envelope FROM outbox WHERE routing_key = 'dropout.relocation-demand.v1' ORDER BY subject`,
    );
    expect(rows.map((r) => [r.subject, r.envelope.county, r.envelope.data])).toEqual([
      // RS-1: F (4) preschool; A, B, S primary; G (12) junior; E (16) and the adult not counted.
      [
        'RS-1',
        '150821',
        expect.objectContaining({
          siteCode: 'RS-1',
          schoolYear: '2020',
          preschool: 1,
          primary: 3,
          junior: 1,
          crosscheckId: firstRun,
        }),
      ],
      ['RS-2', '150822', expect.objectContaining({ siteCode: 'RS-2', preschool: 0, primary: 1, junior: 0 })],
    ]);
    const seen = await waitFor(
      async () => probe.channel.get(demandQueue, { noAck: true }),
      (m) => m !== false,
      { what: 'a relocation-demand message' },
    );
    const envelope = JSON.parse((seen as { content: Buffer }).content.toString());
    expect(envelope).toMatchObject({
      type: 'dropout.relocation-demand',
      subject: expect.stringMatching(/^RS-/),
    });
  });

  it('changes nothing when the same file comes again', async () => {
    const outboxBefore = await count('SELECT count(*)::int AS n FROM outbox');
    const res = await call('POST', '/api/registry/poverty/import', admin, POVERTY, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'duplicate', crosscheck: null, inserted: 0 });
    await expect(count('SELECT count(*)::int AS n FROM outbox')).resolves.toBe(outboxBefore);
    await expect(count('SELECT count(*)::int AS n FROM crosscheck_run')).resolves.toBe(2);
  });

  it('a later run opens nothing twice; county operators see their county only', async () => {
    const res = await call('POST', '/api/crosscheck', admin, {});
    expect(res.status).toBe(201);
    expect(res.body.totals).toMatchObject({ schoolAge: 6, confirmed: 5, opened: 0, alreadyOpen: 5 });
    await expect(outboxCount('dropout.case.opened.v1')).resolves.toBe(5);
    await expect(count('SELECT count(*)::int AS n FROM dropout_case')).resolves.toBe(5);
    await expect(count(`SELECT count(*)::int AS n FROM case_history WHERE action = 'open'`)).resolves.toBe(5);
    // The children already tracked point at the cases the first run opened.
    await expect(
      count(
        `SELECT count(*)::int AS n FROM crosscheck_child c JOIN dropout_case d ON d.id = c.case_id
         WHERE c.run_id = $1 AND c.action = 'tracked' AND d.student_id_number = c.id_number`,
        [res.body.id],
      ),
    ).resolves.toBe(5);

    const asDengkou = await call('GET', `/api/crosscheck/${res.body.id}`, dengkou);
    expect(asDengkou.body.counties.map((c: { countyCode: string }) => c.countyCode)).toEqual(['150822']);
    const own = await call('POST', '/api/crosscheck', dengkou, { schoolYear: 2020 });
    expect(own.body).toMatchObject({ countyScope: '150822', totals: { schoolAge: 1, alreadyOpen: 1 } });
    await expect(call('GET', `/api/crosscheck/${own.body.id}`, wuyuan)).resolves.toMatchObject({
      status: 404,
    });
    await expect(call('POST', '/api/crosscheck', viewer, {})).resolves.toMatchObject({ status: 403 });

    const suspected = await call('GET', `/api/crosscheck/${firstRun}/children?ledger=suspected`, viewer);
    expect(suspected.headers.get('x-total-count')).toBe('5');
    expect(suspected.body.map((r: { action: string }) => r.action)).toEqual([
      'open',
      'open',
      'open',
      'open',
      'open',
    ]);
    expect(suspected.body[0].name).toBeUndefined();
    expect(suspected.text).not.toContain(B.slice(0, 17));
    expect(suspected.body.map((r: { idNumber: string }) => r.idNumber)).toContain(
      `150821********${B.slice(14)}`,
    );
    const schoolAge = await call('GET', `/api/crosscheck/${firstRun}/children?county=150821`, wuyuan);
    expect(schoolAge.headers.get('x-total-count')).toBe('5');
    expect(schoolAge.body.map((r: { name: string }) => r.name)).toContain('甲小明');
  });

  it('a county operator’s XLSX import loads their county only and runs their county’s cross-check', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const header = POVERTY_HEADER.split(',');
    await writeXlsx(
      out,
      'poverty',
      header.map((h, i) => ({ header: h, value: (r: string[]) => r[i] })),
      [
        [
          'H5',
          L,
          '子小东',
          '2012-01-01',
          '150822',
          '巴彦高勒镇',
          '新华村',
          'registered_poor',
          'false',
          'none',
          '',
        ],
        [
          'H1',
          A,
          '甲小明',
          '2012-03-15',
          '150822',
          '巴彦高勒镇',
          '新华村',
          'registered_poor',
          'false',
          'none',
          '',
        ],
        [
          'H6',
          idNumber('20120505', 30),
          '丑小西',
          '2012-05-05',
          '150821',
          '镇',
          '村',
          'registered_poor',
          'false',
          'none',
          '',
        ],
      ],
    );
    const res = await call(
      'POST',
      '/api/registry/poverty/import',
      dengkou,
      Buffer.concat(chunks),
      XLSX_CONTENT_TYPE,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ format: 'xlsx', inserted: 1, rowsRejected: 2 });
    expect(res.body.rejected).toEqual([
      { line: 3, field: 'id_number', reason: "is on another county's registry" },
      { line: 4, field: 'county_code', reason: 'is outside your jurisdiction' },
    ]);
    expect(res.body.crosscheck).toMatchObject({
      countyScope: '150822',
      totals: { opened: 1, alreadyOpen: 1 },
    });
    await expect(
      db.dataSource.query(`SELECT county_code FROM poverty_member WHERE id_number = $1`, [A]),
    ).resolves.toEqual([{ county_code: '150821' }]);
    await expect(call('GET', `/api/imports/${res.body.id}`, wuyuan)).resolves.toMatchObject({ status: 404 });
  });

  it('walks a case with attempts to returned; an enrolled child with an open case is flagged, not closed', async () => {
    const path = `/api/cases/${caseIds.C}`;
    await call('POST', `${path}/verify`, wuyuan, { reason: 'work' });
    await call('POST', `${path}/plan`, wuyuan, {
      persuaders: { school: '王老师', township: '李乡长', village: '赵书记' },
    });
    await call('POST', `${path}/attempts`, wuyuan, {
      attemptedOn: '2020-09-10',
      persuaders: [{ name: '王老师', role: 'school' }],
      method: 'phone',
      outcome: 'agreed_to_return',
    });
    await expect(
      call('POST', `${path}/resolve`, wuyuan, { resolution: 'returned', schoolCode: 'WY-002' }),
    ).resolves.toMatchObject({ status: 200, body: { state: 'resolved' } });
    await expect(call('POST', `${path}/close`, checker, { evidence: '学籍恢复' })).resolves.toMatchObject({
      status: 200,
      body: { state: 'closed', closedBy: 'admin-2' },
    });

    const back = [
      STUDENT_HEADER,
      student(C, '丙小刚', '2009-07-20', 'enrolled'),
      student(D, '丁小丽', '2011-11-11', 'enrolled', 'moderate'),
    ];
    const res = await call('POST', '/api/registry/students/import', admin, back.join('\n'), 'text/csv');
    expect(res.body).toMatchObject({ updated: 2, crosscheck: { status: 'completed' } });
    const county = res.body.crosscheck.counties.find(
      (c: { countyCode: string }) => c.countyCode === '150821',
    );
    expect(county).toMatchObject({ suspected: 2, enrolledWithOpenCase: 1, opened: 0, reopened: 0 });
    await expect(caseOf(D)).resolves.toMatchObject({ state: 'opened' });
    await expect(caseOf(C)).resolves.toMatchObject({ state: 'closed' });
  });

  it('reopens the case of a returned child seen dropped again, once, without a second opened event', async () => {
    clock.set(new Date('2020-10-08T02:00:00Z'));
    const again = [STUDENT_HEADER, student(C, '丙小刚', '2009-07-20', 'dropped')].join('\n');
    const res = await call('POST', '/api/registry/students/import', admin, again, 'text/csv');
    const county = res.body.crosscheck.counties.find(
      (c: { countyCode: string }) => c.countyCode === '150821',
    );
    expect(county).toMatchObject({ reopened: 1, opened: 0, confirmed: 3 });
    await expect(caseOf(C)).resolves.toEqual({ id: caseIds.C, state: 'opened', reopen_count: 1 });
    const [reopened] = await db.dataSource.query<{ envelope: { data: Record<string, unknown> } }[]>(
      `SELECT envelope FROM outbox WHERE routing_key = 'dropout.case.reopened.v1' AND subject = $1`,
      [caseIds.C],
    );
    expect(reopened.envelope.data).toMatchObject({
      caseId: caseIds.C,
      previousResolution: 'returned',
      verifyBy: '2020-10-15',
    });
    await expect(outboxCount('dropout.case.opened.v1')).resolves.toBe(6);
    const run = await call('POST', '/api/crosscheck', admin, {});
    expect(run.body.totals).toMatchObject({ reopened: 0, opened: 0 });
    const history = await call('GET', `/api/cases/${caseIds.C}/history`, wuyuan);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual([
      'open',
      'verify',
      'plan',
      'resolve',
      'close',
      'reopen',
    ]);
  });

  it('places by disability: home teaching only for the severe case, with visits and coverage per county', async () => {
    await expect(
      call('POST', `/api/cases/${caseIds.D}/home-teaching`, wuyuan, {
        schoolCode: 'WY-SPECIAL',
        teachers: ['王老师'],
        visitsPerMonth: 4,
        startsOn: '2020-10-08',
      }),
    ).resolves.toMatchObject({ status: 409, body: { error: 'CASE_HOME_TEACHING_NOT_EXPECTED' } });
    const plan = await call('POST', `/api/cases/${caseIds.S}/home-teaching`, wuyuan, {
      schoolCode: 'WY-SPECIAL',
      teachers: ['王老师', '李老师'],
      visitsPerMonth: 4,
      startsOn: '2020-10-01',
    });
    expect(plan).toMatchObject({ status: 201, body: { caseId: caseIds.S, visitCount: 0 } });
    const before = await call('GET', '/api/home-teaching/coverage', admin);
    expect(before.body.counties).toEqual([
      { countyCode: '150821', eligible: 1, planned: 1, covered: 0, rate: 0 },
    ]);
    await expect(
      call('POST', `/api/home-teaching/plans/${plan.body.id}/visits`, wuyuan, {
        visitedOn: '2020-10-09',
        teacher: '王老师',
        hours: 2,
        content: '识字',
      }),
    ).resolves.toMatchObject({ status: 400, body: { error: 'HOME_TEACHING_INVALID_VISIT' } });
    await expect(
      call('POST', `/api/home-teaching/plans/${plan.body.id}/visits`, dengkou, {
        visitedOn: '2020-10-05',
        teacher: '王老师',
        hours: 2,
        content: '识字',
      }),
    ).resolves.toMatchObject({ status: 404 });
    await expect(
      call('POST', `/api/home-teaching/plans/${plan.body.id}/visits`, wuyuan, {
        visitedOn: '2020-10-05',
        teacher: '王老师',
        hours: 2,
        content: '识字、康复训练',
      }),
    ).resolves.toMatchObject({ status: 201, body: { recordedBy: 'op-wuyuan' } });
    const after = await call('GET', '/api/home-teaching/coverage?county=150821', wuyuan);
    expect(after.body).toMatchObject({
      counties: [{ countyCode: '150821', eligible: 1, planned: 1, covered: 1, rate: 1 }],
      total: { eligible: 1, covered: 1 },
    });
    await expect(call('GET', '/api/home-teaching/coverage?county=150821', dengkou)).resolves.toMatchObject({
      status: 403,
    });
    // The severe case resolves as home teaching (its plan is in place), not as returned.
    const path = `/api/cases/${caseIds.S}`;
    await call('POST', `${path}/verify`, wuyuan, { reason: 'disability' });
    await call('POST', `${path}/plan`, wuyuan, { persuaders: { school: 'a', township: 'b', village: 'c' } });
    await expect(
      call('POST', `${path}/resolve`, wuyuan, { resolution: 'returned', schoolCode: 'WY-001' }),
    ).resolves.toMatchObject({ status: 409, body: { error: 'CASE_PLACEMENT_MISMATCH' } });
    await expect(
      call('POST', `${path}/resolve`, wuyuan, { resolution: 'home_teaching' }),
    ).resolves.toMatchObject({
      status: 200,
      body: { resolution: 'home_teaching', expectedPlacement: 'home_teaching' },
    });
    // Not back in school, so a later finding does not reopen it; a person cannot either.
    await expect(call('POST', `${path}/reopen`, wuyuan, { finding: 'dropped' })).resolves.toMatchObject({
      status: 409,
      body: { error: 'CASE_ILLEGAL_TRANSITION' },
    });
    // A reassessment makes D eligible for home teaching too: coverage drops to one of two.
    await expect(
      call('POST', `/api/cases/${caseIds.D}/assess`, wuyuan, { disabilityLevel: 'severe' }),
    ).resolves.toMatchObject({
      status: 200,
      body: { disabilityLevel: 'severe', expectedPlacement: 'home_teaching' },
    });
    await expect(call('GET', '/api/home-teaching/coverage', admin)).resolves.toMatchObject({
      body: { counties: [{ countyCode: '150821', eligible: 2, planned: 1, covered: 1, rate: 0.5 }] },
    });
  });

  it('groups cases into household plans (一家一案) the county fills in', async () => {
    const list = await call('GET', '/api/households?county=150821', wuyuan);
    expect(list.headers.get('x-total-count')).toBe('3');
    expect(list.body.find((h: { householdId: string }) => h.householdId === 'H2').cases).toEqual({
      opened: 2,
    });
    await expect(
      call('PUT', '/api/households/H2/plan', dengkou, { measures: 'x', responsible: 'y' }),
    ).resolves.toMatchObject({ status: 404 });
    await expect(
      call('PUT', '/api/households/H2/plan', wuyuan, { measures: '控辍保学包保到户', responsible: '赵书记' }),
    ).resolves.toMatchObject({ status: 200, body: { updatedBy: 'op-wuyuan', responsible: '赵书记' } });
    const h2 = await call('GET', '/api/households/H2', viewer);
    expect(h2.body).toMatchObject({ householdId: 'H2', measures: '控辍保学包保到户' });
    expect(h2.body.cases.map((c: { id: string }) => c.id).sort()).toEqual([caseIds.C, caseIds.D].sort());
  });

  it('lists the ledger with filters and pages, and exports it as XLSX with formulas defused', async () => {
    const all = await call('GET', '/api/cases?county=150821&limit=2', wuyuan);
    expect(all.headers.get('x-total-count')).toBe('4');
    expect(all.body).toHaveLength(2);
    const page2 = await call('GET', '/api/cases?county=150821&limit=2&offset=2', wuyuan);
    expect(new Set([...all.body, ...page2.body].map((c: { id: string }) => c.id)).size).toBe(4);
    await expect(call('GET', '/api/cases?school=WY-002', admin)).resolves.toMatchObject({
      body: [
        expect.objectContaining({ schoolCode: 'WY-002' }),
        expect.objectContaining({ schoolCode: 'WY-002' }),
      ],
    });
    const household = await call('GET', '/api/cases?household=H3', admin);
    expect(household.body.map((c: { id: string }) => c.id)).toEqual([caseIds.S]);
    // B opened 2020-09-10 (verify by 09-17) is overdue on 10-08; C was reopened on 10-08 and is not.
    const overdue = await call('GET', '/api/cases?overdue=true&state=opened', admin);
    expect(overdue.body.map((c: { id: string }) => c.id).sort()).toEqual(
      [caseIds.B, caseIds.D, caseIds.K, await caseOf(L).then((c) => c.id)].sort(),
    );
    const notOverdue = await call('GET', '/api/cases?overdue=false', admin);
    expect(notOverdue.body.map((c: { id: string }) => c.id).sort()).toEqual([caseIds.C, caseIds.S].sort());
    await expect(call('GET', '/api/cases?county=150822', wuyuan)).resolves.toMatchObject({ status: 403 });

    const xlsx = await call('GET', '/api/cases/export?county=150821', wuyuan);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body);
    const sheet = wb.worksheets[0];
    const header = (sheet.getRow(1).values as string[]).slice(1);
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows).toHaveLength(4);
    const col = (name: string) => header.indexOf(name) + 1;
    const ids = rows.map((r) => String(r[col('id_number')]));
    expect(ids.every((v) => /^150821\*{8}\d{3}[\dX]$/.test(v))).toBe(true);
    expect(rows.map((r) => r[col('name')])).toContain(`'${FORMULA_NAME}`);
    expect(rows.map((r) => r[col('county_code')])).toEqual(['150821', '150821', '150821', '150821']);
    const asViewer = await call('GET', '/api/cases/export', viewer);
    const wbViewer = new ExcelJS.Workbook();
    await wbViewer.xlsx.load(asViewer.body);
    expect((wbViewer.worksheets[0].getRow(1).values as string[]).slice(1)).not.toContain('name');
  });

  it('refuses a file missing a column, naming it; and keeps the policy rows to city admins', async () => {
    const missing = await call(
      'POST',
      '/api/registry/students/import',
      admin,
      'id_number,name\nx,y',
      'text/csv',
    );
    expect(missing).toMatchObject({ status: 400, body: { error: 'IMPORT_MISSING_COLUMNS' } });
    expect(missing.body.message).toContain('missing columns birth_date, county_code');
    await expect(
      call('POST', '/api/registry/students/import', admin, '{}', 'application/json'),
    ).resolves.toMatchObject({ status: 400, body: { error: 'UPLOAD_UNSUPPORTED' } });

    const policy = {
      effectiveFrom: '2030-09-01',
      schoolAgeFrom: 6,
      schoolAgeTo: 16,
      preschoolFromAge: 3,
      juniorFromAge: 12,
      poorStatuses: ['registered_poor'],
    };
    await expect(call('POST', '/api/crosscheck-policies', wuyuan, policy)).resolves.toMatchObject({
      status: 403,
    });
    await expect(
      call('POST', '/api/crosscheck-policies', admin, { ...policy, juniorFromAge: 5 }),
    ).resolves.toMatchObject({ status: 400, body: { error: 'CROSSCHECK_INVALID_POLICY' } });
    await expect(call('POST', '/api/crosscheck-policies', admin, policy)).resolves.toMatchObject({
      status: 201,
    });
    const policies = await call('GET', '/api/crosscheck-policies', viewer);
    expect(policies.body.map((p: { effectiveFrom: string }) => p.effectiveFrom)).toEqual([
      '1900-01-01',
      '2030-09-01',
    ]);
  });

  it('counts a site’s children by the stage they are enrolled in, by age when not enrolled in preschool to junior', async () => {
    const Y = idNumber('20090301', 30); // 11: primary by age, enrolled in junior
    const Z = idNumber('20070505', 31); // 13: enrolled in senior, so junior by age
    const W = idNumber('20130101', 32); // 7: primary by age, enrolled in preschool
    const students = [
      STUDENT_HEADER,
      `${Y},子一,2009-03-01,150821,WY-003,五原三中,junior,1,enrolled,none`,
      `${Z},子二,2007-05-05,150821,WY-004,五原高中,senior,1,enrolled,none`,
      `${W},子三,2013-01-01,150821,WY-001,五原一小,preschool,3,enrolled,none`,
    ].join('\n');
    const poverty = [
      POVERTY_HEADER,
      member('H9', Y, '子一', '2009-03-01', { site: 'RS-9' }),
      member('H9', Z, '子二', '2007-05-05', { site: 'RS-9' }),
      member('H9', W, '子三', '2013-01-01', { site: 'RS-9' }),
    ].join('\n');
    await expect(
      call('POST', '/api/registry/students/import', admin, csvForm(students)),
    ).resolves.toMatchObject({ status: 201, body: { inserted: 3 } });
    const res = await call('POST', '/api/registry/poverty/import', admin, csvForm(poverty));
    expect(res.status).toBe(201);
    const [demand] = await db.dataSource.query<{ envelope: { data: object } }[]>(
      `SELECT envelope FROM outbox WHERE routing_key = 'dropout.relocation-demand.v1' AND subject = 'RS-9'
         AND envelope->'data'->>'crosscheckId' = $1`,
      [res.body.crosscheck.id],
    );
    expect(demand.envelope.data).toMatchObject({ preschool: 1, primary: 0, junior: 2 });
  });

  it('keeps the child-level ledgers of the latest five runs, a partition each; a prune that waits too long is finished later', async () => {
    const partitions = async () =>
      (
        await db.dataSource.query<{ part: string; pending: boolean }[]>(
          `SELECT c.relname AS part, i.inhdetachpending AS pending FROM pg_inherits i
           JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'crosscheck_child'::regclass
           ORDER BY c.relname`,
        )
      ).map((p) => (p.pending ? `${p.part} (detaching)` : p.part));
    const latest = async (n: number) =>
      (
        await db.dataSource.query<{ id: string }[]>(
          `SELECT id FROM crosscheck_run WHERE status <> 'running' ORDER BY started_at DESC LIMIT $1`,
          [n],
        )
      )
        .map((r) => `crosscheck_child_${r.id.replace(/-/g, '')}`)
        .sort();
    let last: Reply | undefined;
    for (let i = 0; i < 4; i++) {
      last = await call('POST', '/api/crosscheck', admin, {});
      expect(last.status).toBe(201);
    }
    // Two at once: runs take turns (the runs' lock), each writes its own partition, and the
    // prune after the later one has left the latest five before it answers.
    const both = await Promise.all([
      call('POST', '/api/crosscheck', admin, {}),
      call('POST', '/api/crosscheck', admin, {}),
    ]);
    expect(both.map((r) => [r.status, r.body.status, r.body.totals.schoolAge])).toEqual([
      [201, 'completed', last!.body.totals.schoolAge],
      [201, 'completed', last!.body.totals.schoolAge],
    ]);
    last = both.sort((a, b) => a.body.startedAt.localeCompare(b.body.startedAt))[1];
    await expect(partitions()).resolves.toEqual(await latest(5));
    // The first run's children are gone, its counts stay; the last run's children are all there.
    const first = await call('GET', `/api/crosscheck/${firstRun}/children`, viewer);
    expect(first.headers.get('x-total-count')).toBe('0');
    const firstCounts = await call('GET', `/api/crosscheck/${firstRun}`, viewer);
    expect(firstCounts.body.totals).toMatchObject({ schoolAge: 6, opened: 5 });
    const lastChildren = await call('GET', `/api/crosscheck/${last.body.id}/children`, viewer);
    expect(lastChildren.headers.get('x-total-count')).toBe(String(last.body.totals.schoolAge));

    const runs = app.get(CrosscheckRepository);
    const holder = db.dataSource.createQueryRunner();
    await holder.startTransaction();
    try {
      // A run under way: the prune leaves it to that run.
      await holder.query(`SELECT pg_advisory_xact_lock(hashtext('dropout-control:crosscheck'))`);
      await expect(runs.pruneLedgers(4)).resolves.toBe(0);
      await expect(partitions()).resolves.toEqual(await latest(5));
      await holder.rollbackTransaction();
      // Another detach or attach holds the table's lock: the prune gives up and changes nothing.
      await holder.startTransaction();
      await holder.query('LOCK TABLE crosscheck_child IN SHARE UPDATE EXCLUSIVE MODE');
      await expect(runs.pruneLedgers(4, 200)).rejects.toThrow(/lock timeout/);
      await expect(partitions()).resolves.toEqual(await latest(5));
      await holder.rollbackTransaction();
      // A reader of the ledger outlasts the detach: the partition is left detaching ...
      await holder.startTransaction();
      await holder.query('SELECT count(*) FROM crosscheck_child');
      await expect(runs.pruneLedgers(4, 200)).rejects.toThrow(/lock timeout/);
      const oldest = (await latest(5))[0];
      await expect(partitions()).resolves.toContain(`${oldest} (detaching)`);
    } finally {
      await holder.rollbackTransaction();
      await holder.release();
    }
    // ... and the next prune finishes it.
    await expect(runs.pruneLedgers(4)).resolves.toBe(1);
    await expect(partitions()).resolves.toEqual(await latest(4));
  });

  it('never wrote an ID number or a child name to the logs', () => {
    const all = written.join('');
    expect(all.length).toBeGreaterThan(0);
    for (const id of [A, B, C, D, S, K, L]) expect(all).not.toContain(id.slice(0, 17));
    for (const name of NAMES) expect(all).not.toContain(name);
  });
});
