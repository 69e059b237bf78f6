import type { ApplyContext, ApplyResult, RowProblem } from '@edu/imports';
import { histogram } from '@edu/observability';
import type { EntityManager, QueryRunner } from 'typeorm';

const applySeconds = histogram(
  'dropout_registry_apply_seconds',
  'Time to apply a staged registry file (set-based SQL)',
  ['registry'],
  [0.1, 0.5, 1, 5, 15, 60, 300],
);

export interface RegistryTable {
  table: 'student_registry' | 'poverty_member';
  /** Staged columns copied into the table (besides id_number). */
  columns: readonly string[];
  /** ID numbers that may repeat within the file (null: unknown, check every row). */
  repeatCandidates: string[] | null;
}

/** The staging type of ID numbers: byte order, like the registries' keys. */
export const ID_STAGING_TYPE = 'char(18) COLLATE "C"';

/** Rows changed by an import past which the registry is analysed before the cross-check reads it. */
const ANALYZE_AFTER = 10_000;

/** The registries' primary keys, as the migration names them. */
const PRIMARY_KEY = { student_registry: 'student_registry_pkey', poverty_member: 'poverty_member_pkey' };

/**
 * Applies a staged registry file in set-based SQL: a repeated ID number keeps its first
 * line (later ones are reported); a county operator cannot overwrite another county's
 * child; rows that differ are updated; new rows are inserted. Imports of one registry
 * apply one at a time, so the insert needs no ON CONFLICT.
 *
 * Into an empty registry (a first load: millions of rows) the rows go in without the
 * primary key, which is built afterwards in one sorted pass — several times faster than
 * maintaining it row by row; the table is locked until the import commits. Otherwise new
 * rows are inserted in key order, which keeps the primary key's inserts sequential. After
 * a large change the registry is analysed, so the cross-check that follows plans its
 * joins on real statistics.
 */
export async function applyRegistry(
  em: EntityManager,
  ctx: ApplyContext,
  target: RegistryTable,
): Promise<ApplyResult> {
  const { stage } = ctx;
  const { table, columns } = target;
  const end = applySeconds.startTimer({ registry: table });
  await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dropout-control:apply:${table}`]);
  // Sorting and hashing a million staged rows in memory rather than in temporary files.
  await em.query(`SET LOCAL work_mem = '256MB'`);
  const [{ empty }] = await em.query<{ empty: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
  );
  if (!empty || target.repeatCandidates === null) {
    // The statistics of a fresh temporary table are empty until analysed (autovacuum never does).
    await em.query(`ANALYZE ${stage}`);
  }
  const problems: RowProblem[] = [];
  const repeats = await repeatedLines(em, stage, target.repeatCandidates);
  for (const r of repeats) {
    problems.push({ line: r.line, field: 'id_number', reason: `repeats the ID number of line ${r.first}` });
  }
  if (ctx.scope !== undefined && !empty) {
    const foreign: { line: number }[] = await em.query(
      `SELECT s.line FROM ${stage} s JOIN ${table} t USING (id_number) WHERE t.county_code <> $1`,
      [ctx.scope],
    );
    for (const r of foreign) {
      problems.push({ line: r.line, field: 'id_number', reason: "is on another county's registry" });
    }
  }
  let source = `${stage} s`;
  if (problems.length > 0) {
    await em.query(`CREATE TEMP TABLE ${stage}_skip (line int PRIMARY KEY) ON COMMIT DROP`);
    await em.query(`INSERT INTO ${stage}_skip SELECT DISTINCT unnest($1::int[])`, [
      problems.map((p) => p.line),
    ]);
    source = `(SELECT * FROM ${stage} x WHERE NOT EXISTS (SELECT 1 FROM ${stage}_skip k WHERE k.line = x.line)) s`;
  }
  const cols = columns.join(', ');
  const runner = em.queryRunner as QueryRunner;
  let updated = 0;
  let inserted: number;
  if (empty) {
    const key = PRIMARY_KEY[table];
    await em.query(`ALTER TABLE ${table} DROP CONSTRAINT ${key}`);
    inserted = (
      await runner.query(
        `INSERT INTO ${table} (id_number, ${cols}, import_id) SELECT id_number, ${cols}, $1 FROM ${source}`,
        [ctx.importId],
        true,
      )
    ).affected as number;
    await em.query(`ALTER TABLE ${table} ADD CONSTRAINT ${key} PRIMARY KEY (id_number)`);
  } else {
    updated = (
      await runner.query(
        `UPDATE ${table} t SET ${columns.map((c) => `${c} = s.${c}`).join(', ')}, import_id = $1, updated_at = now()
         FROM ${source}
         WHERE t.id_number = s.id_number
           AND (${columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `s.${c}`).join(', ')})`,
        [ctx.importId],
        true,
      )
    ).affected as number;
    inserted = (
      await runner.query(
        `INSERT INTO ${table} (id_number, ${cols}, import_id)
         SELECT id_number, ${cols}, $1 FROM ${source}
         WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id_number = s.id_number)
         ORDER BY id_number`,
        [ctx.importId],
        true,
      )
    ).affected as number;
  }
  if (inserted + updated >= ANALYZE_AFTER) await em.query(`ANALYZE ${table}`);
  const skipped = new Set(problems.map((p) => p.line)).size;
  end();
  return { inserted, updated, unchanged: ctx.rowsStaged - skipped - inserted - updated, problems };
}

/** Lines whose ID number an earlier line of the file already had, with that first line. */
async function repeatedLines(
  em: EntityManager,
  stage: string,
  candidates: string[] | null,
): Promise<{ line: number; first: number }[]> {
  if (candidates === null) {
    return em.query(`
      SELECT s.line, f.first FROM ${stage} s
      JOIN (SELECT id_number, min(line) AS first FROM ${stage} GROUP BY id_number HAVING count(*) > 1) f
        USING (id_number)
      WHERE s.line <> f.first`);
  }
  if (candidates.length === 0) return [];
  return em.query(
    `SELECT line, first FROM (
       SELECT line, min(line) OVER (PARTITION BY id_number) AS first FROM ${stage}
       WHERE id_number = ANY($1::char(18)[])
     ) c WHERE line <> first`,
    [candidates],
  );
}
