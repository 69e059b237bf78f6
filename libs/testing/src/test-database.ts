import { randomBytes } from 'node:crypto';
import { createDataSource, ensureDatabase, runMigrations } from '@edu/persistence';
import type { DataSource, MixedList, EntitySchema } from 'typeorm';

export const TEST_PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
export const TEST_DATABASE_URL = `${TEST_PG_SERVER}/edu_test`;

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  dataSource: DataSource;
  schema: string;
  url: string;
  /** Drops the suite's schema and closes the pool. */
  drop(): Promise<void>;
}

/** A migrated DataSource in a schema of its own, so suites run in parallel and leave nothing behind. */
export async function createTestDatabase(
  prefix: string,
  entities: MixedList<string | (new () => unknown) | EntitySchema>,
  migrations: MixedList<string | (new () => unknown)>,
): Promise<TestDatabase> {
  await ensureDatabase(TEST_DATABASE_URL);
  const schema = uniqueName(`t_${prefix}`);
  const dataSource = createDataSource({ url: TEST_DATABASE_URL, schema, poolSize: 5 }, entities, migrations);
  await dataSource.initialize();
  await runMigrations(dataSource, schema);
  return {
    dataSource,
    schema,
    url: TEST_DATABASE_URL,
    async drop() {
      await dataSource.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await dataSource.destroy();
    },
  };
}
