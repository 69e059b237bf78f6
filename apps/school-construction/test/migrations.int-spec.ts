import 'reflect-metadata';
import { MessagingTables1764400000000 } from '@edu/messaging';
import { createDataSource, runMigrations } from '@edu/persistence';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { Projects1764400001000 } from '../src/migrations/1764400001000-projects.js';
import { migrations } from '../src/migrations/index.js';

/** A database the foundation slice created (messaging tables and projects) moves to the complete schema. */
describe('school-construction migrations on a foundation-era database', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    // Only the migrations the foundation slice shipped.
    db = await createTestDatabase(
      'construction_upgrade',
      [],
      [MessagingTables1764400000000, Projects1764400001000],
    );
    await db.dataSource.query(
      `INSERT INTO project (id, name, kind, county_code, site_code, capacity_seats, created_at) VALUES
         ('00000000-0000-4000-8000-000000000001', '安置点学校', 'relocation_site_school', '150825', 'SITE-A', 600,
          '2020-06-30T17:00:00Z'),
         ('00000000-0000-4000-8000-000000000002', '安置点学校二期', 'relocation_site_school', '150825', 'SITE-A', 300,
          '2020-07-01T00:00:00Z')`,
    );
  });

  afterAll(() => db?.drop());

  it('runs the later migrations, dating existing projects in Beijing time and knowing their sites', async () => {
    const ds = createDataSource({ url: db.url, schema: db.schema, poolSize: 2 }, [], migrations);
    await ds.initialize();
    try {
      await expect(runMigrations(ds, db.schema)).resolves.toEqual([
        'ImportTables1764400000500',
        'ConstructionComplete1764400008000',
        'AuditLog1764500000000',
      ]);
    } finally {
      await ds.destroy();
    }
    await expect(
      db.dataSource.query('SELECT registered_on::text AS d, spent_fen::int AS s FROM project ORDER BY id'),
    ).resolves.toEqual([
      { d: '2020-07-01', s: 0 },
      { d: '2020-07-01', s: 0 },
    ]);
    await expect(db.dataSource.query('SELECT site_code, county_code FROM relocation_site')).resolves.toEqual([
      { site_code: 'SITE-A', county_code: '150825' },
    ]);
    await expect(
      db.dataSource.query('SELECT stalled_after_days, overrun_tolerance_percent FROM monitoring_policy'),
    ).resolves.toEqual([{ stalled_after_days: 30, overrun_tolerance_percent: 0 }]);
  });
});
