import type { MigrationInterface, QueryRunner } from 'typeorm';

const COLUMNS = `
  run_id uuid NOT NULL,
  id_number char(18) COLLATE "C" NOT NULL,
  county_code char(6) NOT NULL,
  age smallint NOT NULL,
  finding text CHECK (finding IN ('not_in_registry', 'suspended', 'dropped')),
  action text CHECK (action IN ('open', 'reopen', 'tracked', 'explained', 'review')),
  case_id uuid`;

/**
 * The child-level ledger becomes a table partitioned by run: each run writes its own partition
 * and builds its key in one sorted pass (instead of maintaining one shared key row by row), and
 * pruning an old run's ledger drops its partition instead of deleting its rows. The rows of
 * the runs already kept move into a partition each.
 */
export class CrosscheckChildPartitions1764600000000 implements MigrationInterface {
  name = 'CrosscheckChildPartitions1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE crosscheck_child RENAME TO crosscheck_child_unpartitioned');
    await q.query('ALTER INDEX crosscheck_child_pkey RENAME TO crosscheck_child_unpartitioned_pkey');
    // Constraint names are chosen unique in the schema: the old ones make way for the new table's.
    await renameChecks(
      q,
      'crosscheck_child_unpartitioned',
      'crosscheck_child',
      'crosscheck_child_unpartitioned',
    );
    await q.query(
      `CREATE TABLE crosscheck_child (${COLUMNS}, PRIMARY KEY (run_id, id_number)) PARTITION BY LIST (run_id)`,
    );
    const runs: { run_id: string }[] = await q.query(
      'SELECT DISTINCT run_id::text FROM crosscheck_child_unpartitioned',
    );
    for (const { run_id: run } of runs) {
      const part = `crosscheck_child_${run.replace(/-/g, '')}`;
      await q.query(
        `CREATE TABLE ${part} (LIKE crosscheck_child INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
           CONSTRAINT ${part}_run CHECK (run_id = '${run}'))`,
      );
      await q.query(
        `INSERT INTO ${part} SELECT * FROM crosscheck_child_unpartitioned WHERE run_id = $1 ORDER BY id_number`,
        [run],
      );
      await q.query(`ALTER TABLE ${part} ADD PRIMARY KEY (run_id, id_number)`);
      await q.query(`ALTER TABLE crosscheck_child ATTACH PARTITION ${part} FOR VALUES IN ('${run}')`);
    }
    await q.query('DROP TABLE crosscheck_child_unpartitioned');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE crosscheck_child_unpartitioned (${COLUMNS}, PRIMARY KEY (run_id, id_number))`,
    );
    await q.query(
      'INSERT INTO crosscheck_child_unpartitioned SELECT * FROM crosscheck_child ORDER BY run_id, id_number',
    );
    await q.query('DROP TABLE crosscheck_child');
    await q.query('ALTER TABLE crosscheck_child_unpartitioned RENAME TO crosscheck_child');
    await q.query('ALTER INDEX crosscheck_child_unpartitioned_pkey RENAME TO crosscheck_child_pkey');
    await renameChecks(q, 'crosscheck_child', 'crosscheck_child_unpartitioned', 'crosscheck_child');
  }
}

async function renameChecks(q: QueryRunner, table: string, from: string, to: string): Promise<void> {
  for (const column of ['finding', 'action'])
    await q.query(`ALTER TABLE ${table} RENAME CONSTRAINT ${from}_${column}_check TO ${to}_${column}_check`);
}
