import 'reflect-metadata';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { migrations } from '../src/migrations/index.js';
import { CrosscheckChildPartitions1764600000000 } from '../src/migrations/1764600000000-crosscheck-child-partitions.js';

const RUN_1 = '01a25295-fc27-787b-a73b-3fa9c7bdee13';
const RUN_2 = '01a25296-080e-7864-af58-69710745a99f';

describe('the child-level ledger moved into a partition per run (migration), on the real database', () => {
  let db: TestDatabase;
  const migration = new CrosscheckChildPartitions1764600000000();

  const rows = () =>
    db.dataSource.query<Record<string, unknown>[]>(
      'SELECT run_id, id_number, county_code, age, finding, action, case_id FROM crosscheck_child ORDER BY run_id, id_number',
    );
  const partitions = async () =>
    (
      await db.dataSource.query<{ part: string }[]>(
        `SELECT c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'crosscheck_child'::regclass ORDER BY c.relname`,
      )
    ).map((p) => p.part);
  const constraints = async () =>
    (
      await db.dataSource.query<{ name: string }[]>(
        `SELECT conname AS name FROM pg_constraint WHERE conrelid = 'crosscheck_child'::regclass ORDER BY conname`,
      )
    ).map((c) => c.name);
  const migrate = async (direction: 'up' | 'down') => {
    const runner = db.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await migration[direction](runner);
      await runner.commitTransaction();
    } catch (e) {
      await runner.rollbackTransaction();
      throw e;
    } finally {
      await runner.release();
    }
  };

  beforeAll(async () => {
    const before = migrations.filter((m) => m !== CrosscheckChildPartitions1764600000000);
    expect(before).toHaveLength(migrations.length - 1);
    db = await createTestDatabase('ledger_partitions', [], before);
    await db.dataSource.query(
      `INSERT INTO crosscheck_child (run_id, id_number, county_code, age, finding, action, case_id) VALUES
         ($1, '150821201203150011', '150821', 8, NULL, NULL, NULL),
         ($1, '150821201005010023', '150821', 10, 'not_in_registry', 'open', gen_random_uuid()),
         ($2, '150821201005010023', '150821', 10, 'not_in_registry', 'tracked', gen_random_uuid()),
         ($2, '150822201101010108', '150822', 9, 'dropped', 'explained', NULL),
         ($2, '150821201111110054', '150821', 8, NULL, 'review', NULL)`,
      [RUN_1, RUN_2],
    );
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('moves each run’s rows into a partition of its own, keyed as before, and back down again', async () => {
    const kept = await rows();
    expect(kept).toHaveLength(5);

    await migrate('up');
    await expect(rows()).resolves.toEqual(kept);
    await expect(partitions()).resolves.toEqual([
      `crosscheck_child_${RUN_1.replace(/-/g, '')}`,
      `crosscheck_child_${RUN_2.replace(/-/g, '')}`,
    ]);
    await expect(constraints()).resolves.toEqual([
      'crosscheck_child_action_check',
      'crosscheck_child_finding_check',
      'crosscheck_child_pkey',
    ]);
    // The key and the checks hold across partitions; a row of a run with no partition has nowhere to go.
    await expect(
      db.dataSource.query(
        `INSERT INTO crosscheck_child (run_id, id_number, county_code, age) VALUES ($1, '150821201203150011', '150821', 8)`,
        [RUN_1],
      ),
    ).rejects.toThrow(/duplicate key/);
    await expect(
      db.dataSource.query(
        `INSERT INTO crosscheck_child (run_id, id_number, county_code, age, action) VALUES ($1, '150821201203150029', '150821', 8, 'ignored')`,
        [RUN_1],
      ),
    ).rejects.toThrow(/check constraint/);
    await expect(
      db.dataSource.query(
        `INSERT INTO crosscheck_child (run_id, id_number, county_code, age) VALUES (gen_random_uuid(), '150821201203150011', '150821', 8)`,
      ),
    ).rejects.toThrow(/no partition/);

    await migrate('down');
    await expect(rows()).resolves.toEqual(kept);
    await expect(partitions()).resolves.toEqual([]);
    await expect(constraints()).resolves.toEqual([
      'crosscheck_child_action_check',
      'crosscheck_child_finding_check',
      'crosscheck_child_pkey',
    ]);
  });
});
