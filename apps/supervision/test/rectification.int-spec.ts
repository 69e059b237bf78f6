import ExcelJS from 'exceljs';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import type { EventMap } from '@edu/contracts';
import { FixedClock } from '@edu/service';
import {
  createTestDatabase,
  deleteTopology,
  testMessagingConfig,
  type TestDatabase,
  type TestService,
} from '@edu/testing';
import { migrations } from '../src/migrations/index.js';
import { startOnSchema } from './supervision-fixture.js';

/** A response body; the assertions check its shape. */
type Json = ReturnType<typeof JSON.parse>;

/*
 * The rectification ledger: problems registered and imported (CSV and XLSX), the 30 June
 * default deadline, closing only against evidence and by a second person, overdue problems
 * escalating like Json breach (and a recurrence going straight to interview), the ledger's
 * filters and its XLSX export.
 */

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const OFFICIALS = [
  'official_id,name,title,county_code,front,role,phone,email',
  'WY-RECT,吴敏,五原县教育局发展规划股股长,150821,rectification,responsible,13900000021,rect@example.cn',
  'WY-HEAD,孙强,五原县教育局局长,150821,all,bureau_head,13900000003,head@example.cn',
].join('\n');

const CSV = [
  'ref,source,description,county_code,front,measures,found_on,deadline,lead_department,responsible_leader',
  'HK-01,central_inspection_review,控辍保学台账信息不完整,150821,dropout,逐户核实补录,2020-03-02,,基础教育股,王刚',
  'HK-02,national_assessment,安置点配套学校学位不足,150821,construction,加快改扩建,2020-03-02,,发展规划股,李明',
  'HK-03,inspection,部分资助资金发放不及时,150821,aid,逐人补发,2020-03-02,2020-05-31,资助中心,赵敏',
  'HK-04,rumour,来源不明,150821,aid,无,2020-03-02,,资助中心,赵敏',
  'HK-05,inspection,临河区问题,150802,aid,补发,2020-03-02,,资助中心,赵敏',
].join('\n');

describe('supervision: the rectification ledger', () => {
  const messaging = testMessagingConfig('supervision');
  const clock = new FixedClock(new Date('2020-05-11T02:00:00Z'));
  let db: TestDatabase;
  let svc: TestService;
  let admin: string;
  let maker: string;
  let checker: string;

  const call = async <T = Json>(path: string, init: RequestInit = {}, token = admin) => {
    const res = await fetch(`${svc.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const type = res.headers.get('content-type') ?? '';
    const body = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: body as T, type };
  };

  const outbox = async (key: string) =>
    (
      await db.dataSource.query<{ envelope: { data: unknown } }[]>(
        'SELECT envelope FROM outbox WHERE routing_key = $1 ORDER BY seq',
        [key],
      )
    ).map((r) => r.envelope.data);

  const problem = (ref: string, extra: object = {}) => ({
    ref,
    source: 'unannounced_visit',
    description: '暗访发现送教上门记录缺失',
    countyCode: '150821',
    front: 'dropout',
    measures: '补齐送教记录并建立台账',
    foundOn: '2020-04-20',
    leadDepartment: '学前与特殊教育股',
    responsibleLeader: '王刚',
    ...extra,
  });

  beforeAll(async () => {
    db = await createTestDatabase('supervision_rect', [], migrations);
    svc = await startOnSchema(db, messaging, clock);
    admin = await signToken({ sub: 'admin', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    maker = await signToken(
      { sub: 'wy-maker', role: 'county_operator', county: '150821' },
      DEV_AUTH_DEFAULTS,
    );
    checker = await signToken(
      { sub: 'wy-checker', role: 'county_operator', county: '150821' },
      DEV_AUTH_DEFAULTS,
    );
    await call('/api/officials/import', {
      method: 'POST',
      body: OFFICIALS,
      headers: { 'content-type': 'text/csv' },
    });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
    await deleteTopology(messaging.namespace, ['supervision']);
  });

  let first: string;

  it('registers a problem due by 30 June, in the operator’s own county only', async () => {
    const res = await call(
      '/api/rectification/problems',
      { method: 'POST', body: JSON.stringify(problem('AF-01')) },
      maker,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      ref: 'AF-01',
      deadline: '2020-06-30',
      status: 'open',
      overdue: false,
      createdBy: 'wy-maker',
    });
    first = res.body.id;
    const other = await call(
      '/api/rectification/problems',
      { method: 'POST', body: JSON.stringify(problem('AF-02', { countyCode: '150802' })) },
      maker,
    );
    expect(other.status).toBe(403);
    const again = await call(
      '/api/rectification/problems',
      { method: 'POST', body: JSON.stringify(problem('AF-01')) },
      maker,
    );
    expect(again.status).toBe(409);
    const dk = await signToken({ sub: 'dk', role: 'county_operator', county: '150822' }, DEV_AUTH_DEFAULTS);
    expect((await call(`/api/rectification/problems/${first}`, {}, dk)).status).toBe(404);
  });

  it('imports a CSV, reporting bad rows by line and column; importing it again changes nothing', async () => {
    const res = await call(
      '/api/rectification/problems/import',
      { method: 'POST', body: CSV, headers: { 'content-type': 'text/csv' } },
      maker,
    );
    expect(res.body).toEqual({
      received: 5,
      created: 3,
      updated: 0,
      unchanged: 0,
      rejected: [
        { line: 5, field: 'source', reason: expect.stringContaining('must be one of') },
        { line: 6, field: 'county_code', reason: '150802 is outside your jurisdiction' },
      ],
    });
    const again = await call(
      '/api/rectification/problems/import',
      { method: 'POST', body: CSV, headers: { 'content-type': 'text/csv' } },
      maker,
    );
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    const ledger = (await call('/api/rectification/ledger?county=150821')).body;
    expect(ledger.total).toBe(4);
    expect(ledger.items.find((p: { ref: string }) => p.ref === 'HK-02').deadline).toBeNull();
  });

  it('escalates overdue problems once, like Json breach', async () => {
    clock.set(new Date('2020-06-01T02:00:00Z'));
    expect((await call('/api/sweeps/rectification-overdue', { method: 'POST' })).body).toEqual({
      overdue: 1,
      notices: 1,
    });
    // A month later two more are overdue, and the first notice went unheeded: the interview.
    clock.set(new Date('2020-07-01T02:00:00Z'));
    expect((await call('/api/sweeps/rectification-overdue', { method: 'POST' })).body).toEqual({
      overdue: 2,
      notices: 0,
    });
    expect((await call('/api/sweeps/ladder', { method: 'POST' })).body).toEqual({
      escalations: 1,
      notices: 1,
    });
    expect((await call('/api/sweeps/rectification-overdue', { method: 'POST' })).body).toEqual({
      overdue: 0,
      notices: 0,
    });
    const [esc] = (await call<Json[]>('/api/escalations?county=150821&breachType=rectification')).body;
    expect(esc).toMatchObject({
      front: 'rectification',
      itemCount: 3,
      level: 'interview',
      nextLevel: 'accountability',
    });
    const requests = (await outbox('notification.requested.v1')) as EventMap['notification.requested.v1'][];
    expect(requests.map((r) => [r.kind, r.recipient.officialId])).toEqual([
      ['supervision_notice', 'WY-RECT'],
      ['interview_notice', 'WY-HEAD'],
    ]);
    expect(requests[0].params).toMatchObject({ frontName: '问题整改', itemCount: 1 });
    expect(requests[1].params).toMatchObject({ itemCount: 3, newItemCount: 2 });
    const overdue = (await call('/api/rectification/ledger?overdue=true')).body;
    expect(overdue.items.map((p: { ref: string }) => p.ref).sort()).toEqual(['AF-01', 'HK-01', 'HK-03']);
  });

  it('exports the ledger as XLSX, which imports again unchanged', async () => {
    const res = await fetch(`${svc.url}/api/rectification/ledger?county=150821`, {
      headers: { authorization: `Bearer ${admin}`, accept: XLSX },
    });
    expect(res.headers.get('content-type')).toBe(XLSX);
    const file = Buffer.from(await res.arrayBuffer());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe('整改台账');
    expect(sheet.getRow(1).getCell(1).value).toBe('问题编号');
    expect(sheet.rowCount).toBe(5);
    const hk03 = sheet.getRow(5).values as string[];
    expect(hk03).toEqual(
      expect.arrayContaining(['HK-03', '监督检查', '五原县', '学生资助', '2020-05-31', '整改中', '是']),
    );
    const back = await call(
      '/api/rectification/problems/import',
      { method: 'POST', body: file, headers: { 'content-type': XLSX } },
      maker,
    );
    expect(back.body).toEqual({ received: 4, created: 0, updated: 0, unchanged: 4, rejected: [] });
  });

  it('closes only against evidence and by a second person, and the escalation resolves with the last', async () => {
    const ids = (await call('/api/rectification/ledger?overdue=true')).body.items.map(
      (p: { id: string }) => p.id,
    );
    const noEvidence = await call(
      `/api/rectification/problems/${ids[0]}/closure-request`,
      { method: 'POST', body: '{}' },
      maker,
    );
    expect(noEvidence.status).toBe(400);
    for (const id of ids) {
      const asked = await call(
        `/api/rectification/problems/${id}/closure-request`,
        {
          method: 'POST',
          body: JSON.stringify({ evidence: [{ reference: '五教发〔2020〕31号', description: '整改报告' }] }),
        },
        maker,
      );
      expect(asked.body.status).toBe('closure_requested');
      expect(
        (await call(`/api/rectification/problems/${id}/closure-approval`, { method: 'POST' }, maker)).status,
      ).toBe(403);
    }
    const rejected = await call(
      `/api/rectification/problems/${ids[0]}/closure-rejection`,
      {
        method: 'POST',
        body: JSON.stringify({ reason: '佐证材料不全' }),
      },
      checker,
    );
    expect(rejected.body).toMatchObject({ status: 'open', closureRejectedReason: '佐证材料不全' });
    for (const id of ids.slice(1)) {
      expect(
        (await call(`/api/rectification/problems/${id}/closure-approval`, { method: 'POST' }, checker)).body,
      ).toMatchObject({ status: 'closed', closedBy: 'wy-checker' });
    }
    expect(await outbox('supervision.escalation.resolved.v1')).toEqual([]);
    await call(
      `/api/rectification/problems/${ids[0]}/closure-request`,
      { method: 'POST', body: '{}' },
      maker,
    );
    await call(`/api/rectification/problems/${ids[0]}/closure-approval`, { method: 'POST' }, checker);
    const [esc] = (await call<Json[]>('/api/escalations?county=150821&breachType=rectification')).body;
    expect(esc).toMatchObject({ status: 'resolved', openItemCount: 0 });
    expect(await outbox('supervision.escalation.resolved.v1')).toEqual([
      expect.objectContaining({ escalationId: esc.id, front: 'rectification', breachType: 'rectification' }),
    ]);
  });

  it('goes straight to interview when overdue problems recur soon after', async () => {
    const late = await call(
      '/api/rectification/problems',
      {
        method: 'POST',
        body: JSON.stringify(problem('AF-09', { foundOn: '2020-05-02', deadline: '2020-06-15' })),
      },
      maker,
    );
    expect(late.status).toBe(201);
    await call('/api/sweeps/rectification-overdue', { method: 'POST' });
    const list = (await call<Json[]>('/api/escalations?county=150821&breachType=rectification')).body;
    const recurring = list.find((e) => e.status === 'open');
    expect(recurring).toMatchObject({
      recurrenceOf: list.find((e) => e.status === 'resolved').id,
      level: 'interview',
    });
    const detail = (await call(`/api/escalations/${recurring.id}`)).body;
    expect(
      detail.steps.map((s: { level: string; outcome: string; reasonCode: string | null }) => [
        s.level,
        s.outcome,
        s.reasonCode,
      ]),
    ).toEqual([
      ['notice', 'skipped', 'recurrence'],
      ['interview', 'taken', null],
    ]);
    const [interview] = (await call<Json[]>('/api/interviews?county=150821')).body;
    expect(interview).toMatchObject({
      recurrence: true,
      subject: expect.stringContaining('同类问题反复出现'),
    });
  });
});
