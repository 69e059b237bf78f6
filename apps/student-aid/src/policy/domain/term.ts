import { policyError } from './policy.errors.js';

export type Season = 'spring' | 'autumn';
export const SEASONS: readonly Season[] = ['spring', 'autumn'];

/** A school term, `2020-autumn`: the autumn term opens the school year, spring closes it. */
export interface Term {
  code: string;
  year: number;
  season: Season;
  /** The date a policy's effective period is checked against. */
  opensOn: string;
}

const TERM = /^(\d{4})-(spring|autumn)$/;

export function parseTerm(code: string): Term {
  const m = TERM.exec(code);
  if (!m) throw policyError.invalidTerm();
  const season = m[2] as Season;
  return { code, year: Number(m[1]), season, opensOn: `${m[1]}-${season === 'spring' ? '03-01' : '09-01'}` };
}
