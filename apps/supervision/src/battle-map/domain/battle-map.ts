import { LEVELS, levelRank, type Level } from '../../escalation/domain/escalation-policy.js';
import type { SupervisedFront } from '../../directory/domain/front.js';

export const MAP_STATUSES = ['red', 'amber', 'green'] as const;
export type MapStatus = (typeof MAP_STATUSES)[number];

/** One county and front, as of a moment. */
export interface Cell {
  countyCode: string;
  front: SupervisedFront;
  openBreaches: number;
  overdueItems: number;
  /** Highest rung reached by an open escalation; null when none is open. */
  level: Level | null;
  amountUnpaidFen: number;
}

/** A rule sets a status when every condition it names holds; the first rule that matches wins. */
export interface MapRule {
  status: MapStatus;
  when: {
    minLevel?: Level;
    minOpenBreaches?: number;
    minOverdueItems?: number;
    /** Yuan. */
    minAmountUnpaid?: number;
  };
  /** Shown beside the status: why it is that colour. */
  description: string;
}

/** Seed rules (edited as new versions through the API). */
export const DEFAULT_MAP_RULES: MapRule[] = [
  { status: 'red', when: { minLevel: 'accountability' }, description: '已向党委提出追责问责建议' },
  { status: 'red', when: { minOverdueItems: 10 }, description: '逾期未整改事项10项及以上' },
  { status: 'red', when: { minAmountUnpaid: 100000 }, description: '未发放资助资金10万元及以上' },
  { status: 'amber', when: { minOpenBreaches: 1 }, description: '存在未销号问题' },
  { status: 'green', when: {}, description: '无未销号问题' },
];

export function matches(cell: Cell, rule: MapRule): boolean {
  const w = rule.when;
  if (w.minLevel !== undefined && levelRank(cell.level) < levelRank(w.minLevel)) return false;
  if (w.minOpenBreaches !== undefined && cell.openBreaches < w.minOpenBreaches) return false;
  if (w.minOverdueItems !== undefined && cell.overdueItems < w.minOverdueItems) return false;
  if (w.minAmountUnpaid !== undefined && cell.amountUnpaidFen < Math.round(w.minAmountUnpaid * 100))
    return false;
  return true;
}

/** The cell's colour and the rule that set it (green with no rule when none matches). */
export function rate(
  cell: Cell,
  rules: MapRule[],
): { status: MapStatus; rule: { index: number; description: string } | null } {
  const index = rules.findIndex((r) => matches(cell, r));
  if (index < 0) return { status: 'green', rule: null };
  return { status: rules[index].status, rule: { index, description: rules[index].description } };
}

/** The worst colour among a county's fronts. */
export function worst(statuses: MapStatus[]): MapStatus {
  if (statuses.includes('red')) return 'red';
  if (statuses.includes('amber')) return 'amber';
  return 'green';
}

export function ruleProblems(rules: unknown): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  if (!Array.isArray(rules) || rules.length === 0)
    return [{ field: 'rules', reason: 'at least one rule is required' }];
  (rules as Partial<MapRule>[]).forEach((r, i) => {
    const at = `rules[${i}]`;
    if (!r.status || !MAP_STATUSES.includes(r.status))
      problems.push({ field: `${at}.status`, reason: 'must be red, amber or green' });
    if (!r.description?.trim()) problems.push({ field: `${at}.description`, reason: 'is required' });
    const w = r.when;
    if (typeof w !== 'object' || w === null) {
      problems.push({ field: `${at}.when`, reason: 'is required ({} matches everything)' });
      return;
    }
    if (w.minLevel !== undefined && !LEVELS.includes(w.minLevel))
      problems.push({ field: `${at}.when.minLevel`, reason: `must be one of ${LEVELS.join(', ')}` });
    for (const k of ['minOpenBreaches', 'minOverdueItems', 'minAmountUnpaid'] as const) {
      const v = w[k];
      if (v !== undefined && (typeof v !== 'number' || !(v >= 0)))
        problems.push({ field: `${at}.when.${k}`, reason: 'must be a number from 0' });
    }
  });
  return problems;
}

const LOCAL_OFFSET_MS = 8 * 3_600_000;
const WEEK_MS = 7 * 86_400_000;

/** Monday (local date) of the week containing `at`. */
export function weekStart(at: Date): string {
  const local = new Date(at.getTime() + LOCAL_OFFSET_MS);
  const back = (local.getUTCDay() + 6) % 7;
  return new Date(local.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The weeks (Monday-to-Sunday, local) from the one containing `from` to the one containing
 * `to`, each with the moment it is measured at: its end, or `to` for the week in progress.
 */
export function weeks(from: Date, to: Date): { week: string; at: Date }[] {
  const out: { week: string; at: Date }[] = [];
  for (let start = weekStart(from); ;) {
    const begins = new Date(Date.parse(`${start}T00:00:00Z`) - LOCAL_OFFSET_MS);
    if (begins > to) break;
    const ends = new Date(begins.getTime() + WEEK_MS);
    out.push({ week: start, at: ends < to ? ends : to });
    start = new Date(Date.parse(`${start}T00:00:00Z`) + WEEK_MS).toISOString().slice(0, 10);
  }
  return out;
}
