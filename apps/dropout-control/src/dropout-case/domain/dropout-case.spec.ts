import { DomainError } from '@edu/contracts';
import { addDays, isCalendarDate } from './calendar-date.js';
import { DropoutCase, type CaseMoment, type OpenCase } from './dropout-case.js';
import { DropoutCaseErrorCode } from './dropout-case.errors.js';

const ID_NUMBER = '15082120120315456x';
const NAME = '张小明';

const deadlines = { verifyDays: 7, planDays: 14, resolveDays: 30, closeDays: 10 };

const at = (today: string): CaseMoment => ({ now: new Date(`${today}T02:00:00Z`), today, deadlines });

const input = (over: Partial<OpenCase> = {}): OpenCase => ({
  id: '00000000-0000-4000-8000-000000000001',
  studentKey: 'a'.repeat(64),
  studentIdNumber: ID_NUMBER,
  name: NAME,
  countyCode: '150821',
  schoolCode: 'S-001',
  registeredPoor: true,
  ...over,
});

const open = (over: Partial<OpenCase> = {}, today = '2020-06-01') =>
  DropoutCase.open(input(over), at(today)).dropoutCase;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}

/** A case moved to `plan` on the given days. */
function planned() {
  const c = open();
  c.verify('work', at('2020-06-03'));
  c.plan({ school: '王老师', township: '李乡长', village: '赵书记' }, at('2020-06-05'));
  return c;
}

describe('calendar dates', () => {
  it('adds calendar days across months and leap days, and checks dates exist', () => {
    expect(addDays('2020-02-27', 2)).toBe('2020-02-29');
    expect(addDays('2020-06-28', 7)).toBe('2020-07-05');
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2019-02-29')).toBe(false);
    expect(isCalendarDate('2020-6-1')).toBe(false);
  });
});

describe('DropoutCase.open', () => {
  it('starts opened with a verify deadline and emits dropout.case.opened without ID number or name', () => {
    const { dropoutCase, events } = DropoutCase.open(input({ reason: 'disability' }), at('2020-06-28'));
    expect(dropoutCase.state).toMatchObject({
      state: 'opened',
      stateEnteredOn: '2020-06-28',
      deadline: '2020-07-05',
      reason: 'disability',
      studentIdNumber: ID_NUMBER.toUpperCase(),
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toEqual({
      key: 'dropout.case.opened.v1',
      data: {
        caseId: '00000000-0000-4000-8000-000000000001',
        studentKey: 'a'.repeat(64),
        countyCode: '150821',
        schoolCode: 'S-001',
        openedAt: '2020-06-28T02:00:00.000Z',
        verifyBy: '2020-07-05',
      },
    });
    const text = JSON.stringify(events);
    expect(text).not.toContain(NAME);
    expect(text.toUpperCase()).not.toContain(ID_NUMBER.toUpperCase());
    // The reason may say disability or poverty, and poverty status is sensitive: both stay in the case file.
    expect(text).not.toContain('disability');
    expect(text).not.toContain('registeredPoor');
  });

  it('refuses an unknown reason and unusable deadline configuration', () => {
    expect(codeOf(() => open({ reason: 'lazy' }))).toBe(DropoutCaseErrorCode.InvalidReason);
    expect(() =>
      DropoutCase.open(input(), { ...at('2020-06-01'), deadlines: { ...deadlines, planDays: 0 } }),
    ).toThrow(/planDays/);
  });
});

describe('DropoutCase transitions', () => {
  it('walks opened → verified → plan → resolved → closed, each state with its own deadline', () => {
    const c = open();
    expect(c.verify('work', at('2020-06-03'))).toEqual([]);
    expect(c.state).toMatchObject({ state: 'verified', reason: 'work', deadline: '2020-06-17' });
    expect(c.plan({ school: ' 王老师 ', township: '李乡长', village: '赵书记' }, at('2020-06-05'))).toEqual(
      [],
    );
    expect(c.state).toMatchObject({
      state: 'plan',
      deadline: '2020-07-05',
      persuaders: { school: '王老师', township: '李乡长', village: '赵书记' },
    });
    const resolved = c.resolve({ resolution: 'returned', schoolCode: 'S-002' }, at('2020-06-20'));
    expect(resolved).toEqual([
      {
        key: 'dropout.case.resolved.v1',
        data: {
          caseId: c.state.id,
          studentKey: 'a'.repeat(64),
          countyCode: '150821',
          resolution: 'returned',
          resolvedAt: '2020-06-20T02:00:00.000Z',
        },
      },
    ]);
    expect(c.state).toMatchObject({
      state: 'resolved',
      resolutionSchoolCode: 'S-002',
      deadline: '2020-06-30',
    });
    expect(c.close('enrolment record 2020-123', at('2020-06-25'))).toEqual([]);
    expect(c.state).toMatchObject({
      state: 'closed',
      deadline: null,
      closeEvidence: 'enrolment record 2020-123',
    });
  });

  it('verifies with the reason recorded at opening, and requires one when none was recorded', () => {
    const withReason = open({ reason: 'illness' });
    withReason.verify(undefined, at('2020-06-02'));
    expect(withReason.state.reason).toBe('illness');
    expect(codeOf(() => open().verify(undefined, at('2020-06-02')))).toBe(
      DropoutCaseErrorCode.ReasonRequired,
    );
    expect(codeOf(() => open().verify('bored', at('2020-06-02')))).toBe(DropoutCaseErrorCode.InvalidReason);
  });

  it('needs all three persuaders for a plan, naming the missing ones', () => {
    const c = open({ reason: 'work' });
    c.verify(undefined, at('2020-06-02'));
    expect(() => c.plan({ school: '王老师', village: '  ' }, at('2020-06-03'))).toThrow(/township, village/);
    expect(c.state.state).toBe('verified');
  });

  it('resolves as placed or home teaching, and as exempt only with an exempt reason', () => {
    const placed = planned();
    expect(codeOf(() => placed.resolve({ resolution: 'placed' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.SchoolRequired,
    );
    placed.resolve({ resolution: 'placed', schoolCode: 'SPECIAL-1' }, at('2020-06-10'));
    expect(placed.state).toMatchObject({ resolution: 'placed', resolutionSchoolCode: 'SPECIAL-1' });

    const home = planned();
    home.resolve({ resolution: 'home_teaching' }, at('2020-06-10'));
    expect(home.state.resolution).toBe('home_teaching');

    const exempt = planned();
    expect(codeOf(() => exempt.resolve({ resolution: 'exempt' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.ExemptReasonRequired,
    );
    expect(
      codeOf(() => exempt.resolve({ resolution: 'exempt', exemptReason: 'emigrated' }, at('2020-06-10'))),
    ).toBe(DropoutCaseErrorCode.ExemptReasonRequired);
    expect(
      codeOf(() =>
        exempt.resolve(
          { resolution: 'returned', schoolCode: 'S', exemptReason: 'deceased' },
          at('2020-06-10'),
        ),
      ),
    ).toBe(DropoutCaseErrorCode.ExemptReasonNotAllowed);
    const events = exempt.resolve({ resolution: 'exempt', exemptReason: 'moved_out' }, at('2020-06-10'));
    expect(events.map((e) => e.key)).toEqual(['dropout.case.resolved.v1']);
    expect(exempt.state).toMatchObject({ resolution: 'exempt', exemptReason: 'moved_out' });
    expect(codeOf(() => planned().resolve({ resolution: 'vanished' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.InvalidResolution,
    );
  });

  it('closes only against evidence', () => {
    const c = planned();
    c.resolve({ resolution: 'home_teaching' }, at('2020-06-10'));
    expect(codeOf(() => c.close(' ', at('2020-06-11')))).toBe(DropoutCaseErrorCode.EvidenceRequired);
    expect(c.state.state).toBe('resolved');
  });

  it.each([
    [
      'plan an opened case',
      (c: DropoutCase) => c.plan({ school: 'a', township: 'b', village: 'c' }, at('2020-06-02')),
    ],
    [
      'resolve an opened case',
      (c: DropoutCase) => c.resolve({ resolution: 'home_teaching' }, at('2020-06-02')),
    ],
    ['close an opened case', (c: DropoutCase) => c.close('x', at('2020-06-02'))],
  ])('refuses to %s', (_, move) => {
    const c = open({ reason: 'work' });
    expect(codeOf(() => move(c))).toBe(DropoutCaseErrorCode.IllegalTransition);
    expect(c.state.state).toBe('opened');
  });

  it('refuses to go back or repeat a step, and to do anything with a closed case', () => {
    const c = planned();
    expect(() => c.verify('work', at('2020-06-06'))).toThrow(/cannot verify a case that is plan/);
    expect(codeOf(() => c.plan({ school: 'a', township: 'b', village: 'c' }, at('2020-06-06')))).toBe(
      DropoutCaseErrorCode.IllegalTransition,
    );
    c.resolve({ resolution: 'home_teaching' }, at('2020-06-07'));
    expect(codeOf(() => c.resolve({ resolution: 'home_teaching' }, at('2020-06-08')))).toBe(
      DropoutCaseErrorCode.IllegalTransition,
    );
    c.close('visit log', at('2020-06-08'));
    expect(codeOf(() => c.close('again', at('2020-06-09')))).toBe(DropoutCaseErrorCode.IllegalTransition);
    expect(codeOf(() => c.verify('work', at('2020-06-09')))).toBe(DropoutCaseErrorCode.IllegalTransition);
  });

  it('leaves a case unchanged when the deadline configuration is unusable', () => {
    const c = open({ reason: 'work' });
    expect(() =>
      c.verify(undefined, { ...at('2020-06-02'), deadlines: { ...deadlines, planDays: -1 } }),
    ).toThrow(/planDays/);
    expect(c.state).toMatchObject({ state: 'opened', verifiedAt: null });
  });
});

describe('DropoutCase.markOverdue', () => {
  it('is silent up to the deadline day and reports the day after, once per state', () => {
    const c = open({ reason: 'work' }, '2020-06-01'); // verify by 2020-06-08
    expect(c.markOverdue('2020-06-08')).toEqual([]);
    expect(c.markOverdue('2020-06-09')).toEqual([
      {
        key: 'dropout.case.overdue.v1',
        data: {
          caseId: c.state.id,
          studentKey: 'a'.repeat(64),
          countyCode: '150821',
          state: 'opened',
          deadline: '2020-06-08',
        },
      },
    ]);
    expect(c.markOverdue('2020-06-10')).toEqual([]);
    expect(c.state.overdueStates).toEqual(['opened']);

    // Verified late: the new state has its own deadline and its own breach.
    c.verify(undefined, at('2020-06-10')); // plan by 2020-06-24
    expect(c.markOverdue('2020-06-24')).toEqual([]);
    const late = c.markOverdue('2020-06-25');
    expect(late.map((e) => [e.key, (e.data as { state: string }).state])).toEqual([
      ['dropout.case.overdue.v1', 'verified'],
    ]);
    expect(c.markOverdue('2020-07-30')).toEqual([]);
    expect(c.state.overdueStates).toEqual(['opened', 'verified']);
  });

  it('reports a resolved case not closed in time, and never a closed one', () => {
    const c = planned();
    c.resolve({ resolution: 'home_teaching' }, at('2020-06-10')); // close by 2020-06-20
    expect(c.markOverdue('2020-06-21').map((e) => e.key)).toEqual(['dropout.case.overdue.v1']);
    c.close('visit log', at('2020-06-22'));
    expect(c.markOverdue('2030-01-01')).toEqual([]);
  });

  it('survives a round trip through its stored state', () => {
    const c = open({ reason: 'work' });
    c.markOverdue('2020-06-30');
    const restored = DropoutCase.restore(c.state);
    expect(restored.markOverdue('2020-07-01')).toEqual([]);
    expect(restored.state).toEqual(c.state);
  });
});
