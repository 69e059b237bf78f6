import type { Principal } from '@edu/auth';
import { FixedClock } from '@edu/service';
import { waitFor } from '@edu/testing';
import { bootService, type RunningService } from './support/services.js';
import { idNumber } from './support/suite.js';

const A = '150821';
const CHILD = { id: idNumber(A, '20110304', 7), name: '甲审计' };
const admin: Principal = { sub: 'admin-1', role: 'city_admin' };
const operator: Principal = { sub: 'op-wuyuan', role: 'county_operator', county: A };
const viewer: Principal = { sub: 'viewer-1', role: 'viewer' };
const auditor: Principal = { sub: 'auditor-1', role: 'aid_auditor' };

interface AuditRow {
  id: string;
  requestId: string;
  actor: string;
  role: string;
  county: string | null;
  action: string;
  target: string | null;
  status: number;
  outcome: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  before: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  after: any;
}

describe('the audit log: every change, who and what, masked, append-only, for city admins', () => {
  let svc: RunningService;
  let caseId: string;
  const audit = async (query = '') => (await svc.call('GET', `/api/audit${query}`, admin)).body as AuditRow[];

  beforeAll(async () => {
    svc = await bootService(
      'dropout-control',
      {},
      { clock: new FixedClock(new Date('2020-09-10T02:00:00Z')) },
    );
  });
  afterAll(() => svc?.close());

  it('records who opened a case, the masked request, the result, and the request id', async () => {
    const res = await svc.call(
      'POST',
      '/api/cases',
      admin,
      {
        studentIdNumber: CHILD.id,
        name: CHILD.name,
        countyCode: A,
        schoolCode: 'WY-01',
        registeredPoor: true,
      },
      { 'x-request-id': 'audit-test-open-0001' },
    );
    expect(res.status).toBe(201);
    caseId = res.body.id;
    const [row] = await audit('?action=' + encodeURIComponent('POST /api/cases'));
    expect(row).toMatchObject({
      requestId: 'audit-test-open-0001',
      actor: 'admin-1',
      role: 'city_admin',
      county: null,
      action: 'POST /api/cases',
      target: `/api/cases#${caseId}`,
      status: 201,
      outcome: 'done',
      request: {
        body: { studentIdNumber: `${A}********${CHILD.id.slice(14)}`, name: '甲**', countyCode: A },
      },
      after: {
        id: caseId,
        state: 'opened',
        name: '甲**',
        studentIdNumber: `${A}********${CHILD.id.slice(14)}`,
      },
    });
  });

  it('keeps the state before and after a transition, and the county of the operator who made it', async () => {
    const res = await svc.call('POST', `/api/cases/${caseId}/verify`, operator, { reason: 'poverty' });
    expect(res.status).toBe(200);
    const [row] = await audit(`?actor=op-wuyuan`);
    expect(row).toMatchObject({
      actor: 'op-wuyuan',
      role: 'county_operator',
      county: A,
      action: 'POST /api/cases/:id/verify',
      target: `case:${caseId}`,
      status: 200,
      before: { state: 'opened', reason: null, name: '甲**' },
      after: { state: 'verified', reason: 'poverty' },
      request: { params: { id: caseId }, body: { reason: 'poverty' } },
    });
  });

  it('records refusals too: a viewer, a bad request, a domain rule; nobody for a missing token', async () => {
    const before = (await audit()).length;
    expect((await svc.call('POST', `/api/cases/${caseId}/plan`, viewer, {})).status).toBe(403);
    expect((await svc.call('POST', `/api/cases/${caseId}/plan`, operator, { persuaders: 'x' })).status).toBe(
      400,
    );
    expect((await svc.call('POST', `/api/cases/${caseId}/close`, operator, { evidence: 'x' })).status).toBe(
      409,
    );
    expect((await svc.call('POST', `/api/cases/${caseId}/close`, undefined, { evidence: 'x' })).status).toBe(
      401,
    );
    // Rows of failed requests are written as their answers go out.
    const rows = await waitFor(
      () => audit(),
      (r) => r.length - before >= 3,
      { what: 'three refusals' },
    );
    expect(rows.length - before).toBe(3);
    expect(rows.slice(0, 3).map((r) => [r.actor, r.action, r.status, r.outcome])).toEqual([
      ['op-wuyuan', 'POST /api/cases/:id/close', 409, 'refused'],
      ['op-wuyuan', 'POST /api/cases/:id/plan', 400, 'refused'],
      ['viewer-1', 'POST /api/cases/:id/plan', 403, 'refused'],
    ]);
  });

  it('records an export of children’s data, though it is a read', async () => {
    const res = await svc.call('GET', `/api/cases/export?county=${A}`, operator);
    expect(res.status).toBe(200);
    // A streamed answer is out before its row is written.
    const [row] = await waitFor(
      () => audit('?action=' + encodeURIComponent('GET /api/cases/export')),
      (rows) => rows.length > 0,
      { what: 'the audit row of the export' },
    );
    expect(row).toMatchObject({ actor: 'op-wuyuan', status: 200, request: { query: { county: A } } });
  });

  it('shows the log to city admins only, filtered and counted', async () => {
    for (const who of [operator, viewer, auditor]) {
      expect((await svc.call('GET', '/api/audit', who)).status).toBe(403);
    }
    const res = await svc.call('GET', '/api/audit?outcome=refused&limit=2', admin);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(2);
    expect(Number(res.headers.get('x-total-count'))).toBe(3);
    expect((await svc.call('GET', '/api/audit?from=yesterday', admin)).status).toBe(400);
  });

  it('cannot be changed or emptied, even by its owner (the triggers bind every role)', async () => {
    await expect(svc.sql(`UPDATE audit_log SET actor = 'someone-else'`)).rejects.toThrow(
      /append-only: UPDATE refused/,
    );
    await expect(svc.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only: DELETE refused/);
    await expect(svc.sql('TRUNCATE audit_log')).rejects.toThrow(/append-only: TRUNCATE refused/);
    expect((await audit()).length).toBeGreaterThan(4);
  });

  it('holds no resident ID number or child name in clear', async () => {
    const all = JSON.stringify(await svc.sql('SELECT * FROM audit_log'));
    expect(all).not.toContain(CHILD.id);
    expect(all).not.toContain(CHILD.id.slice(6, 14));
    expect(all).not.toContain(CHILD.name);
  });
});
