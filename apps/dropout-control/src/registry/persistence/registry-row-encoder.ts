import type { CopyTextWriter, CsvLineBytes, RowEncoder } from '@edu/imports';
import { DISABILITY_LEVELS } from '../../dropout-case/domain/placement.js';
import {
  CHECK_CHARS,
  dateExists,
  ENROLMENT_STATUSES,
  POVERTY_COLUMNS,
  POVERTY_STATUSES,
  STAGES,
  STUDENT_COLUMNS,
  WEIGHTS,
  type RowRules,
} from '../domain/registry-rows.js';
import type { DuplicateScreen } from './duplicate-screen.js';

/*
 * The registry rows' checks on the bytes of a CSV line (see `RowEncoder`): each says yes only
 * to a value `parseStudentRow` / `parsePovertyRow` accept as written and write unchanged
 * (an upper-case ID number, a YYYY-MM-DD birth date, enums in lower case …). Anything else —
 * a problem, or a value parse would rewrite — is left to parse, which words the problems.
 */

const DASH = 45;
const BACKSLASH = 92;

/** The number the `n` digits from `at` spell (known to be digits). */
function digits(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) v = v * 10 + b[i] - 48;
  return v;
}

/** A valid ID number as it stands: 17 digits, a real birth date in digits 7-14, its check character (X upper case). */
export function idValid(b: Uint8Array, s: number, e: number): boolean {
  if (e - s !== 18) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const d = b[s + i] - 48;
    if (d < 0 || d > 9) return false;
    sum += d * WEIGHTS[i];
  }
  return (
    CHECK_CHARS.charCodeAt(sum % 11) === b[s + 17] &&
    dateExists(digits(b, s + 6, 4), digits(b, s + 10, 2), digits(b, s + 12, 2))
  );
}

function same(b: Uint8Array, x: number, y: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[x + i] !== b[y + i]) return false;
  return true;
}

/** YYYY-MM-DD, the digits 7-14 of the (valid) ID number starting at `id`. */
export function birthDateOf(b: Uint8Array, s: number, e: number, id: number): boolean {
  return (
    e - s === 10 &&
    b[s + 4] === DASH &&
    b[s + 7] === DASH &&
    same(b, s, id + 6, 4) &&
    same(b, s + 5, id + 10, 2) &&
    same(b, s + 8, id + 12, 2)
  );
}

/** Whether the field is exactly the (ASCII) text. */
function equals(b: Uint8Array, s: number, e: number, text: string): boolean {
  if (e - s !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (b[s + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** A county of the city (six digits, the city's first four, not the city's own code), the operator's if scoped. */
export function countyOk(b: Uint8Array, s: number, e: number, rules: RowRules): boolean {
  if (e - s !== 6) return false;
  for (let i = s; i < e; i++) if (b[i] < 48 || b[i] > 57) return false;
  const city = rules.cityCode;
  for (let i = 0; i < 4; i++) if (b[s + i] !== city.charCodeAt(i)) return false;
  if (equals(b, s, e, city)) return false;
  return rules.scope === undefined || equals(b, s, e, rules.scope);
}

function alnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** A code: 1-64 ASCII letters, digits, dot, dash or underscore, starting with a letter or digit. */
export function codeOk(b: Uint8Array, s: number, e: number): boolean {
  if (e <= s || e - s > 64 || !alnum(b[s])) return false;
  for (let i = s + 1; i < e; i++) {
    const c = b[i];
    if (!(alnum(c) || c === 46 || c === DASH || c === 95)) return false;
  }
  return true;
}

/**
 * Text of 1 to `max` characters (UTF-16 units, as `String.length` counts) that COPY takes
 * as it is: no control character (tab, line ends) and no backslash.
 */
export function textOk(b: Uint8Array, s: number, e: number, max: number): boolean {
  if (e <= s) return false;
  let units = 0;
  for (let i = s; i < e; i++) {
    const c = b[i];
    if (c < 32 || c === BACKSLASH) return false;
    // A character starts at an ASCII byte or a lead byte; four-byte ones are two units.
    if (c < 0x80 || c >= 0xc0) units += c >= 0xf0 ? 2 : 1;
  }
  return units <= max;
}

/** The bytes of each value, to compare fields with. */
function asBytes(values: readonly string[]): Uint8Array[] {
  return values.map((v) => Buffer.from(v, 'latin1'));
}

/** Whether the field is exactly one of the values (as written, lower case). */
export function oneOf(b: Uint8Array, s: number, e: number, values: readonly Uint8Array[]): boolean {
  const n = e - s;
  for (const v of values) {
    if (v.length !== n) continue;
    let i = 0;
    while (i < n && b[s + i] === v[i]) i++;
    if (i === n) return true;
  }
  return false;
}

/** 1 to 12, without sign, spaces or leading zero. */
export function gradeOk(b: Uint8Array, s: number, e: number): boolean {
  if (e - s === 1) return b[s] >= 49 && b[s] <= 57;
  return e - s === 2 && b[s] === 49 && b[s + 1] >= 48 && b[s + 1] <= 50;
}

const STAGE_BYTES = asBytes(STAGES);
const ENROLMENT_BYTES = asBytes(ENROLMENT_STATUSES);
const POVERTY_BYTES = asBytes(POVERTY_STATUSES);
const DISABILITY_BYTES = asBytes(DISABILITY_LEVELS);
const FLAG_BYTES = asBytes(['true', 'false']);

/** Where each column is in the file (the last of a repeated name, as the records take it). */
function columnsOf<C extends string>(header: readonly string[], columns: readonly C[]): Record<C, number> {
  const at = {} as Record<C, number>;
  for (const c of columns) at[c] = header.lastIndexOf(c);
  return at;
}

/** What the registry kinds share with their encoder: the rules and the repeat screen. */
export interface RegistryEncoding {
  rules: RowRules;
  repeats: DuplicateScreen;
}

/** Whether the columns come one after the other in the file, in this order. */
function consecutive(at: readonly number[]): boolean {
  return at.every((i, k) => k === 0 || i === at[k - 1] + 1);
}

/** `RowEncoder` of the student registry: the values of `toRow`, in its order. */
export function studentRowEncoder(header: readonly string[], enc: RegistryEncoding): RowEncoder {
  const at = columnsOf(header, STUDENT_COLUMNS);
  const { rules, repeats } = enc;
  // The values up to the enrolment status, written in one go when the file has them in that order.
  const order = [
    at.id_number,
    at.name,
    at.birth_date,
    at.county_code,
    at.school_code,
    at.school_name,
    at.stage,
    at.grade,
    at.enrolment_status,
  ];
  const inOrder = consecutive(order);
  return {
    encode({ bytes: b, starts, ends }: CsvLineBytes, out: CopyTextWriter): boolean {
      const idS = starts[at.id_number];
      const idE = ends[at.id_number];
      if (
        !idValid(b, idS, idE) ||
        !textOk(b, starts[at.name], ends[at.name], 50) ||
        !birthDateOf(b, starts[at.birth_date], ends[at.birth_date], idS) ||
        !countyOk(b, starts[at.county_code], ends[at.county_code], rules) ||
        !codeOk(b, starts[at.school_code], ends[at.school_code]) ||
        !textOk(b, starts[at.school_name], ends[at.school_name], 100) ||
        !oneOf(b, starts[at.stage], ends[at.stage], STAGE_BYTES) ||
        !gradeOk(b, starts[at.grade], ends[at.grade]) ||
        !oneOf(b, starts[at.enrolment_status], ends[at.enrolment_status], ENROLMENT_BYTES) ||
        !disabilityOk(b, starts[at.disability_level], ends[at.disability_level])
      ) {
        return false;
      }
      if (inOrder) out.fields(b, idS, ends[at.enrolment_status]);
      else for (const i of order) out.fields(b, starts[i], ends[i]);
      writeDisability(out, b, starts[at.disability_level], ends[at.disability_level]);
      repeats.addBytes(b, idS, idE);
      return true;
    },
  };
}

/** `RowEncoder` of the poverty registry: the values of `toRow`, in its order. */
export function povertyRowEncoder(header: readonly string[], enc: RegistryEncoding): RowEncoder {
  const at = columnsOf(header, POVERTY_COLUMNS);
  const { rules, repeats } = enc;
  // The values from the name to the orphan flag, written in one go when the file has them in that order.
  const middle = [
    at.name,
    at.birth_date,
    at.county_code,
    at.township,
    at.village,
    at.poverty_status,
    at.orphan,
  ];
  const inOrder = consecutive(middle);
  return {
    encode({ bytes: b, starts, ends }: CsvLineBytes, out: CopyTextWriter): boolean {
      const idS = starts[at.id_number];
      const idE = ends[at.id_number];
      const siteS = starts[at.relocation_site_code];
      const siteE = ends[at.relocation_site_code];
      if (
        !idValid(b, idS, idE) ||
        !codeOk(b, starts[at.household_id], ends[at.household_id]) ||
        !textOk(b, starts[at.name], ends[at.name], 50) ||
        !birthDateOf(b, starts[at.birth_date], ends[at.birth_date], idS) ||
        !countyOk(b, starts[at.county_code], ends[at.county_code], rules) ||
        !textOk(b, starts[at.township], ends[at.township], 100) ||
        !textOk(b, starts[at.village], ends[at.village], 100) ||
        !oneOf(b, starts[at.poverty_status], ends[at.poverty_status], POVERTY_BYTES) ||
        !oneOf(b, starts[at.orphan], ends[at.orphan], FLAG_BYTES) ||
        !disabilityOk(b, starts[at.disability_level], ends[at.disability_level]) ||
        (siteE > siteS && !codeOk(b, siteS, siteE))
      ) {
        return false;
      }
      out.fields(b, idS, idE);
      out.fields(b, starts[at.household_id], ends[at.household_id]);
      if (inOrder) out.fields(b, starts[at.name], ends[at.orphan]);
      else for (const i of middle) out.fields(b, starts[i], ends[i]);
      writeDisability(out, b, starts[at.disability_level], ends[at.disability_level]);
      if (siteE === siteS) out.ascii('\t\\N');
      else out.fields(b, siteS, siteE);
      repeats.addBytes(b, idS, idE);
      return true;
    },
  };
}

/** A disability level as written, or empty (none). */
function disabilityOk(b: Uint8Array, s: number, e: number): boolean {
  return e === s || oneOf(b, s, e, DISABILITY_BYTES);
}

function writeDisability(out: CopyTextWriter, b: Uint8Array, s: number, e: number): void {
  if (e === s) out.ascii('\tnone');
  else out.fields(b, s, e);
}
