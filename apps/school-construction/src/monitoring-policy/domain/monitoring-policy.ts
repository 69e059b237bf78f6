import { DomainError } from '@edu/contracts';

export enum MonitoringPolicyErrorCode {
  Invalid = 'MONITORING_POLICY_INVALID',
  Missing = 'MONITORING_POLICY_MISSING',
  Exists = 'MONITORING_POLICY_EXISTS',
}

/**
 * How construction progress is watched, from a date on: a project still under way with no
 * progress report for more than `stalledAfterDays` is stalled; spend beyond the budget by more
 * than `overrunTolerancePercent` is an overrun. Rows with effective dates, edited by the
 * operations team; the row in force on a day is the latest that took effect by then.
 */
export interface MonitoringPolicy {
  effectiveFrom: string;
  stalledAfterDays: number;
  overrunTolerancePercent: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function checkMonitoringPolicy(p: MonitoringPolicy): MonitoringPolicy {
  const bad = (why: string) => new DomainError(MonitoringPolicyErrorCode.Invalid, why);
  if (!DATE.test(p.effectiveFrom) || Number.isNaN(Date.parse(p.effectiveFrom)))
    throw bad('effectiveFrom must be a date YYYY-MM-DD');
  if (!Number.isInteger(p.stalledAfterDays) || p.stalledAfterDays < 1 || p.stalledAfterDays > 366)
    throw bad('stalledAfterDays must be a whole number from 1 to 366');
  if (
    !Number.isInteger(p.overrunTolerancePercent) ||
    p.overrunTolerancePercent < 0 ||
    p.overrunTolerancePercent > 100
  )
    throw bad('overrunTolerancePercent must be a whole number from 0 to 100');
  return p;
}

/** The policy in force on `day`: the latest to take effect on or before it. */
export function policyInForce(rows: readonly MonitoringPolicy[], day: string): MonitoringPolicy {
  let found: MonitoringPolicy | undefined;
  for (const r of rows) {
    if (r.effectiveFrom <= day && (!found || r.effectiveFrom > found.effectiveFrom)) found = r;
  }
  if (!found)
    throw new DomainError(MonitoringPolicyErrorCode.Missing, `no monitoring policy in force on ${day}`);
  return found;
}
