import { randomUUID } from 'node:crypto';
import { WorkingDayCalendar } from '../../calendar/domain/working-day-calendar.js';
import { CHINA_PUBLIC_HOLIDAYS } from '../../calendar/seed/china-public-holidays.js';
import { DEFAULT_ESCALATION_POLICIES } from '../seed/default-escalation-policies.js';
import { breachOf } from './breach.js';
import { Escalation } from './escalation.js';
import { policyProblems, type EscalationPolicy } from './escalation-policy.js';
import { noticeParams } from './notice-params.js';

const policyOf = (t: string) => DEFAULT_ESCALATION_POLICIES.find((p) => p.breachType === t)!;
const aid = policyOf('aid');
const calendar = new WorkingDayCalendar(CHINA_PUBLIC_HOLIDAYS);
// Monday 2 November 2020, 10:00 in Beijing.
const now = new Date('2020-11-02T02:00:00Z');
const key = { breachType: 'aid', front: 'aid', countyCode: '150821' } as const;
const open = (policy: EscalationPolicy = aid, recurrenceOf: string | null = null) =>
  Escalation.open(randomUUID(), { ...key, breachType: policy.breachType }, policy, now, recurrenceOf);
const days = (n: number) => new Date(now.getTime() + n * 86_400_000);

describe('Escalation', () => {
  it('announces itself with its first item only', () => {
    const e = open();
    expect(e.addItem(62500).map((x) => x.key)).toEqual(['supervision.escalation.opened.v1']);
    expect(e.addItem(10000)).toEqual([]);
    expect(e.state).toMatchObject({ itemCount: 2, openItemCount: 2, amountFen: 72500, openAmountFen: 72500 });
  });

  it('takes the immediate rungs at once and the last after ten working days, not ten weekdays', () => {
    const e = open();
    e.addItem(62500);
    const first = e.advance(now, calendar);
    expect(first.map((d) => [d.step.level, d.outcome])).toEqual([
      ['notice', 'taken'],
      ['interview', 'taken'],
    ]);
    expect(e.state.level).toBe('interview');
    // Ten working days after Mon 2 Nov 2020 is Mon 16 Nov, same time of day.
    expect(e.state.nextStepAt).toBe('2020-11-16T02:00:00.000Z');
    expect(e.advance(days(13), calendar)).toEqual([]);
    const last = e.advance(days(14), calendar);
    expect(last.map((d) => [d.step.level, d.last])).toEqual([['accountability', true]]);
    expect(e.state.nextStepAt).toBeNull();
  });

  it('waits across the National Day holiday in working days', () => {
    const e = Escalation.open(randomUUID(), key, aid, new Date('2020-09-30T02:00:00Z'));
    e.addItem(1);
    e.advance(new Date('2020-09-30T02:00:00Z'), calendar);
    // 30 Sep + 10 working days: 9, 10 (Saturday worked), 12-16, 19-21 October.
    expect(e.state.nextStepAt).toBe('2020-10-21T02:00:00.000Z');
  });

  it('reports in each notice the items that came after the previous one', () => {
    const policy: EscalationPolicy = {
      ...aid,
      steps: [aid.steps[0], { ...aid.steps[1], waitWorkingDays: 5 }],
    };
    const e = open(policy);
    e.addItem(100);
    const [notice] = e.advance(now, calendar);
    expect(notice.digest).toMatchObject({ openItemCount: 1, newItemCount: 1, newAmountFen: 100 });
    e.addItem(200);
    e.addItem(300);
    e.settleItem(now, { amountFen: 200, joinedStep: 1 });
    expect(e.advance(days(2), calendar)).toEqual([]);
    const [interview] = e.advance(days(7), calendar);
    expect(interview.digest).toMatchObject({
      itemCount: 3,
      openItemCount: 2,
      openAmountFen: 400,
      newItemCount: 1,
      newAmountFen: 300,
    });
  });

  it('reports an item that comes back after being settled in the next notice, and takes an unresolved step for it', () => {
    // The work-team ladder: a notice at once, an interview ten working days later if unheeded.
    const e = open(policyOf('work_team'));
    e.addItem(0);
    e.addItem(0);
    e.advance(now, calendar);
    const first = { amountFen: 0, joinedStep: 0 };
    e.settleItem(now, first);
    e.settleItem(now, { amountFen: 0, joinedStep: 0 }); // the last one: resolved …
    expect(e.state.status).toBe('resolved');
    expect(() => e.reopenItem(first)).toThrow(/resolved/);

    const f = open(policyOf('work_team'));
    f.addItem(0);
    f.addItem(0);
    f.advance(now, calendar);
    const back = { amountFen: 0, joinedStep: 0 };
    f.settleItem(now, back);
    expect(f.state).toMatchObject({ openItemCount: 1, openBeforeStep: 1, unreportedCount: 0 });
    const rejoined = f.reopenItem(back);
    expect(rejoined.reopenedStep).toBe(1);
    expect(f.state).toMatchObject({ openItemCount: 2, openBeforeStep: 2, unreportedCount: 1 });
    // The other item is settled: only the one that came back is open, and it was noticed before.
    f.settleItem(now, { amountFen: 0, joinedStep: 0 });
    const [interview] = f.advance(days(14), calendar);
    expect(interview).toMatchObject({
      outcome: 'taken',
      digest: { itemCount: 2, openItemCount: 1, newItemCount: 1 },
    });
    // Reported now: settling it again leaves nothing unreported behind.
    f.settleItem(now, rejoined);
    expect(f.state).toMatchObject({ status: 'resolved', unreportedCount: 0, openItemCount: 0 });
  });

  it('skips a step whose condition does not hold, and says why', () => {
    const rect = policyOf('rectification');
    const e = open(rect);
    e.addItem(0);
    e.advance(now, calendar);
    // A new item arrives and the one noticed is settled: the notice was heeded.
    e.addItem(0);
    e.settleItem(now, { amountFen: 0, joinedStep: 0 });
    const [interview] = e.advance(days(7), calendar);
    expect(interview).toMatchObject({ outcome: 'skipped', reason: { code: 'settled' } });
    expect(e.state.level).toBe('notice');
    // Still open ten working days later: the new item was never dealt with.
    const [accountability] = e.advance(days(21), calendar);
    expect(accountability).toMatchObject({ outcome: 'taken', digest: { openItemCount: 1, newItemCount: 1 } });
  });

  it('takes a count-conditioned step only above the count', () => {
    const policy: EscalationPolicy = {
      ...aid,
      steps: [aid.steps[0], { ...aid.steps[1], condition: { minItems: 2 } }],
    };
    const e = open(policy);
    e.addItem(0);
    expect(e.advance(now, calendar).map((d) => d.outcome)).toEqual(['taken', 'skipped']);
    const f = open(policy);
    [1, 2, 3].forEach(() => f.addItem(0));
    expect(f.advance(now, calendar).map((d) => d.outcome)).toEqual(['taken', 'taken']);
  });

  it('goes straight to interview when the problem recurs, whatever the interview step waits', () => {
    const rect = policyOf('rectification');
    const e = open(rect, randomUUID());
    e.addItem(0);
    const decided = e.advance(now, calendar);
    expect(decided.map((d) => [d.step.level, d.outcome, d.reason?.code ?? null])).toEqual([
      ['notice', 'skipped', 'recurrence'],
      ['interview', 'taken', null],
    ]);
    expect(e.state.level).toBe('interview');
  });

  it('keeps its own copy of the policy', () => {
    const mutable = structuredClone(aid);
    const e = open(mutable);
    mutable.steps[0].waitWorkingDays = 99;
    expect(e.state.policy.steps[0].waitWorkingDays).toBe(0);
  });

  it('is acknowledged without anything else changing', () => {
    const e = open();
    e.addItem(1);
    e.advance(now, calendar);
    const before = { ...e.state };
    e.acknowledge(days(1));
    expect(e.state).toEqual({ ...before, acknowledgedAt: days(1).toISOString() });
  });

  it('resolves when the last open item is settled, once, and stops its ladder', () => {
    const e = open();
    e.addItem(1);
    e.addItem(1);
    e.advance(now, calendar);
    expect(e.settleItem(now, { amountFen: 1, joinedStep: 0 })).toEqual([]);
    expect(e.settleItem(now, { amountFen: 1, joinedStep: 0 }).map((x) => x.key)).toEqual([
      'supervision.escalation.resolved.v1',
    ]);
    expect(e.state).toMatchObject({ status: 'resolved', openAmountFen: 0, nextStepAt: null });
    expect(e.settleItem(now, { amountFen: 1, joinedStep: 0 })).toEqual([]);
    expect(e.advance(days(100), calendar)).toEqual([]);
  });
});

describe('policyProblems', () => {
  it('accepts every seeded policy', () => {
    for (const p of DEFAULT_ESCALATION_POLICIES) expect(policyProblems(p)).toEqual([]);
  });

  it('names every bad field', () => {
    expect(
      policyProblems({
        recurrenceWindowDays: -1,
        steps: [
          {
            level: 'interview',
            kind: 'interview_notice',
            targets: ['boss'],
            channels: ['fax'],
            waitWorkingDays: 0.5,
            interview: { inWorkingDays: 3, time: '09:00', place: '会议室', followUpReminderWorkingDays: -1 },
          },
          {
            level: 'notice',
            kind: 'interview_notice',
            targets: ['responsible'],
            channels: ['sms'],
            waitWorkingDays: 0,
            urgent: true,
          },
        ],
      }).map((p) => p.field),
    ).toEqual([
      'recurrenceWindowDays',
      'steps[0].targets',
      'steps[0].channels',
      'steps[0].waitWorkingDays',
      'steps[0].interview.followUpReminderWorkingDays',
      'steps[1].level',
      'steps[1].kind',
      'steps[1].urgent',
    ]);
    // A minutes or reminder kind is not a rung of the ladder.
    expect(
      policyProblems({
        recurrenceWindowDays: 0,
        steps: [
          {
            level: 'notice',
            kind: 'interview_minutes',
            targets: ['responsible'],
            channels: ['sms'],
            waitWorkingDays: 0,
          },
        ],
      }).map((p) => p.field),
    ).toEqual(['steps[0].kind']);
  });
});

describe('noticeParams', () => {
  it('is a digest of counts and money, with what is new since the last notice', () => {
    const params = noticeParams({
      escalationId: 'e',
      breachType: 'aid',
      front: 'aid',
      countyName: '五原县',
      cityName: '巴彦淖尔市',
      stepIndex: 1,
      step: aid.steps[1],
      digest: {
        itemCount: 5,
        openItemCount: 4,
        openAmountFen: 250000,
        newItemCount: 2,
        newAmountFen: 125000,
      },
      leadDepartment: '学生资助管理中心',
      fallback: false,
    });
    expect(params).toMatchObject({
      countyName: '五原县',
      frontName: '学生资助',
      itemCount: 4,
      amount: '2500.00',
      newItemCount: 2,
      newAmount: '1250.00',
      totalItemCount: 5,
      leadDepartment: '学生资助管理中心',
    });
  });

  it('leaves out money where there is none', () => {
    const params = noticeParams({
      escalationId: 'e',
      breachType: 'dropout',
      front: 'dropout',
      countyName: '五原县',
      cityName: '巴彦淖尔市',
      stepIndex: 0,
      step: aid.steps[0],
      digest: { itemCount: 1, openItemCount: 1, openAmountFen: 0, newItemCount: 1, newAmountFen: 0 },
      leadDepartment: null,
      fallback: true,
    });
    expect(params).not.toHaveProperty('amount');
    expect(params).toMatchObject({ onBehalfOf: '五原县' });
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
      breachType: 'aid',
      front: 'aid',
      countyCode: '150821',
      itemKey: 'aid.entitlement:e1',
      kind: 'unpaid_subsidy',
      amountFen: 49950,
      overdue: true,
    });
  });
});
