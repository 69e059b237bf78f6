import pg from 'pg';
import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { SnakeNamingStrategy } from './naming.js';
import { StatementCachingClient } from './statement-cache.js';

export interface DatabaseConfig {
  /** postgres://user[:password]@host:port/database: the owner, who runs the migrations. */
  url: string;
  /**
   * The role the service's own pool connects as, if not the owner: the migrations grant it what
   * the service needs and nothing on the audit log beyond INSERT and SELECT (`grantRuntimeRole`).
   */
  runtimeUrl?: string;
  /** A schema to work in (tests use one per suite); default public. */
  schema?: string;
  poolSize?: number;
  /** Shown in pg_stat_activity (defaults to the service name where services set it). */
  applicationName?: string;
}

type Entities = MixedList<string | (new () => unknown) | EntitySchema>;
type Migrations = MixedList<string | (new () => unknown)>;

const SAFE_IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export function identifier(name: string, what: string): string {
  if (!SAFE_IDENT.test(name)) throw new Error(`${what} "${name}" must match ${SAFE_IDENT.source}`);
  return name;
}

/** Creates the service's database if it does not exist yet (connecting to the server's `postgres` db). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = identifier(decodeURIComponent(target.pathname.slice(1)), 'database name');
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (e) {
        // Another replica created it between our check and our create.
        if ((e as { code?: string }).code !== '42P04' && (e as { code?: string }).code !== '23505') throw e;
      }
    }
  } finally {
    await client.end();
  }
}

export function dataSourceOptions(
  config: DatabaseConfig,
  entities: Entities,
  migrations: Migrations,
): DataSourceOptions {
  const schema = config.schema ? identifier(config.schema, 'schema') : undefined;
  return {
    type: 'postgres',
    url: config.runtimeUrl ?? config.url,
    applicationName: config.applicationName,
    schema,
    entities,
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: config.poolSize ?? 10,
      // Inserts run as prepared statements (see StatementCachingClient).
      Client: StatementCachingClient,
      // Unqualified SQL in migrations and repositories lands in the chosen schema.
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    },
  };
}

export function createDataSource(
  config: DatabaseConfig,
  entities: Entities,
  migrations: Migrations,
): DataSource {
  return new DataSource(dataSourceOptions(config, entities, migrations));
}
