import { DomainError } from '@edu/contracts';
import { WorkingDayCalendar } from '../../calendar/domain/working-day-calendar.js';
import { CHINA_PUBLIC_HOLIDAYS } from '../../calendar/seed/china-public-holidays.js';
import { accountabilityHistory } from './accountability-recommendation.js';
import { Interview } from './interview.js';
import { interviewNoticeParams } from './interview-notice-params.js';

const calendar = new WorkingDayCalendar(CHINA_PUBLIC_HOLIDAYS);
// Thursday 5 November 2020, 09:00 in Beijing.
const heldAt = new Date('2020-11-05T01:00:00Z');
const minutes = { summary: '孙强同志汇报了整改情况。', commitments: ['补发逾期资金', '建立发放台账'] };

function held(reminderDays = 3): Interview {
  const i = Interview.notice({
    id: 'i1',
    serial: 7,
    escalationId: 'e1',
    stepIndex: 1,
    countyCode: '150821',
    countyName: '五原县',
    cityName: '巴彦淖尔市',
    front: 'aid',
    breachType: 'aid',
    interviewees: [{ officialId: 'WY-HEAD', name: '孙强', title: '五原县教育局局长' }],
    interviewer: { name: '冯刚', title: '市教育局局长' },
    subject: '五原县学生资助工作整改不力',
    issues: [{ kind: 'unpaid_subsidy', name: '资助资金逾期未发放', count: 3, amountFen: 92500 }],
    recurrence: false,
    urgent: false,
    scheduledAt: heldAt.toISOString(),
    place: '巴彦淖尔市教育局会议室',
    noticedAt: '2020-11-02T02:00:00.000Z',
    followUpReminderWorkingDays: reminderDays,
  });
  i.hold(heldAt, ['五原县教育局分管副局长'], new Date('2020-11-05T04:00:00Z'));
  return i;
}

function refusal(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('Interview: the follow-up reminder', () => {
  it('is set the policy’s working days before the report is due, counting the calendar', () => {
    const i = held();
    i.recordMinutes(minutes, '2020-11-20', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(i.state).toMatchObject({ status: 'minutes_recorded', followUpRemindOn: '2020-11-17' });
    // Three working days before Tue 24 Nov 2020 is Thu 19 Nov, over the weekend.
    const j = held();
    j.recordMinutes(minutes, '2020-11-24', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(j.state.followUpRemindOn).toBe('2020-11-19');
  });

  it('is not set when the report is due too soon, or the policy asks for none', () => {
    const soon = held();
    soon.recordMinutes(minutes, '2020-11-10', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    // Three working days before Tue 10 Nov is Thu 5 Nov, before the minutes: the notice has the date.
    expect(soon.state.followUpRemindOn).toBeNull();
    const none = held(0);
    none.recordMinutes(minutes, '2020-11-30', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(none.state.followUpRemindOn).toBeNull();
  });

  it('falls due once on its day, and never once the follow-up itself is due', () => {
    const i = held();
    i.recordMinutes(minutes, '2020-11-20', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(i.remindFollowUp('2020-11-16', new Date())).toBe(false);
    expect(i.remindFollowUp('2020-11-17', new Date('2020-11-17T00:00:00Z'))).toBe(true);
    expect(i.state.followUpRemindedAt).toBe('2020-11-17T00:00:00.000Z');
    expect(i.remindFollowUp('2020-11-18', new Date())).toBe(false);

    const late = held();
    late.recordMinutes(minutes, '2020-11-20', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(late.remindFollowUp('2020-11-20', new Date())).toBe(false);
    expect(late.markFollowUpDue('2020-11-20', new Date())).toBe(true);
    expect(late.remindFollowUp('2020-11-18', new Date())).toBe(false);
  });
});

describe('Interview: no student in its records', () => {
  it('refuses a resident ID number in the minutes or the attendees, naming the field and not the number', () => {
    const i = held();
    const at = new Date('2020-11-06T02:00:00Z');
    const e = refusal(() =>
      i.recordMinutes(
        { ...minutes, commitments: ['劝返15082120120315456X'] },
        '2020-11-20',
        'a',
        at,
        calendar,
      ),
    );
    expect(e.message).toContain('commitments[0]');
    expect(e.message).not.toContain('15082120120315456X');
    expect(i.state.status).toBe('held');
    const noticed = Interview.restore({ ...held().state, status: 'noticed', heldAt: null });
    expect(refusal(() => noticed.hold(heldAt, ['150821201203154562'], at)).message).toContain('attendees[0]');
  });

  it('fills its notices with places, the interview, counts and dates: never the minutes’ own words', () => {
    const i = held();
    i.recordMinutes(minutes, '2020-11-20', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    expect(interviewNoticeParams(i.state)).toEqual({
      cityName: '巴彦淖尔市',
      countyName: '五原县',
      frontName: '学生资助',
      interviewNo: '约谈〔2020〕7号',
      interviewDate: '2020年11月5日',
      commitmentCount: 2,
      followUpDueOn: '2020年11月20日',
    });
    expect(interviewNoticeParams(i.state, { workingDaysLeft: 3 })).toMatchObject({ workingDaysLeft: 3 });
    expect(() => interviewNoticeParams(held().state)).toThrow(/follow the minutes/);
  });
});

describe('accountabilityHistory', () => {
  it('recounts the interview, its minutes, the reminder and the follow-up falling due, in order', () => {
    const i = held();
    i.recordMinutes(minutes, '2020-11-20', 'admin', new Date('2020-11-06T02:00:00Z'), calendar);
    i.remindFollowUp('2020-11-17', new Date('2020-11-17T01:00:00Z'));
    i.markFollowUpDue('2020-11-20', new Date('2020-11-20T01:00:00Z'));
    expect(accountabilityHistory([], [], [i.state]).map((h) => [h.stage, h.detail])).toEqual([
      ['约谈', '约谈孙强'],
      ['约谈纪要', '整改承诺2项，限2020-11-20前报送整改情况'],
      ['跟踪督办', '已提醒2020-11-20前报送整改落实情况'],
      ['跟踪督办', '整改情况报送期限已到'],
    ]);
  });
});
