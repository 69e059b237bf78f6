import type { DataSource } from 'typeorm';
import { grantRuntimeRole, type RuntimeRole } from './runtime-role.js';

/**
 * Runs pending migrations while holding a Postgres advisory lock, so that many replicas
 * (or a migration Job and a booting service) never migrate at once; then, under the same lock,
 * gives the runtime role (if any) what the service needs (`grantRuntimeRole`). Returns the
 * names run.
 */
export async function runMigrations(
  dataSource: DataSource,
  lockName: string,
  runtime?: RuntimeRole,
): Promise<string[]> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${lockName}`]);
    try {
      const schema = (dataSource.options as { schema?: string }).schema;
      if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      const done = await dataSource.runMigrations({ transaction: 'each' });
      if (runtime) await grantRuntimeRole(runner, schema, runtime);
      return done.map((m) => m.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${lockName}`]);
    }
  } finally {
    await runner.release();
  }
}
