import { policyError } from './policy.errors.js';
import {
  explain,
  termAmountFen,
  validateAmountRule,
  validateCondition,
  type AmountRule,
  type Condition,
  type Reason,
  type StudentAttributes,
} from './rules.js';
import { SEASONS, type Season, type Term } from './term.js';

export const POLICY_STAGES = [
  'preschool',
  'compulsory',
  'senior',
  'vocational',
  'special',
  'higher',
] as const;
/** national: a 2020 national standard; example: a configurable example, not a fact; local: set here. */
export const POLICY_BASES = ['national', 'example', 'local'] as const;

/** What an operator writes; every edit of it becomes a new version. */
export interface PolicyDefinition {
  name: string;
  stage: (typeof POLICY_STAGES)[number];
  eligibility: Condition;
  amount: AmountRule;
  terms: Season[];
  /** Month-day the entitlement is due by, per term: `{ "autumn": "10-31" }`. */
  dueBy: Partial<Record<Season, string>>;
  effectiveFrom: string;
  effectiveTo: string | null;
  basis: (typeof POLICY_BASES)[number];
  note: string | null;
  /** A retired policy applies to no term from its effective date on. */
  retired: boolean;
}

export interface PolicyVersion extends PolicyDefinition {
  code: string;
  version: number;
  createdBy: string;
  createdAt: string;
}

const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;

function validDate(v: unknown, path: string): string {
  if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw policyError.invalid(path, 'must be a date YYYY-MM-DD');
  return v;
}

function validMonthDay(v: unknown, path: string): string {
  const m = typeof v === 'string' ? MONTH_DAY.exec(v) : null;
  // 2020 is a leap year, so 02-29 is allowed and becomes 02-28 in other years.
  if (!m || Number.isNaN(Date.parse(`2020-${v as string}T00:00:00Z`)) || Number(m[1]) > 12)
    throw policyError.invalid(path, 'must be a month-day MM-DD');
  return v as string;
}

export function validatePolicyCode(code: string): string {
  if (!CODE.test(code)) throw policyError.invalid('code', 'must be upper-case letters, digits and _');
  return code;
}

/** Checks a whole definition, naming the first bad field. */
export function validatePolicy(d: Record<string, unknown>): PolicyDefinition {
  if (typeof d.name !== 'string' || d.name.trim() === '' || d.name.length > 200)
    throw policyError.invalid('name', 'is required (at most 200 characters)');
  if (!POLICY_STAGES.includes(d.stage as never))
    throw policyError.invalid('stage', `must be one of ${POLICY_STAGES.join(', ')}`);
  if (!Array.isArray(d.terms) || d.terms.length === 0 || !d.terms.every((t) => SEASONS.includes(t as Season)))
    throw policyError.invalid('terms', 'must list spring and/or autumn');
  const terms = SEASONS.filter((s) => (d.terms as string[]).includes(s));
  const dueIn = (d.dueBy ?? {}) as Record<string, unknown>;
  if (typeof dueIn !== 'object' || Array.isArray(dueIn))
    throw policyError.invalid('dueBy', 'must be an object');
  const dueBy: Partial<Record<Season, string>> = {};
  for (const t of terms) dueBy[t] = validMonthDay(dueIn[t], `dueBy.${t}`);
  const effectiveFrom = validDate(d.effectiveFrom, 'effectiveFrom');
  const effectiveTo = d.effectiveTo == null ? null : validDate(d.effectiveTo, 'effectiveTo');
  if (effectiveTo !== null && effectiveTo < effectiveFrom)
    throw policyError.invalid('effectiveTo', 'must not be before effectiveFrom');
  const basis = d.basis ?? 'local';
  if (!POLICY_BASES.includes(basis as never))
    throw policyError.invalid('basis', `must be one of ${POLICY_BASES.join(', ')}`);
  if (d.note != null && (typeof d.note !== 'string' || d.note.length > 2000))
    throw policyError.invalid('note', 'must be text of at most 2000 characters');
  return {
    name: d.name.trim(),
    stage: d.stage as PolicyDefinition['stage'],
    eligibility: validateCondition(d.eligibility),
    amount: validateAmountRule(d.amount),
    terms,
    dueBy,
    effectiveFrom,
    effectiveTo,
    basis: basis as PolicyDefinition['basis'],
    note: d.note ?? null,
    retired: d.retired === true,
  };
}

/** Whether a version's effective period covers the term. */
export function coversTerm(p: Pick<PolicyDefinition, 'effectiveFrom' | 'effectiveTo'>, term: Term): boolean {
  return p.effectiveFrom <= term.opensOn && (p.effectiveTo === null || p.effectiveTo >= term.opensOn);
}

/**
 * The versions that apply to a term: per code, the latest version whose effective period
 * covers the term, unless that version retired the policy or the policy has no such term.
 */
export function applicableVersions(versions: readonly PolicyVersion[], term: Term): PolicyVersion[] {
  const latest = new Map<string, PolicyVersion>();
  for (const v of versions) {
    if (!coversTerm(v, term)) continue;
    const seen = latest.get(v.code);
    if (!seen || seen.version < v.version) latest.set(v.code, v);
  }
  return [...latest.values()]
    .filter((v) => !v.retired && v.terms.includes(term.season))
    .sort((a, b) => a.code.localeCompare(b.code));
}

/** The due date of a policy in a term (Feb 29 in a common year is Feb 28). */
export function dueDateIn(p: Pick<PolicyDefinition, 'dueBy'>, term: Term): string {
  const md = p.dueBy[term.season];
  if (!md) throw policyError.invalid(`dueBy.${term.season}`, 'is missing');
  const leap = (term.year % 4 === 0 && term.year % 100 !== 0) || term.year % 400 === 0;
  return `${term.year}-${md === '02-29' && !leap ? '02-28' : md}`;
}

export interface EligibilityVerdict {
  policyCode: string;
  policyVersion: number;
  name: string;
  eligible: boolean;
  /** False for waivers and in-kind benefits: eligible, but nothing is paid out. */
  paidOut: boolean;
  amountFen: number | null;
  dueDate: string;
  reasons: Reason[];
}

/** Why a student is or is not eligible for each policy of a term. */
export function judge(p: PolicyVersion, term: Term, s: StudentAttributes): EligibilityVerdict {
  const { met, reasons } = explain(p.eligibility, s);
  const amountFen = termAmountFen(p.amount, p.terms, term.season, s);
  if (met && p.amount.kind === 'percent_of_fee' && amountFen === null)
    reasons.push({ rule: 'a term fee on the roster', actual: 'no term fee', met: false });
  return {
    policyCode: p.code,
    policyVersion: p.version,
    name: p.name,
    eligible: met && (p.amount.kind === 'in_kind' || amountFen !== null),
    paidOut: p.amount.kind !== 'in_kind',
    amountFen: met ? amountFen : null,
    dueDate: dueDateIn(p, term),
    reasons,
  };
}
