import { policyError } from './policy.errors.js';

/*
 * The rule language of the policy catalogue. Rules are data (jsonb on a policy version);
 * this file validates them, evaluates them for one student (with the reasons, for the
 * eligibility explanation) and is mirrored by the SQL compiler in persistence/ for the
 * set-based computation. Every name a rule may use is listed here, so a rule can never
 * reach a column or value that is not an attribute of the roster.
 */

export const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'higher'] as const;
export type Stage = (typeof STAGES)[number];

export const FLAG_ATTRIBUTES = [
  'boarder',
  'bilingual',
  'registered_poor',
  'low_income',
  'extreme_poverty',
  'orphan',
  'special_education',
  'mongolian_kindergarten',
  'new_entrant',
  'out_of_province',
] as const;
export type FlagAttribute = (typeof FLAG_ATTRIBUTES)[number];

export const NUMBER_ATTRIBUTES = ['grade', 'disability_level'] as const;
export type NumberAttribute = (typeof NUMBER_ATTRIBUTES)[number];

/** The roster attributes rules read (never the ID number or name). */
export type StudentAttributes = Record<FlagAttribute, boolean> &
  Record<NumberAttribute, number> & {
    stage: Stage;
    countyCode: string;
    schoolCode: string;
    /** The student's fee for one term, in fen, for fee-waiver policies; null if not on the roster. */
    termFeeFen: number | null;
  };

export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { attr: 'stage'; in: Stage[] }
  | { attr: FlagAttribute; is: boolean }
  | { attr: NumberAttribute; min?: number; max?: number }
  /** Awarded by selection (e.g. the national scholarship): never computed from the roster. */
  | { selection: true };

export type AmountRule =
  | { kind: 'fixed_per_term'; amount: string; byStage?: Partial<Record<Stage, string>> }
  | { kind: 'per_year'; amount: string; byStage?: Partial<Record<Stage, string>> }
  | { kind: 'percent_of_fee'; percent: number }
  /** A waiver or in-kind benefit (free textbooks, tuition waived): listed, never paid out. */
  | { kind: 'in_kind' };

const MONEY = /^\d{1,10}(\.\d{1,2})?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function onlyKeys(v: Record<string, unknown>, keys: string[], path: string) {
  const extra = Object.keys(v).filter((k) => !keys.includes(k));
  if (extra.length) throw policyError.invalid(path, `has unknown field ${extra[0]}`);
}

/** Validates an eligibility rule, naming the first problem by its path. */
export function validateCondition(v: unknown, path = 'eligibility', depth = 0): Condition {
  if (depth > 8) throw policyError.invalid(path, 'is nested too deeply');
  if (!isObject(v)) throw policyError.invalid(path, 'must be an object');
  if ('all' in v || 'any' in v) {
    const key = 'all' in v ? 'all' : 'any';
    onlyKeys(v, [key], path);
    const list = v[key];
    if (!Array.isArray(list)) throw policyError.invalid(`${path}.${key}`, 'must be a list');
    const parts = list.map((c, i) => validateCondition(c, `${path}.${key}[${i}]`, depth + 1));
    return key === 'all' ? { all: parts } : { any: parts };
  }
  if ('not' in v) {
    onlyKeys(v, ['not'], path);
    return { not: validateCondition(v.not, `${path}.not`, depth + 1) };
  }
  if ('selection' in v) {
    onlyKeys(v, ['selection'], path);
    if (v.selection !== true) throw policyError.invalid(`${path}.selection`, 'must be true');
    return { selection: true };
  }
  const attr = v.attr;
  if (attr === 'stage') {
    onlyKeys(v, ['attr', 'in'], path);
    const list = v.in;
    if (!Array.isArray(list) || list.length === 0 || !list.every((s) => STAGES.includes(s as Stage)))
      throw policyError.invalid(`${path}.in`, `must list stages among ${STAGES.join(', ')}`);
    return { attr, in: [...new Set(list as Stage[])] };
  }
  if (FLAG_ATTRIBUTES.includes(attr as FlagAttribute)) {
    onlyKeys(v, ['attr', 'is'], path);
    if (typeof v.is !== 'boolean') throw policyError.invalid(`${path}.is`, 'must be true or false');
    return { attr: attr as FlagAttribute, is: v.is };
  }
  if (NUMBER_ATTRIBUTES.includes(attr as NumberAttribute)) {
    onlyKeys(v, ['attr', 'min', 'max'], path);
    const bound = (b: unknown, name: string) => {
      if (b === undefined) return undefined;
      if (!Number.isInteger(b) || (b as number) < 0 || (b as number) > 99)
        throw policyError.invalid(`${path}.${name}`, 'must be a whole number 0-99');
      return b as number;
    };
    const min = bound(v.min, 'min');
    const max = bound(v.max, 'max');
    if (min === undefined && max === undefined) throw policyError.invalid(path, 'needs min or max');
    return {
      attr: attr as NumberAttribute,
      ...(min !== undefined && { min }),
      ...(max !== undefined && { max }),
    };
  }
  throw policyError.invalid(
    `${path}.attr`,
    `must be one of stage, ${[...FLAG_ATTRIBUTES, ...NUMBER_ATTRIBUTES].join(', ')}`,
  );
}

function validMoney(v: unknown, path: string): string {
  if (typeof v !== 'string' || !MONEY.test(v) || Number(v) <= 0)
    throw policyError.invalid(path, 'must be a positive amount in yuan, e.g. "1250.00"');
  return v;
}

export function validateAmountRule(v: unknown, path = 'amount'): AmountRule {
  if (!isObject(v)) throw policyError.invalid(path, 'must be an object');
  switch (v.kind) {
    case 'fixed_per_term':
    case 'per_year': {
      onlyKeys(v, ['kind', 'amount', 'byStage'], path);
      const amount = validMoney(v.amount, `${path}.amount`);
      if (v.byStage === undefined) return { kind: v.kind, amount };
      if (!isObject(v.byStage)) throw policyError.invalid(`${path}.byStage`, 'must map stages to amounts');
      const byStage: Partial<Record<Stage, string>> = {};
      for (const [stage, value] of Object.entries(v.byStage)) {
        if (!STAGES.includes(stage as Stage))
          throw policyError.invalid(`${path}.byStage.${stage}`, 'is not a stage');
        byStage[stage as Stage] = validMoney(value, `${path}.byStage.${stage}`);
      }
      return { kind: v.kind, amount, byStage };
    }
    case 'percent_of_fee': {
      onlyKeys(v, ['kind', 'percent'], path);
      const p = v.percent;
      if (typeof p !== 'number' || !(p > 0 && p <= 100) || Math.round(p * 100) !== p * 100)
        throw policyError.invalid(`${path}.percent`, 'must be a number above 0 and at most 100');
      return { kind: 'percent_of_fee', percent: p };
    }
    case 'in_kind':
      onlyKeys(v, ['kind'], path);
      return { kind: 'in_kind' };
    default:
      throw policyError.invalid(
        `${path}.kind`,
        'must be fixed_per_term, per_year, percent_of_fee or in_kind',
      );
  }
}

export interface Reason {
  /** The condition, as a person reads it: `boarder is yes`. */
  rule: string;
  /** What the roster says. */
  actual: string;
  met: boolean;
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

/** Evaluates a rule for one student, with the reason of every condition that was looked at. */
export function explain(c: Condition, s: StudentAttributes): { met: boolean; reasons: Reason[] } {
  if ('all' in c || 'any' in c) {
    const parts = ('all' in c ? c.all : c.any).map((p) => explain(p, s));
    const met = 'all' in c ? parts.every((p) => p.met) : parts.some((p) => p.met);
    const reasons = parts.flatMap((p) => p.reasons);
    if ('any' in c && parts.length > 1)
      return {
        met,
        reasons: [
          {
            rule: `any of: ${reasons.map((r) => r.rule).join('; ')}`,
            actual: reasons.map((r) => r.actual).join('; '),
            met,
          },
        ],
      };
    return { met, reasons };
  }
  if ('not' in c) {
    const inner = explain(c.not, s);
    return {
      met: !inner.met,
      reasons: [
        {
          rule: `not (${inner.reasons.map((r) => r.rule).join('; ')})`,
          actual: inner.reasons.map((r) => r.actual).join('; '),
          met: !inner.met,
        },
      ],
    };
  }
  if ('selection' in c)
    return {
      met: false,
      reasons: [{ rule: 'awarded by selection', actual: 'not computed from the roster', met: false }],
    };
  if (c.attr === 'stage') {
    const met = c.in.includes(s.stage);
    return { met, reasons: [{ rule: `stage is ${c.in.join(' or ')}`, actual: `stage ${s.stage}`, met }] };
  }
  if ('is' in c) {
    const met = s[c.attr] === c.is;
    return {
      met,
      reasons: [{ rule: `${c.attr} is ${yesNo(c.is)}`, actual: `${c.attr} ${yesNo(s[c.attr])}`, met }],
    };
  }
  const value = s[c.attr];
  const met = (c.min === undefined || value >= c.min) && (c.max === undefined || value <= c.max);
  const range =
    c.min !== undefined && c.max !== undefined
      ? `${c.min}-${c.max}`
      : c.min !== undefined
        ? `at least ${c.min}`
        : `at most ${c.max}`;
  return { met, reasons: [{ rule: `${c.attr} ${range}`, actual: `${c.attr} ${value}`, met }] };
}

export function isEligible(c: Condition, s: StudentAttributes): boolean {
  return explain(c, s).met;
}

export function yuanToFen(yuan: string): number {
  const [i, d = ''] = yuan.split('.');
  return Number(i) * 100 + Number(d.padEnd(2, '0'));
}

/**
 * The amount for one term in fen, or null when the rule pays nothing (in kind) or cannot
 * be worked out (a fee waiver for a student whose fee is not on the roster). A yearly
 * amount is split evenly over the policy's terms; the odd fen go to the autumn term.
 */
export function termAmountFen(
  rule: AmountRule,
  terms: readonly string[],
  season: string,
  s: Pick<StudentAttributes, 'stage' | 'termFeeFen'>,
): number | null {
  switch (rule.kind) {
    case 'in_kind':
      return null;
    case 'percent_of_fee':
      if (s.termFeeFen === null) return null;
      return Math.round((s.termFeeFen * rule.percent) / 100) || null;
    case 'fixed_per_term':
      return yuanToFen(rule.byStage?.[s.stage] ?? rule.amount);
    case 'per_year': {
      const year = yuanToFen(rule.byStage?.[s.stage] ?? rule.amount);
      const n = terms.length;
      const share = Math.floor(year / n);
      const gets = season === 'autumn' || !terms.includes('autumn') ? year - share * (n - 1) : share;
      return n === 1 ? year : gets;
    }
  }
}
