import { DEFAULT_WORK_TEAM_RULES, shortfalls, type WorkTeamMember } from './work-team.js';

const member: WorkTeamMember = {
  memberId: 'M1',
  name: '张伟',
  countyCode: '150821',
  village: '新公中镇联丰村',
  role: 'first_secretary',
  postedFrom: '2020-01-01',
  postedUntil: null,
};
const kinds = (today: string, days: [string, number][], reports: string[] = [], m = member) =>
  shortfalls(m, new Map(days), new Set(reports), DEFAULT_WORK_TEAM_RULES, today, '2020-01-01').map((s) =>
    s.itemKey.split(':').slice(2).join(':'),
  );

describe('work-team shortfalls', () => {
  it('judges a month only after its grace, a missing month as no days', () => {
    const full = Array.from({ length: 5 }, (_, i) => [`2020-0${i + 1}`, 22] as [string, number]);
    expect(kinds('2020-06-05', full)).toEqual([]);
    expect(kinds('2020-06-06', full.slice(0, 4))).toEqual(['2020-05:work_team_month_shortfall']);
    expect(kinds('2020-06-06', [...full.slice(0, 4), ['2020-05', 19]])).toEqual([
      '2020-05:work_team_month_shortfall',
    ]);
  });

  it('wants the half-year report within its grace, and 200 days in the year', () => {
    const year = Array.from(
      { length: 12 },
      (_, i) => [`2020-${String(i + 1).padStart(2, '0')}`, 20] as [string, number],
    );
    expect(kinds('2020-07-15', year.slice(0, 6))).toEqual([]);
    expect(kinds('2020-07-16', year.slice(0, 6))).toEqual(['2020-H1:work_team_report_missing']);
    expect(kinds('2020-07-16', year.slice(0, 6), ['2020-H1'])).toEqual([]);
    const short = year.map(([m]) => [m, 16] as [string, number]);
    expect(kinds('2021-01-06', short, ['2020-H1', '2020-H2']).filter((k) => !k.includes('month'))).toEqual([
      '2020:work_team_year_shortfall',
    ]);
    expect(kinds('2021-01-06', year, ['2020-H1', '2020-H2'])).toEqual([]);
  });

  it('does not judge a period the member was not posted for throughout', () => {
    expect(kinds('2020-06-06', [], [], { ...member, postedFrom: '2020-05-10' })).toEqual([]);
  });
});
