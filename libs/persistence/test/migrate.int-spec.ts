import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createDataSource, ensureDatabase, runMigrations } from '../src/index.js';
import { TEST_DATABASE_URL, uniqueName } from '@edu/testing';

class First1764400000100 implements MigrationInterface {
  name = 'First1764400000100';
  async up(q: QueryRunner) {
    // Slow enough that concurrent runners would overlap without the lock.
    await q.query('SELECT pg_sleep(0.3)');
    await q.query('CREATE TABLE widget (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE widget');
  }
}

class Second1764400000200 implements MigrationInterface {
  name = 'Second1764400000200';
  async up(q: QueryRunner) {
    await q.query('ALTER TABLE widget ADD COLUMN name text');
  }
  async down(q: QueryRunner) {
    await q.query('ALTER TABLE widget DROP COLUMN name');
  }
}

describe('runMigrations', () => {
  it('lets many replicas start at once: each migration runs exactly once', async () => {
    await ensureDatabase(TEST_DATABASE_URL);
    const schema = uniqueName('t_migrate');
    const sources = Array.from({ length: 4 }, () =>
      createDataSource(
        { url: TEST_DATABASE_URL, schema, poolSize: 2 },
        [],
        [First1764400000100, Second1764400000200],
      ),
    );
    await Promise.all(sources.map((s) => s.initialize()));
    try {
      const ran = await Promise.all(sources.map((s) => runMigrations(s, schema)));
      expect(ran.flat().sort()).toEqual(['First1764400000100', 'Second1764400000200']);
      const rows = await sources[0].query<{ name: string }[]>('SELECT name FROM migrations ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(['First1764400000100', 'Second1764400000200']);
      await expect(runMigrations(sources[1], schema)).resolves.toEqual([]);
    } finally {
      await sources[0].query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(sources.map((s) => s.destroy()));
    }
  });

  it('creates a missing database, and tolerates it existing', async () => {
    const name = uniqueName('edu_t_create');
    const url = TEST_DATABASE_URL.replace(/\/[^/]+$/, `/${name}`);
    await ensureDatabase(url);
    await ensureDatabase(url);
    const ds = createDataSource({ url, poolSize: 1 }, [], []);
    await ds.initialize();
    await expect(ds.query('SELECT current_database() AS db')).resolves.toEqual([{ db: name }]);
    await ds.destroy();
    const admin = createDataSource({ url: TEST_DATABASE_URL, poolSize: 1 }, [], []);
    await admin.initialize();
    await admin.query(`DROP DATABASE "${name}"`);
    await admin.destroy();
  });
});
