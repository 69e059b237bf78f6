import { Entitlement, type GrantProps } from './entitlement.js';
import { EntitlementRun } from './entitlement-run.js';
import { formatYuan, parseYuan } from './money.js';

const ADMIN = { sub: 'admin', role: 'city_admin' };
const OPERATOR = { sub: 'op', role: 'county_operator' };
const AUDITOR = { sub: 'auditor', role: 'aid_auditor' };
const AT = new Date('2020-09-10T00:00:00Z');
const CASE = '00000000-0000-4000-8000-0000000000cc';

const props = (amountDue = 62500): GrantProps => ({
  id: '00000000-0000-4000-8000-000000000001',
  studentKey: 'a'.repeat(64),
  countyCode: '150821',
  schoolCode: 'S1',
  policyCode: 'COMPULSORY_BOARDER_LIVING',
  term: '2020-autumn',
  amountDue,
  dueDate: '2020-10-31',
});
const grant = (amountDue = 62500) => Entitlement.grant(props(amountDue), ADMIN, AT);

describe('money', () => {
  it('parses and formats yuan exactly', () => {
    expect(parseYuan('625')).toBe(62500);
    expect(parseYuan('625.5')).toBe(62550);
    expect(parseYuan(0.1 + 0.2)).toBe(30);
    expect(parseYuan('-1')).toBeNull();
    expect(parseYuan('1.234')).toBeNull();
    expect(formatYuan(62505)).toBe('625.05');
  });
});

const PAYMENT = '00000000-0000-4000-8000-0000000000aa';

describe('Entitlement', () => {
  it('refuses a non-positive amount and an impossible date, naming the field', () => {
    expect(() => grant(0)).toThrow(/amountDue/);
    expect(() => Entitlement.grant({ ...props(), dueDate: '2020-02-30x' }, ADMIN, AT)).toThrow(/dueDate/);
  });

  it("counts a city admin's grant at once; an operator's waits for an auditor who is not the preparer", () => {
    expect(grant().state).toMatchObject({ status: 'due', approvedBy: 'admin' });
    const e = Entitlement.grant(props(), OPERATOR, AT);
    expect(e.state.status).toBe('prepared');
    expect(e.markOverdue('2020-11-01')).toEqual([]);
    expect(() => e.approve(ADMIN, AT)).toThrow(/aid auditor/);
    expect(() => e.approve({ sub: 'op', role: 'aid_auditor' }, AT)).toThrow(/not be the one who prepared/);
    e.approve(AUDITOR, AT);
    expect(e.state).toMatchObject({ status: 'due', approvedBy: 'auditor', preparedBy: 'op' });
    expect(() => e.approve(AUDITOR, AT)).toThrow(/not awaiting approval/);
  });

  it('is not overdue on its due date; the day after, nothing paid raises the unpaid subsidy once', () => {
    const e = grant();
    expect(e.markOverdue('2020-10-31')).toEqual([]);
    const events = e.markOverdue('2020-11-01');
    expect(events.map((x) => x.key)).toEqual(['aid.entitlement.overdue.v1']);
    expect(events[0].data).toMatchObject({ amountDue: '625.00', amountPaid: '0.00', dueDate: '2020-10-31' });
    expect(e.state.status).toBe('overdue');
    expect(e.markOverdue('2020-11-02')).toEqual([]);
    expect(e.classify('2020-11-02')).toBe('unpaid');
  });

  it('raises a short payment (not an unpaid subsidy) when partly paid by the due date, once', () => {
    const e = grant();
    expect(e.recordPayment(PAYMENT, 50000, '2020-10-01', AT)).toEqual([]);
    const events = e.markOverdue('2020-11-01');
    expect(events.map((x) => x.key)).toEqual(['aid.payment.short.v1']);
    expect(events[0].data).toMatchObject({ shortfall: '125.00' });
    expect(e.markOverdue('2020-11-02')).toEqual([]);
    expect(e.classify('2020-11-02')).toBe('short');
  });

  it('raises the short payment too when an unpaid subsidy is later part paid', () => {
    const e = grant();
    e.markOverdue('2020-11-01');
    e.recordPayment(PAYMENT, 100, '2020-11-03', AT);
    expect(e.markOverdue('2020-11-04').map((x) => x.key)).toEqual(['aid.payment.short.v1']);
  });

  it('settles when paid in full, classifies on time or late, and flags money paid beyond that as paid twice', () => {
    const e = grant();
    expect(e.classify('2020-10-01')).toBe('pending');
    expect(e.recordPayment(PAYMENT, 62500, '2020-10-01', AT).map((x) => x.key)).toEqual([
      'aid.entitlement.settled.v1',
    ]);
    expect(e.state.settledOn).toBe('2020-10-01');
    expect(e.classify('2020-12-01')).toBe('on_time');
    expect(e.markOverdue('2020-11-01')).toEqual([]);
    const again = e.recordPayment(PAYMENT, 62500, '2020-10-02', AT);
    expect(again.map((x) => x.key)).toEqual(['aid.payment.irregular.v1']);
    expect(again[0].data).toMatchObject({
      paymentId: PAYMENT,
      reason: 'duplicate',
      irregularity: 'paid_twice',
    });
  });

  it('settles an overdue entitlement paid late', () => {
    const e = grant();
    e.markOverdue('2020-11-01');
    expect(e.recordPayment(PAYMENT, 62500, '2020-11-05', AT).map((x) => x.key)).toEqual([
      'aid.entitlement.settled.v1',
    ]);
    expect(e.state.status).toBe('settled');
    expect(e.classify('2020-12-01')).toBe('late');
  });

  it('links a dropout case to an unpaid entitlement once, restating the breach already raised with the link', () => {
    const e = grant();
    e.markOverdue('2020-11-01');
    const restated = e.linkDropoutCase(CASE);
    expect(restated.map((x) => x.key)).toEqual(['aid.entitlement.overdue.v1']);
    expect(restated[0].data).toMatchObject({ dropoutCaseId: CASE });
    expect(e.linkDropoutCase('00000000-0000-4000-8000-0000000000dd')).toEqual([]);
    expect(e.state.dropoutCaseId).toBe(CASE);
  });

  it('links a not-yet-due entitlement silently, and its later breach carries the link; a settled one is not linked', () => {
    const e = grant();
    expect(e.linkDropoutCase(CASE)).toEqual([]);
    expect(e.markOverdue('2020-11-01')[0].data).toMatchObject({ dropoutCaseId: CASE });
    const paid = grant();
    paid.recordPayment(PAYMENT, 62500, '2020-10-01', AT);
    expect(paid.linkDropoutCase(CASE)).toEqual([]);
    expect(paid.state.dropoutCaseId).toBeNull();
  });
});

describe('EntitlementRun', () => {
  const run = () =>
    EntitlementRun.prepare({
      id: 'r1',
      term: '2020-autumn',
      countyCode: '150821',
      preparedBy: 'op',
      preparedAt: AT.toISOString(),
    });

  it('is approved only by an aid auditor other than the preparer, once', () => {
    const r = run();
    expect(() => r.approve({ sub: 'op', role: 'aid_auditor' }, AT)).toThrow(/not be the one who prepared/);
    expect(() => r.approve(ADMIN, AT)).toThrow(/aid auditor/);
    r.approve(AUDITOR, AT);
    expect(r.state).toMatchObject({ status: 'approved', decidedBy: 'auditor' });
    expect(() => r.reject(AUDITOR, AT)).toThrow(/approved, not awaiting/);
  });

  it('blocks another computation of the same term and county while pending', () => {
    const r = run();
    expect(r.overlaps('2020-autumn', '150821')).toBe(true);
    expect(r.overlaps('2020-autumn', null)).toBe(true);
    expect(r.overlaps('2020-autumn', '150822')).toBe(false);
    expect(r.overlaps('2020-spring', '150821')).toBe(false);
  });
});
