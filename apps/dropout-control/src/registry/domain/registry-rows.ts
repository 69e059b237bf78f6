import { residentIdProblem, type ResidentIdProblem } from '@edu/contracts';
import { DISABILITY_LEVELS, type DisabilityLevel } from '../../dropout-case/domain/placement.js';

export const STAGES = ['preschool', 'primary', 'junior', 'senior', 'vocational', 'special'] as const;
export type Stage = (typeof STAGES)[number];

export const ENROLMENT_STATUSES = [
  'enrolled',
  'suspended',
  'dropped',
  'graduated',
  'transferred_out',
] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

export const POVERTY_STATUSES = [
  'registered_poor',
  'low_income',
  'extreme_poverty',
  'lifted',
  'none',
] as const;
export type PovertyStatus = (typeof POVERTY_STATUSES)[number];

/** A row's problem: the field and why, never the value (it may be an ID number or a name). */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** One child in the student registry (学籍系统). */
export interface StudentRecord {
  idNumber: string;
  name: string;
  birthDate: string;
  countyCode: string;
  schoolCode: string;
  schoolName: string;
  stage: Stage;
  grade: number;
  enrolmentStatus: EnrolmentStatus;
  disabilityLevel: DisabilityLevel;
}

/** One member of a household in the poverty registry (扶贫开发信息系统). */
export interface PovertyMember {
  idNumber: string;
  householdId: string;
  name: string;
  birthDate: string;
  countyCode: string;
  township: string;
  village: string;
  povertyStatus: PovertyStatus;
  orphan: boolean;
  disabilityLevel: DisabilityLevel;
  relocationSiteCode: string | null;
}

export interface RowRules {
  /** The city's code (e.g. 150800): counties are the codes of the same first four digits. */
  cityCode: string;
  /** The only county a county operator may load. */
  scope?: string;
}

const ID_REASON = {
  format: 'must be 18 characters, 17 digits then a digit or X',
  birth_date: 'has an impossible birth date in digits 7-14',
  check_digit: 'has a wrong check digit',
} as const;
const DATE = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})$/;
const TRUE = new Set(['true', 'yes', 'y', '1', '是']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '']);

const DASH = 45;

/** Whether `s` is exactly `n` ASCII digits. */
function allDigits(s: string, n: number): boolean {
  if (s.length !== n) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** 1 to 12, written without sign, spaces or leading zero. */
function isGrade(s: string): boolean {
  if (s.length === 1) return s.charCodeAt(0) >= 49 && s.charCodeAt(0) <= 57;
  return s.length === 2 && s.charCodeAt(0) === 49 && s.charCodeAt(1) >= 48 && s.charCodeAt(1) <= 50;
}

/** A letter or digit (ASCII). */
function alnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** A code: 1-64 ASCII letters, digits, dot, dash or underscore, starting with a letter or digit. */
function isCode(s: string): boolean {
  if (s.length === 0 || s.length > 64 || !alnum(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(alnum(c) || c === 46 || c === 45 || c === 95)) return false;
  }
  return true;
}

/** The number the `n` digits of `s` from `at` spell (they are known to be digits). */
function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + s.charCodeAt(i) - 48;
  return v;
}

function sameChars(a: string, from: number, b: string, at: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a.charCodeAt(from + i) !== b.charCodeAt(at + i)) return false;
  return true;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Without Date objects: this runs for every row of million-row files. */
export function dateExists(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1900) return false;
  const leap = m === 2 && y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= DAYS[m - 1] + (leap ? 1 : 0);
}

/** GB 11643's MOD 11-2: the weights of the 17 digits, and the check character of each remainder. */
export const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export const CHECK_CHARS = '10X98765432';

/**
 * Whether an ID number is valid as it stands (upper case): 17 digits, a real birth date in
 * digits 7-14, the MOD 11-2 check character. A tight loop — no regular expression, slices
 * or Date — for the usual case of a million-row file.
 */
function validAsIs(id: string): boolean {
  if (id.length !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    sum += d * WEIGHTS[i];
  }
  return (
    CHECK_CHARS.charCodeAt(sum % 11) === id.charCodeAt(17) &&
    dateExists(digits(id, 6, 4), digits(id, 10, 2), digits(id, 12, 2))
  );
}

/** `residentIdProblem` of an upper-cased ID number, the usual valid case without its regular expression or Date. */
export function idNumberProblem(id: string): ResidentIdProblem | null {
  return validAsIs(id) ? null : residentIdProblem(id);
}

function member<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function enumReason(values: readonly string[]): string {
  return `must be one of ${values.join(', ')}`;
}

/**
 * Checks what both registries share: the ID number (shape, birth date, MOD 11-2 check
 * character), the name, the birth date (a real date, the one the ID number carries) and
 * the county (within the city, and the operator's own).
 */
class RowCheck {
  readonly problems: FieldProblem[] = [];
  /** Whether `idNumber()` found the ID number valid. */
  private idValid = false;
  constructor(
    private readonly r: Record<string, string>,
    private readonly rules: RowRules,
  ) {}

  fail(field: string, reason: string): void {
    this.problems.push({ field, reason });
  }

  idNumber(): string {
    const raw = this.r.id_number ?? '';
    if (validAsIs(raw)) {
      this.idValid = true;
      return raw;
    }
    const id = raw.toUpperCase();
    const problem = residentIdProblem(id);
    this.idValid = problem === null;
    if (problem) this.fail('id_number', ID_REASON[problem]);
    return id;
  }

  text(field: string, max: number): string {
    const v = this.r[field] ?? '';
    if (v === '') this.fail(field, 'is required');
    else if (v.length > max) this.fail(field, `must be at most ${max} characters`);
    return v;
  }

  code(field: string, optional = false): string | null {
    const v = this.r[field] ?? '';
    if (v === '' && optional) return null;
    if (!isCode(v)) this.fail(field, 'must be 1-64 letters, digits, dot, dash or underscore');
    return v;
  }

  birthDate(idNumber: string): string {
    const v = this.r.birth_date ?? '';
    // The usual case: YYYY-MM-DD, the very digits of a valid ID number (so a real date).
    if (
      this.idValid &&
      v.length === 10 &&
      v.charCodeAt(4) === DASH &&
      v.charCodeAt(7) === DASH &&
      sameChars(v, 0, idNumber, 6, 4) &&
      sameChars(v, 5, idNumber, 10, 2) &&
      sameChars(v, 8, idNumber, 12, 2)
    ) {
      return v;
    }
    const m = DATE.exec(v);
    const value = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
    if (!m || !dateExists(Number(m[1]), Number(m[2]), Number(m[3]))) {
      this.fail('birth_date', 'must be a date YYYY-MM-DD');
    } else if (
      value.slice(0, 4) + value.slice(5, 7) + value.slice(8) !== idNumber.slice(6, 14) &&
      this.idValid
    ) {
      this.fail('birth_date', 'differs from the birth date in the ID number');
    }
    return value;
  }

  county(): string {
    const v = this.r.county_code ?? '';
    const city = this.rules.cityCode;
    if (!allDigits(v, 6) || !sameChars(v, 0, city, 0, 4) || v === city) {
      this.fail('county_code', `must be the 6-digit code of a county of ${city}`);
    } else if (this.rules.scope !== undefined && v !== this.rules.scope) {
      this.fail('county_code', 'is outside your jurisdiction');
    }
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T {
    const raw = this.r[field] ?? '';
    if (member(values, raw)) return raw;
    const v = raw.toLowerCase();
    if (!member(values, v)) this.fail(field, enumReason(values));
    return v as T;
  }

  disability(): DisabilityLevel {
    const raw = this.r.disability_level ?? '';
    if (raw === '') return 'none';
    if (member(DISABILITY_LEVELS, raw)) return raw;
    const v = raw.toLowerCase();
    if (!member(DISABILITY_LEVELS, v)) this.fail('disability_level', enumReason(DISABILITY_LEVELS));
    return v as DisabilityLevel;
  }

  flag(field: string): boolean {
    const raw = this.r[field] ?? '';
    if (raw === 'false') return false;
    if (raw === 'true') return true;
    const v = raw.toLowerCase();
    if (TRUE.has(v)) return true;
    if (!FALSE.has(v)) this.fail(field, 'must be true or false');
    return false;
  }

  grade(): number {
    const v = this.r.grade ?? '';
    if (!isGrade(v)) this.fail('grade', 'must be a whole number from 1 to 12');
    return Number(v);
  }
}

/** Validates a student-registry row: the record, or every problem of the row. */
export function parseStudentRow(r: Record<string, string>, rules: RowRules): StudentRecord | FieldProblem[] {
  const c = new RowCheck(r, rules);
  const idNumber = c.idNumber();
  const record: StudentRecord = {
    idNumber,
    name: c.text('name', 50),
    birthDate: c.birthDate(idNumber),
    countyCode: c.county(),
    schoolCode: c.code('school_code') as string,
    schoolName: c.text('school_name', 100),
    stage: c.oneOf('stage', STAGES),
    grade: c.grade(),
    enrolmentStatus: c.oneOf('enrolment_status', ENROLMENT_STATUSES),
    disabilityLevel: c.disability(),
  };
  return c.problems.length > 0 ? c.problems : record;
}

/** Validates a poverty-registry row: the member, or every problem of the row. */
export function parsePovertyRow(r: Record<string, string>, rules: RowRules): PovertyMember | FieldProblem[] {
  const c = new RowCheck(r, rules);
  const idNumber = c.idNumber();
  const member: PovertyMember = {
    idNumber,
    householdId: c.code('household_id') as string,
    name: c.text('name', 50),
    birthDate: c.birthDate(idNumber),
    countyCode: c.county(),
    township: c.text('township', 100),
    village: c.text('village', 100),
    povertyStatus: c.oneOf('poverty_status', POVERTY_STATUSES),
    orphan: c.flag('orphan'),
    disabilityLevel: c.disability(),
    relocationSiteCode: c.code('relocation_site_code', true),
  };
  return c.problems.length > 0 ? c.problems : member;
}

/** The columns a student registry file must have (the list); others are ignored. */
export const STUDENT_COLUMNS = [
  'id_number',
  'name',
  'birth_date',
  'county_code',
  'school_code',
  'school_name',
  'stage',
  'grade',
  'enrolment_status',
  'disability_level',
] as const;

/** The columns a poverty registry file must have (the list); others are ignored. */
export const POVERTY_COLUMNS = [
  'household_id',
  'id_number',
  'name',
  'birth_date',
  'county_code',
  'township',
  'village',
  'poverty_status',
  'orphan',
  'disability_level',
  'relocation_site_code',
] as const;
