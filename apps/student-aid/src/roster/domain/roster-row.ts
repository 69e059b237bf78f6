import { maskResidentId, residentIdProblem, studentKeyOf } from '@edu/contracts';
import { FLAG_ATTRIBUTES, STAGES, type FlagAttribute, type Stage } from '../../policy/domain/rules.js';

/** A refused cell: where, which field, why; never the value (it may be an ID number). */
export interface CellProblem {
  line: number;
  field: string;
  reason: string;
}

export interface RosterStudent {
  studentKey: string;
  idMasked: string;
  name: string;
  countyCode: string;
  schoolCode: string;
  stage: Stage;
  grade: number;
  flags: Record<FlagAttribute, boolean>;
  disabilityLevel: number;
  termFeeFen: number | null;
}

export const ROSTER_COLUMNS = [
  'id_number',
  'name',
  'county_code',
  'school_code',
  'stage',
  'grade',
  'boarder',
  'bilingual',
  'registered_poor',
  'low_income',
  'extreme_poverty',
  'orphan',
  'disability_level',
  'special_education',
] as const;

/** Columns that may be absent: a missing flag is "no", a missing fee is unknown. */
export const OPTIONAL_FLAGS: readonly FlagAttribute[] = [
  'mongolian_kindergarten',
  'new_entrant',
  'out_of_province',
];

const TRUE = new Set(['1', 'true', 'yes', 'y', 't', '是']);
const FALSE = new Set(['0', 'false', 'no', 'n', 'f', '否', '']);
const STAGE_ALIASES: Record<string, Stage> = {
  学前: 'preschool',
  幼儿园: 'preschool',
  小学: 'primary',
  初中: 'junior',
  高中: 'senior',
  普通高中: 'senior',
  中职: 'vocational',
  高校: 'higher',
  大学: 'higher',
};
const MONEY = /^(\d{1,10})(?:\.(\d{1,2}))?$/;
const ID_PROBLEMS = {
  format: 'must be 18 characters: 17 digits and a check digit or X',
  birth_date: 'has an impossible birth date',
  check_digit: 'has a wrong check digit',
};

/** Names compare after dropping spaces and unifying the middle dot of minority names. */
const PLAIN_NAME = /^[\u4e00-\u9fff]+$/;

export function normalizeName(name: string): string {
  if (PLAIN_NAME.test(name)) return name;
  return name
    .normalize('NFC')
    .replace(/\s+/g, '')
    .replace(/[•‧・･.]/g, '·');
}

export function checkResidentId(value: string, line: number, field: string): CellProblem | null {
  const problem = residentIdProblem(value);
  return problem ? { line, field, reason: ID_PROBLEMS[problem] } : null;
}

export function parseMoneyFen(text: string): number | null {
  const m = MONEY.exec(text);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
}

/** Validates one roster row; `scope` is the only county a county operator may load. */
export function parseRosterRow(
  r: Record<string, string>,
  line: number,
  secret: string,
  scope: string | undefined,
): RosterStudent | CellProblem[] {
  const problems: CellProblem[] = [];
  const bad = (field: string, reason: string) => problems.push({ line, field, reason });
  const id = (r.id_number ?? '').toUpperCase();
  const idProblem = checkResidentId(id, line, 'id_number');
  if (idProblem) problems.push(idProblem);
  const name = normalizeName(r.name ?? '');
  if (name === '' || name.length > 100) bad('name', 'is required (at most 100 characters)');
  const county = r.county_code ?? '';
  if (!/^\d{6}$/.test(county)) bad('county_code', 'must be a 6-digit GB/T 2260 code');
  else if (scope !== undefined && county !== scope) bad('county_code', 'is outside your jurisdiction');
  const school = r.school_code ?? '';
  if (school === '' || school.length > 64) bad('school_code', 'is required (at most 64 characters)');
  const stageText = (r.stage ?? '').toLowerCase();
  const stage = STAGES.includes(stageText as Stage) ? (stageText as Stage) : STAGE_ALIASES[stageText];
  if (!stage) bad('stage', `must be one of ${STAGES.join(', ')}`);
  const grade = Number(r.grade);
  if (!/^\d{1,2}$/.test(r.grade ?? '') || grade > 12) bad('grade', 'must be a whole number 0-12');
  const level = Number(r.disability_level || '0');
  if (!/^\d?$/.test(r.disability_level ?? '') || level > 4)
    bad('disability_level', 'must be 0 (none) or a level 1-4');
  const flags = {} as Record<FlagAttribute, boolean>;
  for (const f of FLAG_ATTRIBUTES) {
    const raw = r[f] ?? '';
    const v = raw === '0' || raw === '1' ? raw : raw.toLowerCase();
    if (TRUE.has(v)) flags[f] = true;
    else if (FALSE.has(v)) flags[f] = false;
    else bad(f, 'must be 1/0, true/false, yes/no or 是/否');
  }
  let termFeeFen: number | null = null;
  if (r.term_fee) {
    termFeeFen = parseMoneyFen(r.term_fee);
    if (termFeeFen === null) bad('term_fee', 'must be an amount in yuan, e.g. 1200.00');
  }
  if (problems.length > 0) return problems;
  return {
    studentKey: studentKeyOf(id, secret),
    idMasked: maskResidentId(id),
    name,
    countyCode: county,
    schoolCode: school,
    stage: stage,
    grade,
    flags,
    disabilityLevel: level,
    termFeeFen,
  };
}
