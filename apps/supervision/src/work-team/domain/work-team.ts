import { addDays, isCalendarDate } from '../../calendar/domain/working-day-calendar.js';
import type { Breach } from '../../escalation/domain/breach.js';

/*
 * Village work teams (驻村工作队) and first secretaries (第一书记), document item 三(十三):
 * at least 20 days a month and 200 days a year in the village, and a report to the bureau
 * every half year. The figures are data (versioned rules), not constants.
 */

export const MEMBER_ROLES = ['member', 'first_secretary'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export interface WorkTeamMember {
  memberId: string;
  name: string;
  countyCode: string;
  village: string;
  role: MemberRole;
  /** YYYY-MM-DD: the posting. */
  postedFrom: string;
  postedUntil: string | null;
}

export interface WorkTeamRules {
  minDaysPerMonth: number;
  minDaysPerYear: number;
  /** Days after a month ends before its attendance counts (time to report it). */
  monthGraceDays: number;
  /** Days after a half year ends before its report is late. */
  reportGraceDays: number;
}

export const DEFAULT_WORK_TEAM_RULES: WorkTeamRules = {
  minDaysPerMonth: 20,
  minDaysPerYear: 200,
  monthGraceDays: 5,
  reportGraceDays: 15,
};

/** `2020-07` → number of days in it. */
export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const monthEnd = (month: string) => `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Posted for the whole of the period [from, to]. */
function postedThroughout(m: WorkTeamMember, from: string, to: string): boolean {
  return m.postedFrom <= from && (m.postedUntil === null || m.postedUntil >= to);
}

export interface Shortfall {
  itemKey: string;
  kind: 'work_team_month_shortfall' | 'work_team_year_shortfall' | 'work_team_report_missing';
  countyCode: string;
}

/**
 * What is short, as of `today`, for one member over the periods that have closed (months
 * past their grace, whole years, half years past the report's grace), looking back from
 * `since`: a missing month counts as no days. Periods the member was not posted for
 * throughout are not judged.
 */
export function shortfalls(
  member: WorkTeamMember,
  days: ReadonlyMap<string, number>,
  reports: ReadonlySet<string>,
  rules: WorkTeamRules,
  today: string,
  since: string,
): Shortfall[] {
  const out: Shortfall[] = [];
  const add = (kind: Shortfall['kind'], period: string) =>
    out.push({
      kind,
      countyCode: member.countyCode,
      itemKey: `work_team:${member.memberId}:${period}:${kind}`,
    });
  for (
    let month = since.slice(0, 7);
    addDays(monthEnd(month), rules.monthGraceDays) < today;
    month = nextMonth(month)
  ) {
    if (!postedThroughout(member, `${month}-01`, monthEnd(month))) continue;
    const target = Math.min(rules.minDaysPerMonth, daysInMonth(month));
    if ((days.get(month) ?? 0) < target) add('work_team_month_shortfall', month);
  }
  for (
    let year = Number(since.slice(0, 4));
    `${year}-12-31` < addDays(today, -rules.monthGraceDays);
    year++
  ) {
    if (!postedThroughout(member, `${year}-01-01`, `${year}-12-31`)) continue;
    let total = 0;
    for (let m = 1; m <= 12; m++) total += days.get(`${year}-${String(m).padStart(2, '0')}`) ?? 0;
    if (total < rules.minDaysPerYear) add('work_team_year_shortfall', String(year));
  }
  for (let year = Number(since.slice(0, 4)); year <= Number(today.slice(0, 4)); year++) {
    for (const [half, from, to] of [
      ['H1', `${year}-01-01`, `${year}-06-30`],
      ['H2', `${year}-07-01`, `${year}-12-31`],
    ] as const) {
      if (to < since || addDays(to, rules.reportGraceDays) >= today) continue;
      if (!postedThroughout(member, from, to)) continue;
      if (!reports.has(`${year}-${half}`)) add('work_team_report_missing', `${year}-${half}`);
    }
  }
  return out;
}

export function shortfallBreach(s: Shortfall): Breach {
  return {
    breachType: 'work_team',
    front: 'work_team',
    countyCode: s.countyCode,
    itemKey: s.itemKey,
    kind: s.kind,
    amountFen: 0,
    overdue: true,
  };
}

export const MEMBER_COLUMNS = [
  'member_id',
  'name',
  'county_code',
  'village',
  'role',
  'posted_from',
  'posted_until',
];

/** One row of the members file, or everything wrong with it. */
export function parseMemberRow(
  line: number,
  row: Record<string, string | undefined>,
  knownCounty: (c: string) => boolean,
): { member: WorkTeamMember } | { problems: { line: number; field: string; reason: string }[] } {
  const problems: { line: number; field: string; reason: string }[] = [];
  const get = (f: string) => (row[f] ?? '').trim();
  const need = (f: string) => {
    const v = get(f);
    if (!v) problems.push({ line, field: f, reason: 'is required' });
    return v;
  };
  const memberId = need('member_id');
  const name = need('name');
  const countyCode = need('county_code');
  if (countyCode && !knownCounty(countyCode))
    problems.push({ line, field: 'county_code', reason: `${countyCode} is not a jurisdiction of this city` });
  const village = need('village');
  const role = need('role');
  if (role && !(MEMBER_ROLES as readonly string[]).includes(role))
    problems.push({ line, field: 'role', reason: `must be one of ${MEMBER_ROLES.join('|')}` });
  const postedFrom = need('posted_from');
  if (postedFrom && !isCalendarDate(postedFrom))
    problems.push({ line, field: 'posted_from', reason: 'must be a date (YYYY-MM-DD)' });
  const postedUntil = get('posted_until') || null;
  if (postedUntil && (!isCalendarDate(postedUntil) || postedUntil < postedFrom))
    problems.push({
      line,
      field: 'posted_until',
      reason: 'must be a date (YYYY-MM-DD) on or after posted_from',
    });
  if (problems.length > 0) return { problems };
  return {
    member: { memberId, name, countyCode, village, role: role as MemberRole, postedFrom, postedUntil },
  };
}
