import type { ApplyContext, ApplyResult, RowProblem } from '@edu/imports';
import { histogram } from '@edu/observability';
import type { EntityManager } from 'typeorm';

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

/**
 * Applies a staged registry file in set-based SQL: a repeated ID number keeps its first
 * line (later ones are reported); a county operator cannot overwrite another county's
 * child; rows that differ are updated; new rows are inserted in key order, which keeps
 * the primary key's inserts sequential (several times faster than file order at a million
 * rows). Imports of one registry apply one at a time, so the insert needs no ON CONFLICT.
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
  const problems: RowProblem[] = [];
  // The statistics of a fresh temporary table are empty until analysed (autovacuum never does).
  await em.query(`ANALYZE ${stage}`);
  const repeats = await repeatedLines(em, stage, target.repeatCandidates);
  for (const r of repeats) {
    problems.push({ line: r.line, field: 'id_number', reason: `repeats the ID number of line ${r.first}` });
  }
  if (ctx.scope !== undefined) {
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
  const [{ empty }] = await em.query<{ empty: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
  );
  let updated = 0;
  if (!empty) {
    [{ n: updated }] = await em.query<{ n: number }[]>(
      `WITH changed AS (
         UPDATE ${table} t SET ${columns.map((c) => `${c} = s.${c}`).join(', ')}, import_id = $1, updated_at = now()
         FROM ${source}
         WHERE t.id_number = s.id_number
           AND (${columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `s.${c}`).join(', ')})
         RETURNING 1
       ) SELECT count(*)::int AS n FROM changed`,
      [ctx.importId],
    );
  }
  const [{ n: inserted }] = await em.query<{ n: number }[]>(
    `WITH added AS (
         INSERT INTO ${table} (id_number, ${cols}, import_id)
         SELECT id_number, ${cols}, $1 FROM ${source}
         ${empty ? '' : `WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id_number = s.id_number)`}
         ORDER BY id_number
         RETURNING 1
       ) SELECT count(*)::int AS n FROM added`,
    [ctx.importId],
  );
  const [{ staged }] = await em.query<{ staged: number }[]>(`SELECT count(*)::int AS staged FROM ${stage}`);
  const skipped = new Set(problems.map((p) => p.line)).size;
  end();
  return { inserted, updated, unchanged: staged - skipped - inserted - updated, problems };
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
