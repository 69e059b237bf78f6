import type { MonitoringPolicy } from '../../monitoring-policy/domain/monitoring-policy.js';
import { daysBetween } from './calendar-date.js';
import { toFen, toYuan } from './money.js';
import { MILESTONE_KINDS, Project, type CreateProject } from './project.js';

const policy: MonitoringPolicy = {
  effectiveFrom: '2000-01-01',
  stalledAfterDays: 30,
  overrunTolerancePercent: 0,
};
const PLANNED = ['2020-07-01', '2020-08-01', '2020-09-01', '2021-06-01', '2021-08-01', '2021-09-01'];

const input = (over: Partial<CreateProject> = {}): CreateProject => ({
  id: '00000000-0000-4000-8000-000000000001',
  code: 'WLTZQ-2020-003',
  name: '乌拉特中旗易地搬迁安置点配套学校',
  kind: 'relocation_site_school',
  countyCode: '150824',
  siteCode: 'SITE-7',
  priority: true,
  funding: [
    { source: 'county', amount: '200000' },
    { source: 'central', amount: '800000.00' },
  ],
  seats: { primary: 400, junior: 200 },
  capacityBeds: 300,
  registeredOn: '2020-07-01',
  milestones: MILESTONE_KINDS.map((kind, i) => ({
    id: `00000000-0000-4000-8000-00000000010${i}`,
    kind,
    plannedDate: PLANNED[i],
  })),
  ...over,
});

const keys = (events: { key: string }[]) => events.map((e) => e.key);

describe('money and dates', () => {
  it('keeps yuan exact in fen', () => {
    expect(toFen('1250000.5')).toBe(125000050);
    expect(toFen('0.07')).toBe(7);
    expect(toFen('12.345')).toBeNull();
    expect(toFen('-1')).toBeNull();
    expect(toYuan(125000050)).toBe('1250000.50');
    expect(toYuan(-7)).toBe('-0.07');
    expect(daysBetween('2020-02-28', '2020-03-01')).toBe(2);
  });
});

describe('Project registration', () => {
  it('keeps the budget by source in a fixed order, seats by stage and their total', () => {
    const p = Project.create(input());
    expect(p.state.funding).toEqual([
      { source: 'central', amountFen: 80_000_000 },
      { source: 'county', amountFen: 20_000_000 },
    ]);
    expect(p.budgetFen).toBe(100_000_000);
    expect(p.state).toMatchObject({
      priority: true,
      seats: { preschool: 0, primary: 400, junior: 200 },
      capacitySeats: 600,
      spentFen: 0,
    });
  });

  it('refuses an unknown or repeated funding source, a bad amount and a total below the stages', () => {
    expect(() => Project.create(input({ funding: [{ source: 'lottery', amount: '1' }] }))).toThrow(
      /source must be one of/,
    );
    expect(() =>
      Project.create(
        input({
          funding: [
            { source: 'city', amount: '1' },
            { source: 'city', amount: '2' },
          ],
        }),
      ),
    ).toThrow('funding: city is given twice');
    expect(() => Project.create(input({ spentToDate: '1,000' }))).toThrow(/spentToDate must be an amount/);
    expect(() => Project.create(input({ capacitySeats: 500 }))).toThrow(
      'capacitySeats (500) cannot be fewer than the seats by stage (600)',
    );
  });

  it('holds construction to its own planned dates, not the 30 June rectification deadline', () => {
    // Planned for after 30 June 2020 and accepted; nothing is due on 1 July but approval (1 July).
    const p = Project.create(input());
    expect(p.markOverdue('2020-07-01')).toEqual([]);
    expect(keys(p.markOverdue('2020-07-02'))).toEqual(['construction.milestone.overdue.v1']);
    expect(p.markOverdue('2020-08-01')).toEqual([]);
  });
});

describe('Project progress', () => {
  it('is stalled once, after more than the policy days without a report, and a report settles it', () => {
    const p = Project.create(input());
    expect(p.checkProgress('2020-07-31', policy)).toEqual([]); // 30 days: not yet
    expect(p.checkProgress('2020-08-01', policy)).toEqual([
      {
        key: 'construction.progress.stalled.v1',
        data: {
          projectId: p.state.id,
          countyCode: '150824',
          since: '2020-07-01',
          stalledAfterDays: 30,
          detectedOn: '2020-08-01',
        },
      },
    ]);
    expect(p.checkProgress('2020-08-20', policy)).toEqual([]);

    const { report, events } = p.report(
      {
        id: '00000000-0000-4000-8000-0000000000a1',
        reportedOn: '2020-08-20',
        percentComplete: 10,
        narrative: '  招标文件已报审。 ',
        documents: [{ title: '招标公告', reference: 'WLTZQ-2020-003-ZB' }],
        reportedBy: 'op',
      },
      '2020-08-21',
      policy,
    );
    expect(report).toMatchObject({ narrative: '招标文件已报审。', percentComplete: 10, spentFen: null });
    expect(events).toEqual([
      {
        key: 'construction.progress.resumed.v1',
        data: {
          projectId: p.state.id,
          countyCode: '150824',
          stalledSince: '2020-08-01',
          resumedOn: '2020-08-21',
        },
      },
    ]);
    expect(p.state).toMatchObject({ lastReportOn: '2020-08-20', percentComplete: 10, stalledSince: null });
    // Counted from the latest report now, and the next stall says when that was.
    expect(p.checkProgress('2020-09-19', policy)).toEqual([]);
    expect(p.checkProgress('2020-09-20', policy)[0].data).toMatchObject({
      lastReportOn: '2020-08-20',
      since: '2020-08-20',
    });
  });

  it('keeps an older report as history without moving the project back, and a stale one settles nothing', () => {
    const p = Project.create(input());
    const report = (reportedOn: string, percentComplete: number, spentToDate?: string) =>
      p.report(
        {
          id: `report-${reportedOn}`,
          reportedOn,
          percentComplete,
          narrative: 'x',
          spentToDate,
          reportedBy: 'op',
        },
        '2020-09-15',
        policy,
      );
    p.checkProgress('2020-09-15', policy);
    expect(report('2020-07-20', 5).events).toEqual([]); // 57 days ago: still stalled
    expect(p.state.stalledSince).toBe('2020-09-15');
    expect(keys(report('2020-09-10', 30, '100000').events)).toEqual(['construction.progress.resumed.v1']);
    report('2020-08-10', 20, '900000');
    expect(p.state).toMatchObject({ lastReportOn: '2020-09-10', percentComplete: 30, spentFen: 10_000_000 });
  });

  it('refuses a report from the future, a percent out of range and an empty narrative or document', () => {
    const p = Project.create(input());
    const base = { id: 'r', reportedOn: '2020-07-10', percentComplete: 5, narrative: 'ok', reportedBy: 'op' };
    expect(() => p.report({ ...base, reportedOn: '2020-07-16' }, '2020-07-15', policy)).toThrow(
      /later than today/,
    );
    expect(() => p.report({ ...base, percentComplete: 101 }, '2020-07-15', policy)).toThrow(
      /percentComplete/,
    );
    expect(() => p.report({ ...base, narrative: ' ' }, '2020-07-15', policy)).toThrow(/narrative/);
    expect(() =>
      p.report({ ...base, documents: [{ title: 'a', reference: '' }] }, '2020-07-15', policy),
    ).toThrow(/title and a reference/);
    expect(p.state.lastReportOn).toBeNull();
  });

  it('stops watching progress once the school is in use, settling a stall', () => {
    const p = Project.create(input());
    p.checkProgress('2020-09-01', policy);
    for (const k of MILESTONE_KINDS.slice(0, 5)) p.complete(k, '2020-09-01', '2020-09-01');
    const done = p.complete('in_use', '2020-09-02', '2020-09-02');
    expect(keys(done)).toEqual(['construction.milestone.completed.v1', 'construction.progress.resumed.v1']);
    expect(p.isStalled('2022-01-01', policy)).toBe(false);
    expect(p.checkProgress('2022-01-01', policy)).toEqual([]);
  });
});

describe('Project budget', () => {
  it('reports spend beyond the budget once, and its end when funding catches up', () => {
    const p = Project.create(input({ spentToDate: '1000000.00' }));
    expect(p.assessBudget('2020-07-10', policy)).toEqual([]); // exactly the budget
    expect(p.revise({ spentToDate: '1000000.01' }, '2020-07-11', policy)).toEqual([
      {
        key: 'construction.budget.overrun.v1',
        data: {
          projectId: p.state.id,
          countyCode: '150824',
          budget: '1000000.00',
          spent: '1000000.01',
          overrun: '0.01',
          tolerancePercent: 0,
          detectedOn: '2020-07-11',
        },
      },
    ]);
    expect(p.assessBudget('2020-07-12', policy)).toEqual([]);
    const added = p.revise(
      {
        funding: [
          { source: 'central', amount: '800000' },
          { source: 'county', amount: '200000' },
          { source: 'special_bond', amount: '50000' },
        ],
      },
      '2020-07-20',
      policy,
    );
    expect(added).toEqual([
      {
        key: 'construction.budget.restored.v1',
        data: {
          projectId: p.state.id,
          countyCode: '150824',
          budget: '1050000.00',
          spent: '1000000.01',
          restoredOn: '2020-07-20',
        },
      },
    ]);
    expect(p.state.overrunSince).toBeNull();
  });

  it('allows the tolerance in force, and sees no overrun without a budget', () => {
    const p = Project.create(input({ spentToDate: '1040000' }));
    expect(p.isOverrun({ ...policy, overrunTolerancePercent: 5 })).toBe(false);
    expect(p.isOverrun(policy)).toBe(true);
    expect(Project.create(input({ funding: [], spentToDate: '5' })).isOverrun(policy)).toBe(false);
  });

  it('a sweep review finds missed milestones, a stall and an overrun together, each once', () => {
    const p = Project.create(input({ spentToDate: '2000000' }));
    expect(keys(p.review('2020-08-15', policy))).toEqual([
      'construction.milestone.overdue.v1',
      'construction.milestone.overdue.v1',
      'construction.progress.stalled.v1',
      'construction.budget.overrun.v1',
    ]);
    expect(p.review('2020-08-16', policy)).toEqual([]);
  });
});

describe('Project revision', () => {
  it('changes site, priority and capacity; seats of other stages stay in the total', () => {
    const p = Project.create(input({ capacitySeats: 800 })); // 200 seats of other stages
    p.revise({ seats: { primary: 500, junior: 200 }, siteCode: null, priority: false }, '2020-07-15', policy);
    expect(p.state).toMatchObject({
      siteCode: null,
      priority: false,
      seats: { preschool: 0, primary: 500, junior: 200 },
      capacitySeats: 900,
    });
    p.revise({ capacitySeats: null }, '2020-07-15', policy);
    expect(p.state.capacitySeats).toBe(700);
    expect(() => p.revise({ name: ' ' }, '2020-07-15', policy)).toThrow('name must not be empty');
    expect(p.state.name).toBe('乌拉特中旗易地搬迁安置点配套学校');
  });
});
