import { DomainError } from '@edu/contracts';
import { isCalendarDate } from './calendar-date.js';
import { MILESTONE_KINDS, Project, type CreateProject } from './project.js';
import { ProjectErrorCode } from './project.errors.js';

const PLANNED = ['2020-03-01', '2020-04-01', '2020-05-01', '2020-08-01', '2020-09-01', '2020-09-15'];

const input = (over: Partial<CreateProject> = {}): CreateProject => ({
  id: '00000000-0000-4000-8000-000000000001',
  name: '小佘太学校改扩建',
  kind: 'renovation_expansion',
  countyCode: '150824',
  siteCode: 'SITE-7',
  capacitySeats: 600,
  capacityBeds: 300,
  milestones: MILESTONE_KINDS.map((kind, i) => ({
    id: `00000000-0000-4000-8000-00000000010${i}`,
    kind,
    plannedDate: PLANNED[i],
  })),
  ...over,
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  throw new Error('expected a DomainError');
}

describe('calendar dates', () => {
  it('accepts only dates that exist', () => {
    expect(isCalendarDate('2020-02-29')).toBe(true);
    expect(isCalendarDate('2021-02-29')).toBe(false);
    expect(isCalendarDate('2020-13-01')).toBe(false);
  });
});

describe('Project.create', () => {
  it('keeps the six milestones in order, whatever order they were given in', () => {
    const p = Project.create(input({ milestones: [...input().milestones].reverse() }));
    expect(p.state.milestones.map((m) => [m.kind, m.plannedDate, m.completedOn])).toEqual(
      MILESTONE_KINDS.map((k, i) => [k, PLANNED[i], null]),
    );
    expect(p.state).toMatchObject({ capacitySeats: 600, capacityBeds: 300, siteCode: 'SITE-7' });
  });

  it('refuses an unknown kind, bad capacity, missing, repeated or disordered milestones and bad dates', () => {
    const ms = input().milestones;
    expect(codeOf(() => Project.create(input({ kind: 'stadium' })))).toBe(ProjectErrorCode.InvalidKind);
    expect(codeOf(() => Project.create(input({ name: '  ' })))).toBe(ProjectErrorCode.InvalidName);
    expect(() => Project.create(input({ capacityBeds: 0 }))).toThrow(/capacityBeds/);
    expect(() => Project.create(input({ milestones: ms.slice(0, 4) }))).toThrow(/missing acceptance, in_use/);
    expect(() => Project.create(input({ milestones: [...ms, ms[0]] }))).toThrow(/approval is given twice/);
    expect(() =>
      Project.create(
        input({ milestones: ms.map((m) => (m.kind === 'tender' ? { ...m, plannedDate: '2020-02-01' } : m)) }),
      ),
    ).toThrow(/tender is planned before approval/);
    expect(
      codeOf(() =>
        Project.create(
          input({ milestones: ms.map((m, i) => (i === 2 ? { ...m, plannedDate: '2020-02-30' } : m)) }),
        ),
      ),
    ).toBe(ProjectErrorCode.InvalidDate);
    expect(
      codeOf(() =>
        Project.create(input({ milestones: ms.map((m, i) => (i === 2 ? { ...m, kind: 'ribbon' } : m)) })),
      ),
    ).toBe(ProjectErrorCode.InvalidMilestones);
  });
});

describe('Project.complete', () => {
  it('completes milestones in order and emits construction.milestone.completed', () => {
    const p = Project.create(input());
    expect(p.complete('approval', '2020-03-05', '2020-06-01')).toEqual([
      {
        key: 'construction.milestone.completed.v1',
        data: {
          projectId: p.state.id,
          milestoneId: '00000000-0000-4000-8000-000000000100',
          milestone: 'approval',
          countyCode: '150824',
          completedOn: '2020-03-05',
        },
      },
    ]);
    expect(p.complete('tender', '2020-03-05', '2020-06-01').map((e) => e.key)).toEqual([
      'construction.milestone.completed.v1',
    ]);
    expect(p.state.milestones.slice(0, 3).map((m) => m.completedOn)).toEqual([
      '2020-03-05',
      '2020-03-05',
      null,
    ]);
  });

  it('refuses a milestone whose predecessor is not completed', () => {
    const p = Project.create(input());
    expect(() => p.complete('tender', '2020-04-01', '2020-06-01')).toThrow(
      'tender cannot be completed before approval is completed',
    );
    p.complete('approval', '2020-03-05', '2020-06-01');
    expect(codeOf(() => p.complete('ground_breaking', '2020-05-01', '2020-06-01'))).toBe(
      ProjectErrorCode.OutOfOrder,
    );
    expect(
      p.state.milestones.every((m, i) => (i === 0 ? m.completedOn !== null : m.completedOn === null)),
    ).toBe(true);
  });

  it('refuses a date before the predecessor was completed, a future date and an unknown milestone', () => {
    const p = Project.create(input());
    p.complete('approval', '2020-03-05', '2020-06-01');
    expect(codeOf(() => p.complete('tender', '2020-03-04', '2020-06-01'))).toBe(
      ProjectErrorCode.BeforePredecessor,
    );
    expect(codeOf(() => p.complete('tender', '2020-06-02', '2020-06-01'))).toBe(
      ProjectErrorCode.CompletedInFuture,
    );
    expect(codeOf(() => p.complete('tender', '2020-6-2', '2020-06-01'))).toBe(ProjectErrorCode.InvalidDate);
    expect(codeOf(() => p.complete('ribbon_cutting', '2020-05-01', '2020-06-01'))).toBe(
      ProjectErrorCode.UnknownMilestone,
    );
    expect(p.state.milestones[1].completedOn).toBeNull();
  });

  it('ignores the same completion repeated and refuses a different date for a completed milestone', () => {
    const p = Project.create(input());
    p.complete('approval', '2020-03-05', '2020-06-01');
    expect(p.complete('approval', '2020-03-05', '2020-06-02')).toEqual([]);
    expect(codeOf(() => p.complete('approval', '2020-03-06', '2020-06-02'))).toBe(
      ProjectErrorCode.AlreadyCompleted,
    );
  });
});

describe('Project.markOverdue', () => {
  it('reports each missed milestone once, never on its planned date, never once completed', () => {
    const p = Project.create(input());
    expect(p.markOverdue('2020-03-01')).toEqual([]);
    expect(p.markOverdue('2020-03-02')).toEqual([
      {
        key: 'construction.milestone.overdue.v1',
        data: {
          projectId: p.state.id,
          milestoneId: '00000000-0000-4000-8000-000000000100',
          milestone: 'approval',
          countyCode: '150824',
          plannedDate: '2020-03-01',
        },
      },
    ]);
    expect(p.markOverdue('2020-03-03')).toEqual([]);
    p.complete('approval', '2020-03-20', '2020-03-20');
    p.complete('tender', '2020-04-01', '2020-04-01');
    // ground_breaking (planned 1 May) and structure_complete (1 Aug) are missed by 2 Aug.
    const missed = p.markOverdue('2020-08-02');
    expect(missed.map((e) => (e.data as { milestone: string }).milestone)).toEqual([
      'ground_breaking',
      'structure_complete',
    ]);
    expect(p.markOverdue('2020-12-31').map((e) => (e.data as { milestone: string }).milestone)).toEqual([
      'acceptance',
      'in_use',
    ]);
    expect(p.markOverdue('2021-12-31')).toEqual([]);
  });

  it('survives a round trip through its stored state', () => {
    const p = Project.create(input());
    p.markOverdue('2020-03-02');
    const restored = Project.restore(p.state);
    expect(restored.markOverdue('2020-03-03')).toEqual([]);
    expect(restored.state).toEqual(p.state);
  });
});
