import { randomUUID } from 'node:crypto';
import { DEFAULT_ESCALATION_POLICIES } from '../seed/default-escalation-policies.js';
import { breachOf } from './breach.js';
import { Escalation } from './escalation.js';
import { chooseRecipients } from './recipients.js';
import type { Official } from '../../directory/domain/official.js';

const policy = DEFAULT_ESCALATION_POLICIES[1];
const now = new Date('2020-11-02T02:00:00Z');

describe('Escalation', () => {
  it('announces itself with its first item only', () => {
    const e = Escalation.open(randomUUID(), 'aid', '150821', policy, now);
    expect(e.addItem(62500).map((x) => x.key)).toEqual(['supervision.escalation.opened.v1']);
    expect(e.addItem(10000)).toEqual([]);
    expect(e.state).toMatchObject({ itemCount: 2, openItemCount: 2, amountFen: 72500 });
  });

  it('takes the immediate rungs at once and the later one after its wait', () => {
    const e = Escalation.open(randomUUID(), 'aid', '150821', policy, now);
    const due = e.stepsDue(0);
    expect(due.map((d) => d.step.level)).toEqual(['notice', 'interview']);
    due.forEach((d) => e.markStepTaken(d.index));
    expect(e.state.level).toBe('interview');
    expect(e.stepsDue(0)).toEqual([]);
    expect(e.stepsDue(9)).toEqual([]);
    expect(e.stepsDue(10).map((d) => d.step.level)).toEqual(['accountability']);
  });

  it('keeps its own copy of the policy', () => {
    const mutable = structuredClone(policy);
    const e = Escalation.open(randomUUID(), 'aid', '150821', mutable, now);
    mutable.steps[0].waitWorkingDays = 99;
    expect(e.state.policy.steps[0].waitWorkingDays).toBe(0);
  });

  it('resolves when the last open item is settled, once', () => {
    const e = Escalation.open(randomUUID(), 'aid', '150821', policy, now);
    e.addItem(1);
    e.addItem(1);
    expect(e.settleItem(now)).toEqual([]);
    expect(e.settleItem(now).map((x) => x.key)).toEqual(['supervision.escalation.resolved.v1']);
    expect(e.state.status).toBe('resolved');
    expect(e.settleItem(now)).toEqual([]);
    expect(e.stepsDue(100)).toEqual([]);
  });
});

describe('breachOf', () => {
  it('counts the unpaid remainder of an overdue entitlement and keys it by entitlement', () => {
    const b = breachOf({
      id: randomUUID(),
      type: 'aid.entitlement.overdue',
      version: 1,
      occurredAt: now.toISOString(),
      producer: 'student-aid',
      correlationId: 'c',
      causationId: null,
      subject: 'e1',
      county: '150821',
      data: {
        entitlementId: 'e1',
        studentKey: 'a'.repeat(64),
        countyCode: '150821',
        schoolCode: 'S',
        policyCode: 'P',
        term: '2020-autumn',
        amountDue: '625.00',
        amountPaid: '125.5',
        dueDate: '2020-10-31',
      },
    });
    expect(b).toEqual({
      front: 'aid',
      countyCode: '150821',
      itemKey: 'aid.entitlement:e1',
      breachType: 'unpaid_subsidy',
      amountFen: 49950,
    });
  });
});

describe('chooseRecipients', () => {
  const o = (id: string, countyCode: string, role: Official['role'], front: Official['front']): Official => ({
    officialId: id,
    name: id,
    title: 't',
    countyCode,
    role,
    front,
    phone: '1',
    email: null,
  });
  const officials = [
    o('aid-resp', '150821', 'responsible', 'aid'),
    o('dropout-resp', '150821', 'responsible', 'dropout'),
    o('head', '150821', 'bureau_head', 'all'),
    o('city-resp', '150800', 'responsible', 'all'),
  ];

  it('picks the front and all-front officials of the county in the target roles', () => {
    expect(
      chooseRecipients(officials, 'aid', '150821', '150800', ['responsible']).recipients.map(
        (x) => x.officialId,
      ),
    ).toEqual(['aid-resp']);
    expect(
      chooseRecipients(officials, 'aid', '150821', '150800', ['bureau_head']).recipients.map(
        (x) => x.officialId,
      ),
    ).toEqual(['head']);
  });

  it('falls back to the city when the county has nobody', () => {
    const r = chooseRecipients(officials, 'construction', '150822', '150800', ['responsible']);
    expect(r).toEqual({ recipients: [expect.objectContaining({ officialId: 'city-resp' })], fallback: true });
  });
});
