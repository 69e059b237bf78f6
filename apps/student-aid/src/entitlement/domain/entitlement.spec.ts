import { Entitlement } from './entitlement.js';
import { formatYuan, parseYuan } from './money.js';

const grant = (amountDue = 62500) =>
  Entitlement.grant({
    id: '00000000-0000-4000-8000-000000000001',
    studentKey: 'a'.repeat(64),
    countyCode: '150821',
    schoolCode: 'S1',
    policyCode: 'COMPULSORY_BOARDER_LIVING',
    term: '2020-autumn',
    amountDue,
    dueDate: '2020-10-31',
  });

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
    expect(() => Entitlement.grant({ ...grant().state, dueDate: '2020-02-30x' })).toThrow(/dueDate/);
  });

  it('is not overdue on its due date, and is overdue the day after, once', () => {
    const e = grant();
    expect(e.markOverdue('2020-10-31')).toEqual([]);
    const events = e.markOverdue('2020-11-01');
    expect(events.map((x) => x.key)).toEqual(['aid.entitlement.overdue.v1']);
    expect(events[0].data).toMatchObject({ amountDue: '625.00', amountPaid: '0.00', dueDate: '2020-10-31' });
    expect(e.state.status).toBe('overdue');
    expect(e.markOverdue('2020-11-02')).toEqual([]);
  });

  it('reports a short payment beside the overdue breach when partly paid', () => {
    const e = grant();
    expect(e.recordPayment(PAYMENT, 50000, new Date('2020-10-01'))).toEqual([]);
    const keys = e.markOverdue('2020-11-01').map((x) => x.key);
    expect(keys).toEqual(['aid.entitlement.overdue.v1', 'aid.payment.short.v1']);
  });

  it('settles when paid in full, and flags money paid beyond that as irregular', () => {
    const e = grant();
    expect(e.recordPayment(PAYMENT, 62500, new Date('2020-10-01')).map((x) => x.key)).toEqual([
      'aid.entitlement.settled.v1',
    ]);
    expect(e.markOverdue('2020-11-01')).toEqual([]);
    const again = e.recordPayment(PAYMENT, 62500, new Date('2020-10-02'));
    expect(again.map((x) => x.key)).toEqual(['aid.payment.irregular.v1']);
    expect(again[0].data).toMatchObject({ paymentId: PAYMENT, reason: 'duplicate', amount: '625.00' });
  });

  it('settles an overdue entitlement paid late', () => {
    const e = grant();
    e.markOverdue('2020-11-01');
    expect(e.recordPayment(PAYMENT, 62500, new Date('2020-11-05')).map((x) => x.key)).toEqual([
      'aid.entitlement.settled.v1',
    ]);
    expect(e.state.status).toBe('settled');
  });
});
