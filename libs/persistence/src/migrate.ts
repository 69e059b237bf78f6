import type { DataSource } from 'typeorm';

/**
 * Runs pending migrations while holding a Postgres advisory lock, so that many replicas
 * (or a migration Job and a booting service) never migrate at once. Returns the names run.
 */
export async function runMigrations(dataSource: DataSource, lockName: string): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${lockName}`]);
    try {
      const schema = (dataSource.options as { schema?: string }).schema;
      if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const done = await dataSource.runMigrations({ transaction: 'each' });
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${lockName}`]);
    }
  } finally {
    await runner.release();
  }
}
