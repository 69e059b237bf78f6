import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApplyContext, ApplyResult } from '@edu/imports';
import { FLAG_ATTRIBUTES, type Stage, type StudentAttributes } from '../../policy/domain/rules.js';

export const ROSTER_FIELDS = [
  'id_masked',
  'name',
  'county_code',
  'school_code',
  'stage',
  'grade',
  ...FLAG_ATTRIBUTES,
  'disability_level',
  'term_fee_fen',
] as const;

export interface RosterEntry extends StudentAttributes {
  studentKey: string;
  idMasked: string;
  name: string;
  updatedAt: string;
}

@Injectable()
export class RosterRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Upserts the staged roster by studentKey: a key repeated in the file keeps its first
   * line; a county operator may not move a student of another county into theirs.
   */
  async applyImport(em: EntityManager, { stage, scope, importId }: ApplyContext): Promise<ApplyResult> {
    await em.query(`SET LOCAL work_mem = '64MB'`);
    // Repeated keys found by hashing, not sorting: the common file has none.
    await em.query(
      `CREATE TEMP TABLE roster_repeat ON COMMIT DROP AS
       SELECT st.line, false AS is_foreign FROM ${stage} st JOIN (
         SELECT student_key, min(line) AS first FROM ${stage} GROUP BY student_key HAVING count(*) > 1) d
         ON d.student_key = st.student_key AND st.line <> d.first`,
    );
    if (scope)
      await em.query(
        `INSERT INTO roster_repeat SELECT st.line, true FROM ${stage} st JOIN aid_student s USING (student_key)
         WHERE s.county_code <> $1`,
        [scope],
      );
    const refused: { line: number; is_foreign: boolean }[] = await em.query(
      'SELECT line, bool_or(is_foreign) AS is_foreign FROM roster_repeat GROUP BY line ORDER BY line',
    );
    const cols = ROSTER_FIELDS.join(', ');
    const [counts]: { inserted: number; updated: number; unchanged: number }[] = await em.query(
      `WITH src AS (
         SELECT student_key, ${cols} FROM ${stage} st
         WHERE NOT EXISTS (SELECT 1 FROM roster_repeat r WHERE r.line = st.line)),
       changed AS (
         INSERT INTO aid_student AS s (student_key, ${cols}, import_id, updated_at)
         SELECT *, $1::uuid, now() FROM src
         ON CONFLICT (student_key) DO UPDATE SET ${ROSTER_FIELDS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
           import_id = EXCLUDED.import_id, updated_at = now()
         WHERE (${ROSTER_FIELDS.map((c) => `s.${c}`).join(', ')}) IS DISTINCT FROM (${ROSTER_FIELDS.map((c) => `EXCLUDED.${c}`).join(', ')})
         RETURNING (xmax = 0) AS inserted)
       SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
              ((SELECT count(*) FROM src) - count(*))::int AS unchanged FROM changed`,
      [importId],
    );
    return {
      ...counts,
      problems: refused.map((r) => ({
        line: r.line,
        field: 'id_number',
        reason: r.is_foreign ? "is on another county's roster" : 'repeats the student of an earlier line',
      })),
    };
  }

  async find(studentKey: string, scope?: string): Promise<RosterEntry | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM aid_student WHERE student_key = $1 AND ($2::char(6) IS NULL OR county_code = $2)`,
      [studentKey, scope ?? null],
    );
    const r = rows[0];
    if (!r) return null;
    const flags = Object.fromEntries(FLAG_ATTRIBUTES.map((f) => [f, r[f] as boolean]));
    return {
      studentKey: (r.student_key as string).trim(),
      idMasked: r.id_masked as string,
      name: r.name as string,
      countyCode: r.county_code as string,
      schoolCode: r.school_code as string,
      stage: r.stage as Stage,
      grade: r.grade as number,
      disability_level: r.disability_level as number,
      termFeeFen: r.term_fee_fen === null ? null : Number(r.term_fee_fen),
      updatedAt: (r.updated_at as Date).toISOString(),
      ...(flags as Record<(typeof FLAG_ATTRIBUTES)[number], boolean>),
    };
  }
}
