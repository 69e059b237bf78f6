import { DomainError } from '@edu/contracts';
import { isCalendarDate } from '../../dropout-case/domain/calendar-date.js';
import type { CaseState, Finding, Resolution } from '../../dropout-case/domain/dropout-case.js';
import { POVERTY_STATUSES } from '../../registry/domain/registry-rows.js';

/** Who the cross-check counts, effective from a date (policy is data). */
export interface CrosscheckPolicy {
  effectiveFrom: string;
  /** Compulsory education: ages schoolAgeFrom..schoolAgeTo at 1 September. */
  schoolAgeFrom: number;
  schoolAgeTo: number;
  /** Relocation-site demand counts preschool from this age. */
  preschoolFromAge: number;
  /** Junior secondary from this age (primary before it). */
  juniorFromAge: number;
  /** Poverty statuses whose children are watched. */
  poorStatuses: string[];
}

export enum CrosscheckErrorCode {
  InvalidPolicy = 'CROSSCHECK_INVALID_POLICY',
  InvalidSchoolYear = 'CROSSCHECK_INVALID_SCHOOL_YEAR',
  NotFound = 'CROSSCHECK_NOT_FOUND',
  NoPolicy = 'CROSSCHECK_NO_POLICY',
}

export const crosscheckError = {
  invalidPolicy: (why: string) => new DomainError(CrosscheckErrorCode.InvalidPolicy, why),
  invalidSchoolYear: () =>
    new DomainError(CrosscheckErrorCode.InvalidSchoolYear, 'schoolYear must be a year from 2000 to 2100'),
  notFound: () => new DomainError(CrosscheckErrorCode.NotFound, 'no such cross-check run', 'not_found'),
  noPolicy: (cutoff: string) =>
    new DomainError(
      CrosscheckErrorCode.NoPolicy,
      `no cross-check policy is in effect on ${cutoff}`,
      'conflict',
    ),
};

/** A policy as entered: every age band in order, statuses known. */
export function checkPolicy(p: CrosscheckPolicy): CrosscheckPolicy {
  if (!isCalendarDate(p.effectiveFrom)) throw crosscheckError.invalidPolicy('effectiveFrom must be a date');
  const ages = [p.preschoolFromAge, p.schoolAgeFrom, p.juniorFromAge, p.schoolAgeTo];
  if (!ages.every((a) => Number.isInteger(a) && a >= 0 && a <= 25))
    throw crosscheckError.invalidPolicy('ages must be whole numbers from 0 to 25');
  if (!(
    p.preschoolFromAge < p.schoolAgeFrom &&
    p.schoolAgeFrom < p.juniorFromAge &&
    p.juniorFromAge <= p.schoolAgeTo
  ))
    throw crosscheckError.invalidPolicy(
      'ages must rise: preschoolFromAge < schoolAgeFrom < juniorFromAge <= schoolAgeTo',
    );
  const unknown = p.poorStatuses.filter((s) => !(POVERTY_STATUSES as readonly string[]).includes(s));
  if (p.poorStatuses.length === 0 || unknown.length > 0)
    throw crosscheckError.invalidPolicy(`poorStatuses must be some of ${POVERTY_STATUSES.join(', ')}`);
  return { ...p, poorStatuses: [...new Set(p.poorStatuses)] };
}

/** The school year in progress on `today`, by its starting year (from 1 September). */
export function schoolYearOn(today: string): number {
  const year = Number(today.slice(0, 4));
  return today.slice(5) >= '09-01' ? year : year - 1;
}

/** 1 September of the school year: the day ages are counted on. */
export function cutoffOf(schoolYear: number): string {
  if (!Number.isInteger(schoolYear) || schoolYear < 2000 || schoolYear > 2100)
    throw crosscheckError.invalidSchoolYear();
  return `${schoolYear}-09-01`;
}

/** Whole years of age on `on` (someone born on 29 February turns a year older on 1 March). */
export function ageAt(birthDate: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return on.slice(5) >= birthDate.slice(5) ? years : years - 1;
}

/** `date` minus whole years, as a calendar date (29 February becomes 28 February). */
export function yearsBefore(date: string, years: number): string {
  const y = String(Number(date.slice(0, 4)) - years).padStart(4, '0');
  const md = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${y}-${md}`;
}

/**
 * The birth dates of an age band on the cutoff, as SQL can filter them:
 * aged `from`..`to` ⇔ bornAfter < birth date ≤ bornOnOrBefore.
 */
export function bornBetween(cutoff: string, from: number, to: number) {
  return { bornAfter: yearsBefore(cutoff, to + 1), bornOnOrBefore: yearsBefore(cutoff, from) };
}

/** What a run does with a school-age child (the SQL of the run applies the same rule to all at once). */
export type CrosscheckAction = 'open' | 'reopen' | 'tracked' | 'explained' | 'review';

export interface LatestCase {
  state: CaseState;
  resolution: Resolution | null;
}

const OPEN_STATES: readonly CaseState[] = ['opened', 'verified', 'plan'];

/**
 * - suspected, no case yet → open one;
 * - suspected, case open → already tracked;
 * - suspected, resolved/closed as back in school (returned, placed) → reopen (re-entry);
 * - suspected, resolved/closed as exempt or home teaching → explained, not a dropout;
 * - not suspected but a case is open → review: the registry says enrolled, a person resolves
 *   it (nothing is closed silently);
 * - otherwise nothing.
 */
export function crosscheckAction(
  finding: Finding | null,
  latest: LatestCase | null,
): CrosscheckAction | null {
  if (finding === null) return latest && OPEN_STATES.includes(latest.state) ? 'review' : null;
  if (latest === null) return 'open';
  if (OPEN_STATES.includes(latest.state)) return 'tracked';
  if (latest.resolution === 'returned' || latest.resolution === 'placed') return 'reopen';
  return 'explained';
}

/** A child's finding from the student registry: missing, or registered suspended or dropped. */
export function findingOf(status: string | null): Finding | null {
  if (status === null) return 'not_in_registry';
  return status === 'suspended' || status === 'dropped' ? status : null;
}

export type DemandStage = 'preschool' | 'primary' | 'junior';

/** The stage a child counts in for relocation-site demand: the registry's when enrolled there, else by age. */
export function demandStage(
  age: number,
  enrolled: { status: string; stage: string } | null,
  policy: CrosscheckPolicy,
): DemandStage | null {
  if (age < policy.preschoolFromAge || age > policy.schoolAgeTo) return null;
  if (enrolled?.status === 'enrolled' && ['preschool', 'primary', 'junior'].includes(enrolled.stage))
    return enrolled.stage as DemandStage;
  if (age < policy.schoolAgeFrom) return 'preschool';
  return age < policy.juniorFromAge ? 'primary' : 'junior';
}
