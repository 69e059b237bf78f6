import { DomainError } from '@edu/contracts';
import { addDays, isCalendarDate } from './calendar-date.js';
import { DropoutCase, type Actor, type CaseMoment, type OpenCase } from './dropout-case.js';
import { DropoutCaseErrorCode } from './dropout-case.errors.js';

const ID_NUMBER = '15082120120315456x';
const NAME = '张小明';

const deadlines = { verifyDays: 7, planDays: 14, resolveDays: 30, closeDays: 10 };

const MAKER: Actor = { sub: 'op-1', role: 'county_operator' };
const CHECKER: Actor = { sub: 'op-2', role: 'county_operator' };

const at = (today: string, by: Actor = MAKER): CaseMoment => ({
  now: new Date(`${today}T02:00:00Z`),
  today,
  deadlines,
  by,
});

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

const ATTEMPT = {
  attemptedOn: '2020-06-06',
  persuaders: [
    { name: '王老师', role: 'school' },
    { name: '赵书记', role: 'village' },
  ],
  method: 'home_visit',
  outcome: 'agreed_to_return',
};

/** A case moved to `plan` on the given days. */
function planned(over: Partial<OpenCase> = {}) {
  const c = open(over);
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
    c.logAttempt(ATTEMPT, at('2020-06-06'));
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
    expect(c.close('enrolment record 2020-123', at('2020-06-25', CHECKER))).toEqual([]);
    expect(c.state).toMatchObject({
      state: 'closed',
      deadline: null,
      closeEvidence: 'enrolment record 2020-123',
      openedBy: 'op-1',
      resolvedBy: 'op-1',
      closedBy: 'op-2',
    });
    expect(c.pullHistory().map((h) => [h.action, h.from, h.to, h.by])).toEqual([
      ['open', null, 'opened', 'op-1'],
      ['verify', 'opened', 'verified', 'op-1'],
      ['plan', 'verified', 'plan', 'op-1'],
      ['resolve', 'plan', 'resolved', 'op-1'],
      ['close', 'resolved', 'closed', 'op-2'],
    ]);
    expect(c.pullHistory()).toEqual([]);
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

  it('resolves by the placement the disability level calls for, and as exempt only with reason and document', () => {
    const placed = planned({ disabilityLevel: 'moderate' });
    expect(codeOf(() => placed.resolve({ resolution: 'placed' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.SchoolRequired,
    );
    expect(codeOf(() => placed.resolve({ resolution: 'returned', schoolCode: 'S' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.PlacementMismatch,
    );
    placed.resolve({ resolution: 'placed', schoolCode: 'SPECIAL-1' }, at('2020-06-10'));
    expect(placed.state).toMatchObject({ resolution: 'placed', resolutionSchoolCode: 'SPECIAL-1' });

    const home = planned({ disabilityLevel: 'severe' });
    expect(codeOf(() => home.resolve({ resolution: 'home_teaching' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.HomeTeachingPlanRequired,
    );
    home.attachHomeTeachingPlan('00000000-0000-4000-8000-0000000000aa', at('2020-06-10'));
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
      codeOf(() => exempt.resolve({ resolution: 'exempt', exemptReason: 'moved_out' }, at('2020-06-10'))),
    ).toBe(DropoutCaseErrorCode.ExemptDocumentRequired);
    expect(
      codeOf(() =>
        exempt.resolve(
          { resolution: 'returned', schoolCode: 'S', exemptReason: 'deceased' },
          at('2020-06-10'),
        ),
      ),
    ).toBe(DropoutCaseErrorCode.ExemptReasonNotAllowed);
    const events = exempt.resolve(
      { resolution: 'exempt', exemptReason: 'moved_out', exemptDocument: '迁出证明 2020-17' },
      at('2020-06-10'),
    );
    expect(events.map((e) => e.key)).toEqual(['dropout.case.resolved.v1']);
    expect(exempt.state).toMatchObject({
      resolution: 'exempt',
      exemptReason: 'moved_out',
      exemptDocument: '迁出证明 2020-17',
    });
    expect(codeOf(() => planned().resolve({ resolution: 'vanished' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.InvalidResolution,
    );
  });

  it('resolves as returned only with the receiving school and after a persuasion attempt', () => {
    const c = planned();
    expect(codeOf(() => c.resolve({ resolution: 'returned' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.SchoolRequired,
    );
    expect(codeOf(() => c.resolve({ resolution: 'returned', schoolCode: 'S-9' }, at('2020-06-10')))).toBe(
      DropoutCaseErrorCode.AttemptRequired,
    );
    expect(c.state.state).toBe('plan');
    c.logAttempt(ATTEMPT, at('2020-06-07'));
    c.resolve({ resolution: 'returned', schoolCode: 'S-9' }, at('2020-06-10'));
    expect(c.state).toMatchObject({ state: 'resolved', attemptsInCycle: 1 });
  });

  it('checks a persuasion attempt and logs it only on an open case', () => {
    const c = open();
    expect(codeOf(() => c.logAttempt({ ...ATTEMPT, attemptedOn: '2020-06-09' }, at('2020-06-08')))).toBe(
      DropoutCaseErrorCode.InvalidAttempt,
    );
    expect(() => c.logAttempt({ ...ATTEMPT, attemptedOn: '2020-05-20' }, at('2020-06-08'))).toThrow(
      /before the case was opened/,
    );
    expect(() => c.logAttempt({ ...ATTEMPT, persuaders: [] }, at('2020-06-08'))).toThrow(/persuader/);
    expect(() =>
      c.logAttempt({ ...ATTEMPT, persuaders: [{ name: 'x', role: 'mayor' }] }, at('2020-06-08')),
    ).toThrow(/role/);
    expect(() => c.logAttempt({ ...ATTEMPT, outcome: 'maybe' }, at('2020-06-08'))).toThrow(/outcome/);
    expect(c.state.attemptsInCycle).toBe(0);
    expect(c.logAttempt({ ...ATTEMPT, note: '  ' }, at('2020-06-08'))).toEqual({ ...ATTEMPT, note: null });
    expect(c.state.attemptsInCycle).toBe(1);

    const done = planned();
    done.logAttempt(ATTEMPT, at('2020-06-06'));
    done.resolve({ resolution: 'returned', schoolCode: 'S' }, at('2020-06-07'));
    expect(codeOf(() => done.logAttempt(ATTEMPT, at('2020-06-08')))).toBe(
      DropoutCaseErrorCode.IllegalTransition,
    );
  });

  it('is closed by a second person only', () => {
    const c = planned();
    c.logAttempt(ATTEMPT, at('2020-06-06'));
    c.resolve({ resolution: 'returned', schoolCode: 'S' }, at('2020-06-07'));
    expect(codeOf(() => c.close('学籍号 1', at('2020-06-08')))).toBe(
      DropoutCaseErrorCode.SecondPersonRequired,
    );
    expect(c.state.state).toBe('resolved');
    c.close('学籍号 1', at('2020-06-08', CHECKER));
    expect(c.state).toMatchObject({ state: 'closed', closedBy: 'op-2' });
  });

  it('places by disability level and accepts a home-teaching plan only for a severe case, once', () => {
    expect(open().expectedPlacement).toBe('regular_class');
    expect(open({ disabilityLevel: 'mild' }).expectedPlacement).toBe('regular_class');
    expect(open({ disabilityLevel: 'moderate' }).expectedPlacement).toBe('special_school');
    const c = open({ disabilityLevel: 'moderate' });
    expect(codeOf(() => c.attachHomeTeachingPlan('p', at('2020-06-02')))).toBe(
      DropoutCaseErrorCode.HomeTeachingNotExpected,
    );
    c.assessDisability('severe', at('2020-06-02'));
    expect(c.expectedPlacement).toBe('home_teaching');
    c.attachHomeTeachingPlan('p', at('2020-06-02'));
    expect(codeOf(() => c.attachHomeTeachingPlan('q', at('2020-06-02')))).toBe(
      DropoutCaseErrorCode.HomeTeachingPlanExists,
    );
    expect(codeOf(() => c.assessDisability('extreme', at('2020-06-02')))).toBe(
      DropoutCaseErrorCode.InvalidDisabilityLevel,
    );
    expect(c.pullHistory().map((h) => [h.action, h.detail])).toEqual([
      ['open', null],
      ['assess', { from: 'moderate', to: 'severe' }],
      ['home_teaching_plan', { planId: 'p' }],
    ]);
    expect(codeOf(() => open({ disabilityLevel: 'extreme' }))).toBe(
      DropoutCaseErrorCode.InvalidDisabilityLevel,
    );
  });

  it('closes only against evidence', () => {
    const c = planned();
    c.resolve({ resolution: 'exempt', exemptReason: 'deceased', exemptDocument: 'D-1' }, at('2020-06-10'));
    expect(codeOf(() => c.close(' ', at('2020-06-11', CHECKER)))).toBe(DropoutCaseErrorCode.EvidenceRequired);
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
    ['close an opened case', (c: DropoutCase) => c.close('x', at('2020-06-02', CHECKER))],
    ['reopen an opened case', (c: DropoutCase) => c.reopen('dropped', at('2020-06-02'))],
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
    c.resolve({ resolution: 'exempt', exemptReason: 'deceased', exemptDocument: 'D-1' }, at('2020-06-07'));
    expect(codeOf(() => c.resolve({ resolution: 'returned' }, at('2020-06-08')))).toBe(
      DropoutCaseErrorCode.IllegalTransition,
    );
    c.close('visit log', at('2020-06-08', CHECKER));
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
    c.resolve({ resolution: 'exempt', exemptReason: 'deceased', exemptDocument: 'D-1' }, at('2020-06-10')); // close by 2020-06-20
    expect(c.markOverdue('2020-06-21').map((e) => e.key)).toEqual(['dropout.case.overdue.v1']);
    c.close('visit log', at('2020-06-22', CHECKER));
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

describe('DropoutCase.reopen (re-entry)', () => {
  function returned() {
    const c = planned();
    c.logAttempt(ATTEMPT, at('2020-06-06'));
    c.resolve({ resolution: 'returned', schoolCode: 'S-2' }, at('2020-06-10'));
    return c;
  }

  it('reopens a child back in school seen dropped again: fresh deadline, new cycle, the same case', () => {
    const c = returned();
    c.close('学籍号 7', at('2020-06-12', CHECKER));
    c.markOverdue('2030-01-01');
    c.pullHistory();
    const events = c.reopen('dropped', at('2020-09-10', { sub: 'importer', role: 'city_admin' }), 'run-1');
    expect(events).toEqual([
      {
        key: 'dropout.case.reopened.v1',
        data: {
          caseId: c.state.id,
          studentKey: 'a'.repeat(64),
          countyCode: '150821',
          schoolCode: 'S-001',
          previousResolution: 'returned',
          reopenedAt: '2020-09-10T02:00:00.000Z',
          verifyBy: '2020-09-17',
        },
      },
    ]);
    expect(c.state).toMatchObject({
      state: 'opened',
      finding: 'dropped',
      reopenCount: 1,
      attemptsInCycle: 0,
      resolution: null,
      resolvedBy: null,
      closedBy: null,
      closeEvidence: null,
      overdueStates: [],
      reason: 'work',
    });
    expect(c.pullHistory()).toEqual([
      {
        action: 'reopen',
        from: 'closed',
        to: 'opened',
        by: 'importer',
        role: 'city_admin',
        at: '2020-09-10T02:00:00.000Z',
        detail: { finding: 'dropped', previousResolution: 'returned', crosscheckId: 'run-1' },
      },
    ]);
    // Overdue again in the new cycle, once.
    expect(c.markOverdue('2020-09-18').map((e) => e.key)).toEqual(['dropout.case.overdue.v1']);
    expect(c.markOverdue('2020-09-19')).toEqual([]);
    // A new cycle needs a new attempt before it can be resolved as returned.
    c.verify(undefined, at('2020-09-11'));
    c.plan({ school: 'a', township: 'b', village: 'c' }, at('2020-09-11'));
    expect(codeOf(() => c.resolve({ resolution: 'returned', schoolCode: 'S' }, at('2020-09-12')))).toBe(
      DropoutCaseErrorCode.AttemptRequired,
    );
  });

  it('reopens a resolved (not yet closed) case too, but never an exempt or home-taught one', () => {
    expect(
      returned()
        .reopen('suspended', at('2020-06-11'))
        .map((e) => e.key),
    ).toEqual(['dropout.case.reopened.v1']);
    const exempt = planned();
    exempt.resolve(
      { resolution: 'exempt', exemptReason: 'moved_out', exemptDocument: 'M-1' },
      at('2020-06-10'),
    );
    expect(codeOf(() => exempt.reopen('dropped', at('2020-06-11')))).toBe(
      DropoutCaseErrorCode.IllegalTransition,
    );
    expect(exempt.state.state).toBe('resolved');
    expect(codeOf(() => returned().reopen('bored', at('2020-06-11')))).toBe(
      DropoutCaseErrorCode.InvalidFinding,
    );
  });
});
