import { isUuid } from '@edu/contracts';
import type { ApplyContext, ApplyResult, DirectTarget, RowProblem } from '@edu/imports';
import { histogram } from '@edu/observability';
import type { EntityManager, QueryRunner } from 'typeorm';

const applySeconds = histogram(
  'dropout_registry_apply_seconds',
  'Time to apply a staged registry file (set-based SQL)',
  ['registry'],
  [0.1, 0.5, 1, 5, 15, 60, 300],
);

export type RegistryName = 'student_registry' | 'poverty_member';

export interface RegistryTable {
  table: RegistryName;
  /** Staged columns copied into the table (besides id_number). */
  columns: readonly string[];
  /** ID numbers that may repeat within the file (null: unknown, check every row). */
  repeatCandidates: string[] | null;
}

/** The staging type of ID numbers: byte order, like the registries' keys. */
export const ID_STAGING_TYPE = 'char(18) COLLATE "C"';

/** Rows changed by an import past which the registry is analysed before the cross-check reads it. */
const ANALYZE_AFTER = 10_000;

/**
 * The statistics target of that analysis, and of a staged file's: a sample of 300 times as many
 * rows (3 000). Enough to plan the cross-check's joins and apply's own, which need the row
 * counts, the few statuses and a birth-date range; reading the sample's pages is most of what
 * ANALYZE costs. Autovacuum analyses the registry again at its own target: the rows an import
 * writes count as changes once it commits.
 */
const ANALYZE_TARGET = 10;

/** The registries' primary keys, as the migration names them. */
const PRIMARY_KEY: Record<RegistryName, string> = {
  student_registry: 'student_registry_pkey',
  poverty_member: 'poverty_member_pkey',
};

const lockApplies = (em: EntityManager, table: RegistryName) =>
  em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dropout-control:apply:${table}`]);

async function isEmpty(em: EntityManager, table: RegistryName): Promise<boolean> {
  const [{ empty }] = await em.query<{ empty: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`,
  );
  return empty;
}

/**
 * A first load into an empty registry (millions of rows, nothing to compare with) goes
 * straight into the registry instead of a staging table: the file's rows are written once.
 * The registry's primary key is dropped for the load and built again by `applyRegistry` in
 * one sorted pass, several times faster than maintaining it row by row. The registry stays
 * locked until the import commits (readers of it wait; other imports of it are staged
 * after it). Its rows are written frozen (see `DirectTarget.freeze`): a reader whose
 * snapshot predates the import sees them once it commits, where it saw an empty registry.
 * Null when the registry has rows: the file is staged and merged.
 */
export async function directTarget(
  em: EntityManager,
  table: RegistryName,
  columns: readonly string[],
  importId: string,
): Promise<DirectTarget | null> {
  if (!isUuid(importId)) throw new Error('an import id must be a UUID');
  if (!(await isEmpty(em, table))) return null;
  await lockApplies(em, table);
  if (!(await isEmpty(em, table))) return null; // another import filled it meanwhile
  // Emptied in this transaction (it holds nothing; only imports write it, and they wait for
  // the lock above): COPY may then write the rows frozen.
  await em.query(`TRUNCATE ${table}`);
  await em.query(`ALTER TABLE ${table} DROP CONSTRAINT ${PRIMARY_KEY[table]}`);
  // Every row names this import: a default for the load (dropped by apply) rather than 36
  // more bytes a row to write, send and parse.
  await em.query(`ALTER TABLE ${table} ALTER COLUMN import_id SET DEFAULT '${importId}'`);
  return { table, columns: ['import_line', 'id_number', ...columns], freeze: true };
}

/**
 * Applies a registry file in set-based SQL: a repeated ID number keeps its first line
 * (later ones are reported); a county operator cannot overwrite another county's child;
 * rows that differ are updated; new rows are inserted in key order, which keeps the
 * primary key's inserts sequential. Imports of one registry apply one at a time, so the
 * insert needs no ON CONFLICT. Each row keeps the import and line that last wrote it.
 * After a large change the registry is analysed, so the cross-check that follows plans
 * its joins on real statistics.
 */
export async function applyRegistry(
  em: EntityManager,
  ctx: ApplyContext,
  target: RegistryTable,
): Promise<ApplyResult> {
  const end = applySeconds.startTimer({ registry: target.table });
  await lockApplies(em, target.table);
  // Sorting and hashing a million rows in memory rather than in temporary files.
  await em.query(`SET LOCAL work_mem = '256MB'`);
  const result = ctx.direct ? await applyDirect(em, ctx, target) : await applyStaged(em, ctx, target);
  if (result.inserted + result.updated >= ANALYZE_AFTER) {
    await em.query(`SET LOCAL default_statistics_target = ${ANALYZE_TARGET}`);
    await em.query(`ANALYZE ${target.table}`);
  }
  end();
  return result;
}

/** The rows are in the registry already (see `directTarget`): drop the repeats, build the key. */
async function applyDirect(
  em: EntityManager,
  ctx: ApplyContext,
  target: RegistryTable,
): Promise<ApplyResult> {
  const { table } = target;
  const repeats = await repeatedLines(em, table, 'import_line', target.repeatCandidates);
  if (repeats.length > 0) {
    await em.query(`DELETE FROM ${table} WHERE import_line = ANY($1::int[])`, [repeats.map((r) => r.line)]);
  }
  await em.query(`ALTER TABLE ${table} ALTER COLUMN import_id DROP DEFAULT`);
  // The index build sorts every key: in memory, not in temporary files.
  await em.query(`SET LOCAL maintenance_work_mem = '256MB'`);
  await em.query(`ALTER TABLE ${table} ADD CONSTRAINT ${PRIMARY_KEY[table]} PRIMARY KEY (id_number)`);
  return {
    inserted: ctx.rowsStaged - repeats.length,
    updated: 0,
    unchanged: 0,
    problems: repeats.map(repeatProblem),
  };
}

/** The rows are in the staging table: check them against the registry, update and insert. */
async function applyStaged(
  em: EntityManager,
  ctx: ApplyContext,
  target: RegistryTable,
): Promise<ApplyResult> {
  const { stage } = ctx;
  const { table, columns } = target;
  // The statistics of a fresh temporary table are empty until analysed (autovacuum never
  // does); the joins below plan on the same small sample as the registry (ANALYZE_TARGET).
  await em.query(`SET LOCAL default_statistics_target = ${ANALYZE_TARGET}`);
  await em.query(`ANALYZE ${stage}`);
  const problems: RowProblem[] = (await repeatedLines(em, stage, 'line', target.repeatCandidates)).map(
    repeatProblem,
  );
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
  const runner = em.queryRunner as QueryRunner;
  const updated = (
    await runner.query(
      `UPDATE ${table} t SET ${columns.map((c) => `${c} = s.${c}`).join(', ')}, import_id = $1,
         import_line = s.line, updated_at = now()
       FROM ${source}
       WHERE t.id_number = s.id_number
         AND (${columns.map((c) => `t.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `s.${c}`).join(', ')})`,
      [ctx.importId],
      true,
    )
  ).affected as number;
  const inserted = (
    await runner.query(
      `INSERT INTO ${table} (id_number, ${cols}, import_id, import_line)
       SELECT id_number, ${cols}, $1, line FROM ${source}
       WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id_number = s.id_number)
       ORDER BY id_number`,
      [ctx.importId],
      true,
    )
  ).affected as number;
  const skipped = new Set(problems.map((p) => p.line)).size;
  return { inserted, updated, unchanged: ctx.rowsStaged - skipped - inserted - updated, problems };
}

const repeatProblem = (r: { line: number; first: number }): RowProblem => ({
  line: r.line,
  field: 'id_number',
  reason: `repeats the ID number of line ${r.first}`,
});

/** Lines (column `line` of `table`) whose ID number an earlier line of the file already had, with that first line. */
async function repeatedLines(
  em: EntityManager,
  table: string,
  line: string,
  candidates: string[] | null,
): Promise<{ line: number; first: number }[]> {
  if (candidates === null) {
    return em.query(`
      SELECT s.${line} AS line, f.first FROM ${table} s
      JOIN (SELECT id_number, min(${line}) AS first FROM ${table} GROUP BY id_number HAVING count(*) > 1) f
        USING (id_number)
      WHERE s.${line} <> f.first`);
  }
  if (candidates.length === 0) return [];
  return em.query(
    `SELECT line, first FROM (
       SELECT ${line} AS line, min(${line}) OVER (PARTITION BY id_number) AS first FROM ${table}
       WHERE id_number = ANY($1::char(18)[])
     ) c WHERE line <> first`,
    [candidates],
  );
}
