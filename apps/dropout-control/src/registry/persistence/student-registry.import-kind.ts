import type { CopyValue, ImportKind, RowProblem } from '@edu/imports';
import { parseStudentRow, STUDENT_COLUMNS, type StudentRecord } from '../domain/registry-rows.js';
import { DuplicateScreen } from './duplicate-screen.js';
import { applyRegistry, directTarget, ID_STAGING_TYPE } from './registry-apply.js';
import { studentRowEncoder } from './registry-row-encoder.js';

/** The student registry file: one row per child, keyed by ID number. One instance per import. */
export function studentRegistryImport(cityCode: string): ImportKind<StudentRecord> {
  const repeats = new DuplicateScreen();
  const columns = STUDENT_COLUMNS.filter((c) => c !== 'id_number');
  /** The values of the row being written (`toRow`), reused from row to row. */
  const row: CopyValue[] = [];
  return {
    kind: 'student-registry',
    columns: STUDENT_COLUMNS,
    staging: [
      { name: 'id_number', type: ID_STAGING_TYPE },
      { name: 'name', type: 'text' },
      { name: 'birth_date', type: 'date' },
      { name: 'county_code', type: 'char(6)' },
      { name: 'school_code', type: 'text' },
      { name: 'school_name', type: 'text' },
      { name: 'stage', type: 'text' },
      { name: 'grade', type: 'smallint' },
      { name: 'enrolment_status', type: 'text' },
      { name: 'disability_level', type: 'text' },
    ],
    parse(record, line, ctx) {
      const parsed = parseStudentRow(record, { cityCode, scope: ctx.scope });
      if (Array.isArray(parsed)) return parsed.map((p): RowProblem => ({ line, ...p }));
      repeats.add(parsed.idNumber);
      return parsed;
    },
    toRow: (s) => {
      // One array for every row (COPY takes each line before the next row is read).
      row[0] = s.idNumber;
      row[1] = s.name;
      row[2] = s.birthDate;
      row[3] = s.countyCode;
      row[4] = s.schoolCode;
      row[5] = s.schoolName;
      row[6] = s.stage;
      row[7] = s.grade;
      row[8] = s.enrolmentStatus;
      row[9] = s.disabilityLevel;
      return row;
    },
    encoder: (header, ctx) =>
      studentRowEncoder(header, {
        rules: { cityCode, scope: ctx.scope },
        repeats,
      }),
    direct: (em, ctx) => directTarget(em, 'student_registry', columns, ctx.importId),
    apply: (em, ctx) =>
      applyRegistry(em, ctx, {
        table: 'student_registry',
        columns,
        repeatCandidates: repeats.candidates(),
      }),
  };
}
