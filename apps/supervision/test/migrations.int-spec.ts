import 'reflect-metadata';
import { createDataSource, runMigrations } from '@edu/persistence';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { migrations } from '../src/migrations/index.js';

/** The item breach times on a database migrated before them, and back. */
describe('supervision migrations: item breach times', () => {
  let db: TestDatabase;
  const settledAt = new Date('2020-11-01T02:00:00Z');

  beforeAll(async () => {
    // Every migration before this one.
    db = await createTestDatabase('supervision_breach_times', [], migrations.slice(0, -1));
    await db.dataSource.query(`INSERT INTO item_settlement (item_key, occurred_at) VALUES ('settled', $1)`, [
      settledAt,
    ]);
  });

  afterAll(() => db?.drop());

  it('adds the breach time beside the settlement, and takes it away again', async () => {
    const ds = createDataSource({ url: db.url, schema: db.schema, poolSize: 2 }, [], migrations);
    await ds.initialize();
    try {
      await expect(runMigrations(ds, db.schema)).resolves.toEqual(['ItemBreachTimes1764600000000']);
      // A breach of an item not settled yet has a row of its own.
      await ds.query(`INSERT INTO item_settlement (item_key, breached_at) VALUES ('breached', $1)`, [
        settledAt,
      ]);
      await expect(
        ds.query('SELECT item_key, occurred_at, breached_at FROM item_settlement ORDER BY item_key'),
      ).resolves.toEqual([
        { item_key: 'breached', occurred_at: null, breached_at: settledAt },
        { item_key: 'settled', occurred_at: settledAt, breached_at: null },
      ]);

      await ds.undoLastMigration({ transaction: 'each' });
      // Only settlements are left, and a settlement needs its time again.
      await expect(ds.query('SELECT * FROM item_settlement')).resolves.toEqual([
        { item_key: 'settled', occurred_at: settledAt },
      ]);
      await expect(ds.query(`INSERT INTO item_settlement (item_key) VALUES ('none')`)).rejects.toThrow(
        /not-null/,
      );
      await expect(runMigrations(ds, db.schema)).resolves.toEqual(['ItemBreachTimes1764600000000']);
    } finally {
      await ds.destroy();
    }
  });
});
