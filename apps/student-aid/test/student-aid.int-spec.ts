import 'reflect-metadata';
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { createEnvelope, parseEnvelope, residentIdCheckChar, studentKeyOf } from '@edu/contracts';
import { DEV_AUTH_DEFAULTS, signToken, type Principal } from '@edu/auth';
import { declareExchanges } from '@edu/messaging';
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
import { DropoutCaseOpenedConsumer } from '../src/entitlement/messaging/dropout-case-opened.consumer.js';
import { EntitlementEntity, PaymentEntity } from '../src/entitlement/persistence/entitlement.entity.js';
import { migrations } from '../src/migrations/index.js';
import { readStudentAidConfig, type StudentAidConfig } from '../src/student-aid.config.js';

const SERVICE = 'student-aid';
const TERM = '2020-autumn';

/** A valid resident ID number, Wuyuan (150821) or Dengkou (150822), born 2007-05-01, sequence `seq`. */
function idNumber(seq: number, region = '150821'): string {
  const first17 = `${region}20070501${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

interface Reply {
  status: number;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  /** X-Total-Count, where the route pages. */
  total: string | null;
}

const HEADER =
  'id_number,name,county_code,school_code,stage,grade,boarder,bilingual,registered_poor,low_income,extreme_poverty,orphan,disability_level,special_education';

/** Students: what each is planted for. */
const S = {
  onTime: { id: idNumber(1), name: '张一', row: 'WY-01,junior,8,1,0,1,0,0,0,0,0' },
  late: { id: idNumber(2), name: '张二', row: 'WY-01,primary,5,1,0,1,0,0,0,0,0' },
  short: { id: idNumber(3), name: '张三', row: 'WY-01,junior,8,1,0,0,1,0,0,0,0' },
  unpaid: { id: idNumber(4), name: '张四', row: 'WY-01,junior,8,1,0,0,0,0,1,0,0' },
  twice: { id: idNumber(5), name: '张五', row: 'WY-01,junior,7,1,0,1,0,0,0,0,0' },
  misnamed: { id: idNumber(6), name: '张六', row: 'WY-01,junior,7,1,0,1,0,0,0,0,0' },
  reversed: { id: idNumber(7), name: '张七', row: 'WY-01,junior,9,0,0,1,0,0,0,0,0' },
  notEntitled: { id: idNumber(8), name: '张八', row: 'WY-01,junior,9,1,0,0,0,0,0,0,0' },
  otherCounty: { id: idNumber(9, '150822'), name: '李九', row: 'DK-01,junior,8,1,0,1,0,0,0,0,0' },
  lateJoiner: { id: idNumber(10), name: '张十', row: 'WY-02,junior,8,1,0,1,0,0,0,0,0' },
};
const county = (s: { id: string }) => s.id.slice(0, 6);
const rosterLine = (s: { id: string; name: string; row: string }) =>
  `${s.id},${s.name},${county(s)},${s.row}`;

describe('student-aid on the real database and broker', () => {
  const clock = new FixedClock(new Date('2020-09-15T02:00:00Z'));
  const messaging = testMessagingConfig(SERVICE);
  const written: string[] = [];
  let db: TestDatabase;
  let config: StudentAidConfig;
  let app: INestApplication;
  let base: string;
  let probe: Awaited<ReturnType<typeof openProbe>>;

  const admin: Principal = { sub: 'admin', role: 'city_admin' };
  const wuyuan: Principal = { sub: 'op-wuyuan', role: 'county_operator', county: '150821' };
  const auditor: Principal = { sub: 'auditor-1', role: 'aid_auditor' };
  const viewer: Principal = { sub: 'viewer', role: 'viewer' };
  const key = (id: string) => studentKeyOf(id, config.studentKeySecret);

  async function call(
    method: string,
    path: string,
    who: Principal,
    body?: unknown,
    type = 'application/json',
  ): Promise<Reply> {
    const token = await signToken(who, DEV_AUTH_DEFAULTS);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': type, authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Reply['body'] = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: res.status, text, body: parsed, total: res.headers.get('x-total-count') };
  }
  const csv = (path: string, who: Principal, lines: string[]) =>
    call('POST', path, who, lines.join('\n'), 'text/csv');
  const sql = <T = Record<string, unknown>>(q: string, p: unknown[] = []) => db.dataSource.query<T[]>(q, p);
  const outboxCounts = async () =>
    Object.fromEntries(
      (
        await sql<{ routing_key: string; n: number }>(
          'SELECT routing_key, count(*)::int AS n FROM outbox GROUP BY 1',
        )
      ).map((r) => [r.routing_key, r.n]),
    );

  beforeAll(async () => {
    const capture = (s: unknown) => (written.push(String(s)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    db = await createTestDatabase('aid', [EntitlementEntity, PaymentEntity], migrations);
    config = {
      ...readStudentAidConfig({}),
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
    ({ app, url: base } = await startTestService(AppModule.register(config, { clock }), config));
  });

  afterAll(async () => {
    await app?.close();
    await probe?.connection.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, [SERVICE]);
    jest.restoreAllMocks();
  });

  it('seeds the catalogue as valid, dated data; keeps two policies for this test and retires the rest', async () => {
    const res = await call('GET', '/api/policies', viewer);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(20);
    const boarder = res.body.find((p: { code: string }) => p.code === 'COMPULSORY_BOARDER_LIVING');
    expect(boarder).toMatchObject({
      version: 1,
      basis: 'national',
      amount: { kind: 'per_year', amount: '1000.00', byStage: { junior: '1250.00' } },
      dueBy: { spring: '04-30', autumn: '10-31' },
      effectiveFrom: '2020-01-01',
    });
    expect(res.body.some((p: { basis: string }) => p.basis === 'example')).toBe(true);
    expect(
      (await call('DELETE', '/api/policies/COMPULSORY_BOARDING_FEE?from=2020-01-01', wuyuan)).status,
    ).toBe(403);
    for (const p of res.body as { code: string }[]) {
      if (p.code === 'COMPULSORY_BOARDER_LIVING' || p.code === 'COMPULSORY_NONBOARDER_LIVING') continue;
      const retired = await call('DELETE', `/api/policies/${p.code}?from=2020-01-01`, admin);
      expect(retired.body).toMatchObject({ version: 2, retired: true });
    }
    const forTerm = await call('GET', `/api/policies?term=${TERM}`, viewer);
    expect(forTerm.body.map((p: { code: string }) => p.code)).toEqual([
      'COMPULSORY_BOARDER_LIVING',
      'COMPULSORY_NONBOARDER_LIVING',
    ]);
  });

  it('refuses a policy whose rule reads something not on the roster, naming the path', async () => {
    const res = await call('POST', '/api/policies', admin, {
      code: 'BAD_RULE',
      name: 'x',
      stage: 'compulsory',
      eligibility: { attr: 'id_number', is: true },
      amount: { kind: 'fixed_per_term', amount: '1.00' },
      terms: ['autumn'],
      dueBy: { autumn: '10-31' },
      effectiveFrom: '2020-01-01',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^eligibility.attr must be one of/);
  });

  let rosterImportId: string;
  it('imports the roster, reporting bad rows by line and field, and a county operator only for their county', async () => {
    const wrong = idNumber(99).slice(0, 17) + (idNumber(99)[17] === '1' ? '2' : '1');
    const lines = [
      HEADER,
      ...Object.values(S)
        .filter((s) => s !== S.lateJoiner)
        .map(rosterLine),
      `${wrong},错号,150821,WY-01,junior,8,1,0,1,0,0,0,0,0`,
      `${S.onTime.id},重复,150821,WY-01,junior,8,1,0,1,0,0,0,0,0`,
    ];
    const res = await csv('/api/roster/import', admin, lines);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', rowsRead: 11, rowsRejected: 2, inserted: 9 });
    rosterImportId = res.body.id;
    const detail = await call('GET', `/api/imports/${rosterImportId}`, admin);
    expect(detail.body.rejected).toEqual([
      { line: 11, field: 'id_number', reason: 'has a wrong check digit' },
      { line: 12, field: 'id_number', reason: 'repeats the student of an earlier line' },
    ]);
    expect(detail.text).not.toContain(wrong);

    const again = await csv('/api/roster/import', admin, lines);
    expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: rosterImportId, inserted: 0 });

    const op = await csv('/api/roster/import', wuyuan, [
      HEADER,
      rosterLine(S.otherCounty),
      rosterLine(S.onTime),
    ]);
    expect(op.body).toMatchObject({ status: 'completed', rowsRejected: 1, unchanged: 1, inserted: 0 });

    const student = await call('GET', `/api/students/${key(S.onTime.id)}`, wuyuan);
    expect(student.body).toMatchObject({ name: '张一', idMasked: `150821********${S.onTime.id.slice(14)}` });
    expect(student.text).not.toContain(S.onTime.id);
    expect((await call('GET', `/api/students/${key(S.otherCounty.id)}`, wuyuan)).status).toBe(404);
    expect((await call('GET', `/api/students/${key(S.onTime.id)}`, viewer)).status).toBe(403);
  });

  let runId: string;
  it('computes the term for a county as a prepared run, which counts only once another aid auditor approves it', async () => {
    const res = await call('POST', `/api/terms/${TERM}/entitlements`, wuyuan, {});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'prepared',
      countyCode: '150821',
      preparedBy: 'op-wuyuan',
      entitlements: 7,
      amountDue: '3937.50',
      policies: { COMPULSORY_BOARDER_LIVING: 1, COMPULSORY_NONBOARDER_LIVING: 1 },
    });
    runId = res.body.id;
    expect((await call('POST', `/api/terms/${TERM}/entitlements`, admin, {})).status).toBe(409);
    expect((await call('POST', '/api/sweeps/overdue', admin)).body).toEqual({ raised: 0 });

    expect((await call('POST', `/api/entitlement-runs/${runId}/approve`, wuyuan)).status).toBe(403);
    const own = await call('POST', `/api/entitlement-runs/${runId}/approve`, {
      sub: 'op-wuyuan',
      role: 'aid_auditor',
    });
    expect(own.status).toBe(403);
    expect(own.body.error).toBe('ENTITLEMENT_APPROVER_IS_PREPARER');
    const ok = await call('POST', `/api/entitlement-runs/${runId}/approve`, auditor);
    expect(ok.body).toMatchObject({ status: 'approved', decidedBy: 'auditor-1' });
    const [{ n }] = await sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM entitlement WHERE run_id = $1 AND status = 'due'`,
      [runId],
    );
    expect(n).toBe(7);

    const list = await call('GET', `/api/entitlements?term=${TERM}&studentKey=${key(S.onTime.id)}`, wuyuan);
    const detail = await call('GET', `/api/entitlements/${list.body[0].id}`, wuyuan);
    expect(detail.body).toMatchObject({
      amountDue: '625.00',
      dueDate: '2020-10-31',
      policyVersion: 1,
      countyCode: '150821',
      inputs: { stage: 'junior', flags: ['boarder', 'registered_poor'], disabilityLevel: 0 },
    });
  });

  it('explains eligibility per policy, agreeing with the set-based computation for every student', async () => {
    const res = await call('GET', `/api/students/${key(S.notEntitled.id)}/eligibility?term=${TERM}`, auditor);
    const boarder = res.body.verdicts.find(
      (v: { policyCode: string }) => v.policyCode === 'COMPULSORY_BOARDER_LIVING',
    );
    expect(boarder).toMatchObject({ eligible: false, amount: null });
    expect(boarder.reasons).toContainEqual(
      expect.objectContaining({ met: false, rule: expect.stringMatching(/^any of: registered_poor is yes/) }),
    );
    for (const s of Object.values(S).filter((x) => county(x) === '150821' && x !== S.lateJoiner)) {
      const verdicts = (await call('GET', `/api/students/${key(s.id)}/eligibility?term=${TERM}`, auditor))
        .body.verdicts as {
        policyCode: string;
        eligible: boolean;
        amount: string | null;
      }[];
      const computed = await sql<{ policy_code: string; amount_due_fen: string }>(
        'SELECT policy_code, amount_due_fen FROM entitlement WHERE student_key = $1 ORDER BY policy_code',
        [key(s.id)],
      );
      expect(verdicts.filter((v) => v.eligible).map((v) => [v.policyCode, v.amount])).toEqual(
        computed.map((c) => [c.policy_code, (Number(c.amount_due_fen) / 100).toFixed(2)]),
      );
    }
  });

  it('makes an edit a new version, leaving computed entitlements on the version they used', async () => {
    const [nb] = (await call('GET', '/api/policies/COMPULSORY_NONBOARDER_LIVING', viewer)).body;
    const res = await call('PUT', '/api/policies/COMPULSORY_NONBOARDER_LIVING', admin, {
      ...nb,
      code: undefined,
      version: undefined,
      createdBy: undefined,
      createdAt: undefined,
      amount: { kind: 'per_year', amount: '700.00' },
      expectedVersion: 1,
    });
    expect(res.body).toMatchObject({ version: 2, amount: { amount: '700.00' } });
    expect(
      (
        await call('PUT', '/api/policies/COMPULSORY_NONBOARDER_LIVING', admin, {
          ...nb,
          code: undefined,
          version: undefined,
          createdBy: undefined,
          createdAt: undefined,
          expectedVersion: 1,
        })
      ).status,
    ).toBe(409);
    const [g] = await sql<{ policy_version: number; amount_due_fen: string }>(
      'SELECT policy_version, amount_due_fen FROM entitlement WHERE student_key = $1',
      [key(S.reversed.id)],
    );
    expect(g).toEqual({ policy_version: 1, amount_due_fen: '31250' });
  });

  const PAYMENTS = [
    'payment_ref,id_number,name,policy_code,term,amount,paid_on,reverses_ref',
    `P1,${S.onTime.id},张一,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P2,${S.late.id},张二,COMPULSORY_BOARDER_LIVING,${TERM},500,2020-11-05,`,
    `P3,${S.short.id},张三,COMPULSORY_BOARDER_LIVING,${TERM},300.00,2020-10-20,`,
    `P4,${S.twice.id},张五,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P5,${S.twice.id},张五,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-21,`,
    `P6,${S.misnamed.id},王六,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P7,${S.reversed.id},张七,COMPULSORY_NONBOARDER_LIVING,${TERM},312.50,2020-10-20,`,
    `P8,${S.reversed.id},张七,COMPULSORY_NONBOARDER_LIVING,${TERM},-312.50,2020-10-25,P7`,
    `P9,${S.notEntitled.id},张八,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P1,${S.onTime.id},张一,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P10,15082120070501000,张一,COMPULSORY_BOARDER_LIVING,${TERM},625.00,2020-10-20,`,
    `P11,${S.unpaid.id},张四,COMPULSORY_BOARDER_LIVING,${TERM},-10,2020-10-20,P404`,
  ];

  it('imports a payment file: each payment classified, settlements and irregular payments raised once', async () => {
    clock.set(new Date('2020-11-10T02:00:00Z'));
    const res = await csv('/api/payments/import', admin, PAYMENTS);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'completed', rowsRead: 12, inserted: 9, rowsRejected: 3 });
    expect((await call('GET', `/api/imports/${res.body.id}`, admin)).body.rejected).toEqual([
      { line: 11, field: 'payment_ref', reason: 'repeats the payment_ref of an earlier line' },
      { line: 12, field: 'id_number', reason: 'must be 18 characters: 17 digits and a check digit or X' },
      { line: 13, field: 'reverses_ref', reason: 'names no recorded payment' },
    ]);
    expect(await outboxCounts()).toEqual({ 'aid.entitlement.settled.v1': 5, 'aid.payment.irregular.v1': 3 });
    const irregular = await sql<{ envelope: { data: Record<string, string> } }>(
      `SELECT envelope FROM outbox WHERE routing_key = 'aid.payment.irregular.v1' ORDER BY envelope->'data'->>'irregularity'`,
    );
    expect(
      irregular.map((r) => [
        r.envelope.data.irregularity,
        r.envelope.data.reason,
        r.envelope.data.studentKey,
      ]),
    ).toEqual([
      ['name_mismatch', 'not_entitled', key(S.misnamed.id)],
      ['paid_twice', 'duplicate', key(S.twice.id)],
      ['without_entitlement', 'not_entitled', key(S.notEntitled.id)],
    ]);

    const again = await csv('/api/payments/import', admin, PAYMENTS);
    expect(again.body).toMatchObject({ status: 'duplicate', inserted: 0 });
    const overlap = await csv('/api/payments/import', admin, [
      PAYMENTS[0],
      PAYMENTS[1],
      `P2,${S.late.id},张二,COMPULSORY_BOARDER_LIVING,${TERM},400,2020-11-05,`,
      `R1,${S.late.id},张二,COMPULSORY_BOARDER_LIVING,${TERM},-625.00,2020-11-06,P1`,
      `R2,${S.short.id},张三,COMPULSORY_BOARDER_LIVING,${TERM},-400.00,2020-11-06,P3`,
      `R3,${S.reversed.id},张七,COMPULSORY_NONBOARDER_LIVING,${TERM},-1.00,2020-11-06,P8`,
    ]);
    expect(overlap.body).toMatchObject({ status: 'completed', inserted: 0, unchanged: 1, rowsRejected: 4 });
    expect((await call('GET', `/api/imports/${overlap.body.id}`, admin)).body.rejected).toEqual([
      { line: 3, field: 'payment_ref', reason: 'was recorded before with different details' },
      { line: 4, field: 'reverses_ref', reason: 'names a payment of another student, policy or term' },
      { line: 5, field: 'amount', reason: 'reverses more than is left of the payment it names' },
      { line: 6, field: 'reverses_ref', reason: 'names a reversal, which cannot be reversed' },
    ]);
    expect(await outboxCounts()).toEqual({ 'aid.entitlement.settled.v1': 5, 'aid.payment.irregular.v1': 3 });
  });

  it('reconciles the term: unpaid, short and coverage gaps raised once, everything classified', async () => {
    // A student who joins the roster after the approved computation is a coverage gap.
    await csv('/api/roster/import', admin, [HEADER, rosterLine(S.lateJoiner)]);
    const res = await call('POST', `/api/terms/${TERM}/reconcile`, admin, {});
    expect(res.status).toBe(200);
    expect(res.body.raised).toEqual({ unpaid: 2, short: 1, coverageGaps: 2 });
    expect(res.body.summary).toEqual({
      entitlements: { prepared: 0, pending: 0, onTime: 3, late: 1, short: 1, unpaid: 2 },
      payments: { regular: 5, paidTwice: 1, withoutEntitlement: 1, nameMismatch: 1, reversal: 1 },
      coverageGaps: 2,
    });
    const gaps = await sql<{ student_key: string; county_code: string }>(
      'SELECT student_key, county_code FROM coverage_gap ORDER BY county_code',
    );
    expect(gaps).toEqual([
      { student_key: key(S.lateJoiner.id), county_code: '150821' },
      { student_key: key(S.otherCounty.id), county_code: '150822' },
    ]);

    const again = await call('POST', `/api/terms/${TERM}/reconcile`, admin, {});
    expect(again.body.raised).toEqual({ unpaid: 0, short: 0, coverageGaps: 0 });
    expect((await call('POST', '/api/sweeps/overdue', admin)).body).toEqual({ raised: 0 });
    expect(await outboxCounts()).toEqual({
      'aid.entitlement.settled.v1': 5,
      'aid.payment.irregular.v1': 3,
      'aid.entitlement.overdue.v1': 2,
      'aid.payment.short.v1': 1,
      'aid.coverage.gap.v1': 2,
    });
  });

  it('agrees with the domain: each entitlement classified by Entitlement.classify matches the set-based summary', async () => {
    const list = (await call('GET', `/api/entitlements?term=${TERM}`, admin)).body as {
      class: string;
      studentKey: string;
    }[];
    const byStudent = Object.fromEntries(list.map((e) => [e.studentKey, e.class]));
    expect(byStudent).toEqual({
      [key(S.onTime.id)]: 'on_time',
      [key(S.late.id)]: 'late',
      [key(S.short.id)]: 'short',
      [key(S.unpaid.id)]: 'unpaid',
      [key(S.twice.id)]: 'on_time',
      [key(S.misnamed.id)]: 'on_time',
      [key(S.reversed.id)]: 'unpaid',
    });
  });

  it('writes every event by its contract, without ID numbers or names', async () => {
    const rows = await sql<{ envelope: unknown }>('SELECT envelope FROM outbox');
    for (const r of rows) expect(() => parseEnvelope(r.envelope)).not.toThrow();
    const all = JSON.stringify(rows);
    for (const s of Object.values(S)) {
      expect(all).not.toContain(s.id.slice(0, 17));
      expect(all).not.toContain(s.name);
    }
    const everything = written.join('');
    for (const s of Object.values(S)) expect(everything).not.toContain(s.id.slice(0, 17));
  });

  it('reports timeliness per policy and county, as JSON and XLSX', async () => {
    const res = await call('GET', `/api/reports/timeliness?term=${TERM}&county=150821`, viewer);
    expect(res.body).toEqual([
      {
        policyCode: 'COMPULSORY_BOARDER_LIVING',
        countyCode: '150821',
        studentsEntitled: 6,
        entitlements: 6,
        amountDue: '3625.00',
        paidOnTime: '2175.00',
        paidLate: '500.00',
        short: '325.00',
        unpaid: '625.00',
        paidInFullOnTime: 3,
        rateInFullOnTime: 0.5,
      },
      {
        policyCode: 'COMPULSORY_NONBOARDER_LIVING',
        countyCode: '150821',
        studentsEntitled: 1,
        entitlements: 1,
        amountDue: '312.50',
        paidOnTime: '0.00',
        paidLate: '0.00',
        short: '0.00',
        unpaid: '312.50',
        paidInFullOnTime: 0,
        rateInFullOnTime: 0,
      },
    ]);
    expect((await call('GET', `/api/reports/timeliness?term=${TERM}&county=150822`, wuyuan)).status).toBe(
      403,
    );
    const token = await signToken(admin, DEV_AUTH_DEFAULTS);
    const xlsx = await fetch(`${base}/api/reports/timeliness?term=${TERM}&format=xlsx`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheet = wb.worksheets[0];
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      'COMPULSORY_BOARDER_LIVING',
      '150821',
      6,
      3625,
      2175,
      500,
      325,
      625,
      0.5,
    ]);
  });

  it('links a dropout case to the student\u2019s unpaid entitlement and restates the breach with the link, once; a late earlier case changes nothing', async () => {
    const caseId = randomUUID();
    const envelope = {
      id: randomUUID(),
      type: 'dropout.case.opened',
      version: 1,
      occurredAt: '2020-11-11T00:00:00.000Z',
      producer: 'dropout-control',
      correlationId: randomUUID(),
      causationId: null,
      subject: caseId,
      county: '150821',
      data: {
        caseId,
        studentKey: key(S.unpaid.id),
        countyCode: '150821',
        schoolCode: 'WY-01',
        openedAt: '2020-11-11T00:00:00.000Z',
        verifyBy: '2020-11-18',
      },
    };
    publishEnvelope(probe.channel, messaging.namespace, envelope);
    publishEnvelope(probe.channel, messaging.namespace, envelope);
    const linked = await waitFor(
      () =>
        sql<{ dropout_case_id: string | null }>(
          'SELECT dropout_case_id FROM entitlement WHERE student_key = $1',
          [key(S.unpaid.id)],
        ),
      (rows) => rows[0]?.dropout_case_id === caseId,
      { what: 'the entitlement linked to the dropout case' },
    );
    expect(linked).toHaveLength(1);
    await waitFor(
      () => sql('SELECT 1 FROM inbox'),
      (r) => r.length >= 1,
      { what: 'inbox row' },
    );
    await new Promise((r) => setTimeout(r, 300));
    const restated = await sql<{ envelope: { data: Record<string, string>; causationId: string } }>(
      `SELECT envelope FROM outbox WHERE routing_key = 'aid.entitlement.overdue.v1' AND envelope->'data'->>'dropoutCaseId' = $1`,
      [caseId],
    );
    expect(restated).toHaveLength(1);
    expect(restated[0].envelope.causationId).toBe(envelope.id);
    expect(restated[0].envelope.data.studentKey).toBe(key(S.unpaid.id));

    // An earlier case of the student (since resolved), its event back late from the retry
    // queue: the entitlement keeps the case it has, and no breach is restated for the old one.
    const earlier = randomUUID();
    await app.get(DropoutCaseOpenedConsumer).onOpened(
      createEnvelope(
        'dropout.case.opened.v1',
        { ...envelope.data, caseId: earlier, openedAt: '2020-09-20T00:00:00.000Z', verifyBy: '2020-09-27' },
        {
          producer: 'dropout-control',
          subject: earlier,
          county: '150821',
          occurredAt: new Date('2020-09-20T00:00:00.000Z'),
        },
      ),
    );
    await expect(
      sql('SELECT dropout_case_id FROM entitlement WHERE student_key = $1', [key(S.unpaid.id)]),
    ).resolves.toEqual([{ dropout_case_id: caseId }]);
    await expect(
      sql(`SELECT 1 FROM outbox WHERE envelope->'data'->>'dropoutCaseId' = $1`, [earlier]),
    ).resolves.toEqual([]);
  });

  it("waits for an aid auditor before an operator's single grant counts", async () => {
    const grant = {
      studentIdNumber: idNumber(20),
      countyCode: '150821',
      schoolCode: 'WY-01',
      policyCode: 'VOCATIONAL_NATIONAL_SCHOLARSHIP',
      term: TERM,
      amountDue: '3000.00',
      dueDate: '2020-12-31',
    };
    expect(
      (await call('POST', '/api/entitlements', wuyuan, { ...grant, policyCode: 'NO_SUCH_POLICY' })).status,
    ).toBe(400);
    const res = await call('POST', '/api/entitlements', wuyuan, grant);
    expect(res.body).toMatchObject({ status: 'prepared', created: true });
    const pay = {
      studentIdNumber: grant.studentIdNumber,
      policyCode: grant.policyCode,
      term: TERM,
      amount: '3000.00',
      paidOn: '2020-11-12',
    };
    expect((await call('POST', '/api/payments', wuyuan, pay)).status).toBe(404);
    const approved = await call('POST', `/api/entitlements/${res.body.id}/approve`, auditor);
    expect(approved.body).toMatchObject({ status: 'due', approvedBy: 'auditor-1' });
    const paid = await call('POST', '/api/payments', wuyuan, { ...pay, reference: 'BANK-1' });
    expect(paid.body).toMatchObject({
      recorded: true,
      entitlement: { status: 'settled', amountPaid: '3000.00' },
    });
  });

  it('pages entitlements and computation runs with the total, a county operator only in their county', async () => {
    const ids = (r: Reply) => (r.body as { id: string }[]).map((e) => e.id);
    const count = async (where: string) =>
      (await sql<{ n: number }>(`SELECT count(*)::int AS n FROM entitlement WHERE ${where}`))[0].n;
    // One entitlement in Dengkou, so that Wuyuan's operator has something not to see.
    const dengkou = await call('POST', '/api/entitlements', admin, {
      studentIdNumber: S.otherCounty.id,
      countyCode: '150822',
      schoolCode: 'DK-01',
      policyCode: 'VOCATIONAL_NATIONAL_SCHOLARSHIP',
      term: TERM,
      amountDue: '3000.00',
      dueDate: '2020-12-31',
    });
    expect(dengkou.status).toBe(201);

    const everything = await call('GET', `/api/entitlements?term=${TERM}&limit=1000`, admin);
    const all = await count(`term = '${TERM}'`);
    expect(everything.total).toBe(String(all));
    expect(everything.body).toHaveLength(all);
    const first = await call('GET', `/api/entitlements?term=${TERM}&limit=3`, admin);
    const second = await call('GET', `/api/entitlements?term=${TERM}&limit=3&offset=3`, admin);
    expect([first.total, second.total]).toEqual([String(all), String(all)]);
    expect([...ids(first), ...ids(second)]).toEqual(ids(everything).slice(0, 6));
    expect(ids(first).filter((id) => ids(second).includes(id))).toEqual([]);

    const own = await call('GET', `/api/entitlements?term=${TERM}&limit=3`, wuyuan);
    const wuyuanCount = await count(`term = '${TERM}' AND county_code = '150821'`);
    expect(wuyuanCount).toBeLessThan(all);
    expect(own.total).toBe(String(wuyuanCount));
    const ownAll = await call('GET', `/api/entitlements?term=${TERM}&limit=1000`, wuyuan);
    expect(ownAll.body.map((e: { countyCode: string }) => e.countyCode)).toEqual(
      Array(wuyuanCount).fill('150821'),
    );
    expect(ids(ownAll)).not.toContain(dengkou.body.id);
    expect((await call('GET', `/api/entitlements?county=150822`, wuyuan)).status).toBe(403);

    // Runs: three more terms prepared in Wuyuan, one in Dengkou, all at the same instant.
    for (const term of ['2021-spring', '2021-autumn', '2022-spring'])
      expect((await call('POST', `/api/terms/${term}/entitlements`, wuyuan, {})).status).toBe(201);
    expect(
      (await call('POST', '/api/terms/2021-spring/entitlements', admin, { countyCode: '150822' })).status,
    ).toBe(201);
    const runs = await call('GET', '/api/entitlement-runs?county=150821', admin);
    const runCount = (
      await sql<{ n: number }>(`SELECT count(*)::int AS n FROM entitlement_run WHERE county_code = '150821'`)
    )[0].n;
    expect(runs.total).toBe(String(runCount));
    expect(runs.body).toHaveLength(runCount);
    const page1 = await call('GET', '/api/entitlement-runs?county=150821&limit=2', admin);
    const page2 = await call('GET', '/api/entitlement-runs?county=150821&limit=2&offset=2', admin);
    expect(page1.body).toHaveLength(2);
    expect([...ids(page1), ...ids(page2)]).toEqual(ids(runs).slice(0, 4));
    expect(ids(page1).filter((id) => ids(page2).includes(id))).toEqual([]);
    const mine = await call('GET', '/api/entitlement-runs?limit=1', wuyuan);
    expect(mine.total).toBe(String(runCount));
    expect(mine.body.map((r: { countyCode: string }) => r.countyCode)).toEqual(['150821']);
    const [{ n: allRuns }] = await sql<{ n: number }>('SELECT count(*)::int AS n FROM entitlement_run');
    expect(allRuns).toBeGreaterThan(runCount);
    expect((await call('GET', '/api/entitlement-runs?limit=1', admin)).total).toBe(String(allRuns));
    for (const q of ['limit=0', 'limit=5000', 'offset=-1'])
      expect((await call('GET', `/api/entitlement-runs?${q}`, admin)).status).toBe(400);
  });
});
