import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import type { EntityManager } from 'typeorm';
import { STUDENT_COLUMNS } from '../src/registry/domain/registry-rows.js';
import { applyRegistry, directTarget } from '../src/registry/persistence/registry-apply.js';
import { migrations } from '../src/migrations/index.js';

const columns = STUDENT_COLUMNS.filter((c) => c !== 'id_number');

/**
 * A first load of `rows` students straight into the empty registry, the rows written as the
 * import's COPY would (line, ID number, the file's columns); the ID number of line 2 comes
 * again on the last line. Then the registry's apply, in the same transaction.
 */
async function firstLoad(em: EntityManager, rows: number) {
  const importId = randomUUID();
  const target = await directTarget(em, 'student_registry', columns, importId);
  if (!target) throw new Error('the registry should be empty');
  await em.query(
    `INSERT INTO student_registry (${target.columns.join(', ')})
     SELECT i, lpad(CASE WHEN i = $1 THEN 2 ELSE i END::text, 18, '0'), 'child ' || i,
       DATE '2005-01-01' + (i % 3650), '150821', 'WY-001', 'Wuyuan No. 1', 'primary', 3,
       CASE WHEN i % 50 = 0 THEN 'dropped' ELSE 'enrolled' END, 'none'
     FROM generate_series(2, $1) AS i`,
    [rows + 1],
  );
  return applyRegistry(
    em,
    {
      by: { sub: 'admin', role: 'city_admin' },
      scope: undefined,
      importId,
      stage: 'student_registry',
      rowsStaged: rows,
      direct: true,
    },
    { table: 'student_registry', columns, repeatCandidates: [lpad18(2)] },
  );
}

const lpad18 = (n: number) => String(n).padStart(18, '0');

describe('a registry first load on the real database: repeats, key and statistics', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('regapply', [], migrations);
  });

  afterAll(async () => {
    await db?.drop();
  });

  const statistics = () =>
    db.dataSource.query<{ attname: string; bounds: number | null }[]>(
      `SELECT attname, array_length(histogram_bounds::text::text[], 1) AS bounds FROM pg_stats
       WHERE schemaname = current_schema() AND tablename = 'student_registry' ORDER BY attname`,
    );

  it('leaves a small load unanalysed, to autovacuum', async () => {
    const result = await db.dataSource.transaction((em) => firstLoad(em, 500));
    expect(result.inserted).toBe(499);
    expect(await statistics()).toEqual([]);
  });

  it('drops the later repeat, builds the key, and analyses a large load on a small sample', async () => {
    await db.dataSource.query('TRUNCATE student_registry');
    const result = await db.dataSource.transaction((em) => firstLoad(em, 12_000));
    expect(result).toEqual({
      inserted: 11_999,
      updated: 0,
      unchanged: 0,
      problems: [{ line: 12_001, field: 'id_number', reason: 'repeats the ID number of line 2' }],
    });
    const [{ rows, first }] = await db.dataSource.query<{ rows: number; first: number }[]>(
      `SELECT count(*)::int AS rows, min(import_line) FILTER (WHERE id_number = $1) AS first FROM student_registry`,
      [lpad18(2)],
    );
    expect({ rows, first }).toEqual({ rows: 11_999, first: 2 });
    // The primary key is back: a second row with the same ID number is refused.
    await expect(
      db.dataSource.query(
        `INSERT INTO student_registry (id_number, name, birth_date, county_code, school_code, school_name, stage,
           grade, enrolment_status, disability_level, import_id)
         SELECT id_number, name, birth_date, county_code, school_code, school_name, stage, grade,
           enrolment_status, disability_level, import_id FROM student_registry LIMIT 1`,
      ),
    ).rejects.toThrow(/student_registry_pkey/);
    // Analysed before the cross-check reads it, at a statistics target of 10 (at most 11 bounds).
    const stats = await statistics();
    expect(stats.map((s) => s.attname)).toEqual(
      expect.arrayContaining(['birth_date', 'enrolment_status', 'id_number']),
    );
    const birth = stats.find((s) => s.attname === 'birth_date');
    expect(birth?.bounds).toBeGreaterThan(1);
    expect(birth?.bounds).toBeLessThanOrEqual(11);
  });

  it('then stages a later load: rows updated and inserted, the staged file analysed on a small sample too', async () => {
    const result = await db.dataSource.transaction(async (em) => {
      // As the import runner stages a file: its lines and the kind's staging columns.
      await em.query(
        `CREATE TEMP TABLE registry_stage (line int, id_number char(18) COLLATE "C", name text, birth_date date,
           county_code char(6), school_code text, school_name text, stage text, grade smallint,
           enrolment_status text, disability_level text) ON COMMIT DROP`,
      );
      // Every child of the first load renamed, and one new child.
      await em.query(
        `INSERT INTO registry_stage
         SELECT i, lpad(i::text, 18, '0'), 'renamed ' || i, DATE '2005-01-01' + (i % 3650), '150821', 'WY-001',
           'Wuyuan No. 1', 'primary', 3, CASE WHEN i % 50 = 0 THEN 'dropped' ELSE 'enrolled' END, 'none'
         FROM generate_series(2, 12001) AS i`,
      );
      const applied = await applyRegistry(
        em,
        {
          by: { sub: 'admin', role: 'city_admin' },
          scope: undefined,
          importId: randomUUID(),
          stage: 'registry_stage',
          rowsStaged: 12_000,
          direct: false,
        },
        { table: 'student_registry', columns, repeatCandidates: [] },
      );
      const [stage] = await em.query<{ bounds: number }[]>(
        `SELECT array_length(histogram_bounds::text::text[], 1) AS bounds FROM pg_stats
         WHERE tablename = 'registry_stage' AND attname = 'birth_date'`,
      );
      return { applied, stageBounds: stage?.bounds };
    });
    expect(result.applied).toEqual({ inserted: 1, updated: 11_999, unchanged: 0, problems: [] });
    expect(result.stageBounds).toBeGreaterThan(1);
    expect(result.stageBounds).toBeLessThanOrEqual(11);
    const [{ renamed }] = await db.dataSource.query<{ renamed: number }[]>(
      `SELECT count(*)::int AS renamed FROM student_registry WHERE name LIKE 'renamed %'`,
    );
    expect(renamed).toBe(12_000);
  });
});
