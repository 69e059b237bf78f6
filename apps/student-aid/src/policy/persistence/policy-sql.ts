import { dueDateIn, type PolicyVersion } from '../domain/policy.js';
import { yuanToFen, type AmountRule, type Condition } from '../domain/rules.js';
import type { Term } from '../domain/term.js';

/*
 * Compiles validated rules (domain/rules.ts) into SQL over a roster row aliased `s`, for
 * the set-based computation: the same meaning as `explain` and `termAmountFen`, which
 * the integration test checks row by row. Only validated names and numbers reach the
 * text: attributes come from fixed lists, stages from an enum, numbers are integers.
 */

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function conditionSql(c: Condition, s = 's'): string {
  if ('all' in c) return c.all.length ? `(${c.all.map((p) => conditionSql(p, s)).join(' AND ')})` : 'true';
  if ('any' in c) return c.any.length ? `(${c.any.map((p) => conditionSql(p, s)).join(' OR ')})` : 'false';
  if ('not' in c) return `(NOT ${conditionSql(c.not, s)})`;
  if ('selection' in c) return 'false';
  if (c.attr === 'stage') return `${s}.stage IN (${c.in.map(lit).join(', ')})`;
  if ('is' in c) return c.is ? `${s}.${c.attr}` : `(NOT ${s}.${c.attr})`;
  const parts: string[] = [];
  if (c.min !== undefined) parts.push(`${s}.${c.attr} >= ${Math.trunc(c.min)}`);
  if (c.max !== undefined) parts.push(`${s}.${c.attr} <= ${Math.trunc(c.max)}`);
  return `(${parts.join(' AND ')})`;
}

function byStageSql(
  base: number,
  byStage: Partial<Record<string, string>> | undefined,
  s: string,
  f: (fen: number) => number,
) {
  const entries = Object.entries(byStage ?? {});
  if (entries.length === 0) return String(f(base));
  const whens = entries
    .map(([stage, yuan]) => `WHEN ${lit(stage)} THEN ${f(yuanToFen(yuan as string))}`)
    .join(' ');
  return `(CASE ${s}.stage ${whens} ELSE ${f(base)} END)`;
}

/** The term's amount in fen, NULL when nothing is paid out or it cannot be worked out. */
export function amountSql(rule: AmountRule, terms: readonly string[], season: string, s = 's'): string {
  switch (rule.kind) {
    case 'in_kind':
      return 'NULL::bigint';
    case 'percent_of_fee':
      return `NULLIF(round(${s}.term_fee_fen * ${Number(rule.percent)}::numeric / 100)::bigint, 0)`;
    case 'fixed_per_term':
      return byStageSql(yuanToFen(rule.amount), rule.byStage, s, (x) => x);
    case 'per_year': {
      const n = terms.length;
      const share = (year: number) => {
        if (n === 1) return year;
        const each = Math.floor(year / n);
        return season === 'autumn' ? year - each * (n - 1) : each;
      };
      return byStageSql(yuanToFen(rule.amount), rule.byStage, s, share);
    }
  }
}

/**
 * A VALUES list of the policies paid out in a term, one row per policy:
 * (code, version, due date, amount in fen or NULL when the student is not eligible).
 * Used as `CROSS JOIN LATERAL (<this>) p(code, version, due_date, amount_fen)`.
 */
export function policyRowsSql(policies: readonly PolicyVersion[], term: Term, s = 's'): string | null {
  const paid = policies.filter((p) => p.amount.kind !== 'in_kind');
  if (paid.length === 0) return null;
  return `VALUES ${paid
    .map(
      (p) =>
        `(${lit(p.code)}, ${Math.trunc(p.version)}, ${lit(dueDateIn(p, term))}::date, ` +
        `CASE WHEN ${conditionSql(p.eligibility, s)} THEN ${amountSql(p.amount, p.terms, term.season, s)} END)`,
    )
    .join(', ')}`;
}
