import { QueryFailedError, type DataSource, type QueryRunner } from 'typeorm';
import { createDataSource } from '../src/index.js';
import { TEST_DATABASE_URL, uniqueName } from '@edu/testing';

describe('StatementCachingClient (through createDataSource)', () => {
  const schema = uniqueName('t_stmt');
  let ds: DataSource;
  let runner: QueryRunner;

  const preparedHere = async (): Promise<string[]> =>
    (
      (await runner.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')) as {
        statement: string;
      }[]
    ).map((r) => r.statement);

  beforeAll(async () => {
    ds = createDataSource({ url: TEST_DATABASE_URL, schema, poolSize: 2 }, [], []);
    await ds.initialize();
    await ds.query(`CREATE SCHEMA "${schema}"`);
    await ds.query('CREATE TABLE widget (id int PRIMARY KEY, name text NOT NULL)');
    runner = ds.createQueryRunner();
    await runner.connect();
  });

  afterAll(async () => {
    await runner.release();
    await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await ds.destroy();
  });

  it('prepares an insert once per connection and gives the same results as before', async () => {
    const insert = 'INSERT INTO widget (id, name) VALUES ($1, $2) RETURNING id, name';
    for (let i = 1; i <= 3; i++)
      await expect(runner.query(insert, [i, `w${i}`])).resolves.toEqual([{ id: i, name: `w${i}` }]);
    await runner.query('SELECT name FROM widget WHERE id = $1', [1]);
    await runner.query(
      'INSERT INTO widget (id, name) SELECT $1::int + 10, name FROM widget WHERE id = $1',
      [1],
    );

    const statements = await preparedHere();
    expect(statements.filter((s) => s === insert)).toHaveLength(1);
    expect(statements.some((s) => s.startsWith('SELECT name'))).toBe(false);
    expect(statements.some((s) => s.includes('SELECT $1::int + 10'))).toBe(false);
    await expect(runner.query('SELECT count(*)::int AS n FROM widget')).resolves.toEqual([{ n: 4 }]);
  });

  it('fails as before (QueryFailedError with the driver code), and the connection goes on', async () => {
    const insert = 'INSERT INTO widget (id, name) VALUES ($1, $2)';
    await runner.startTransaction();
    await runner.query(insert, [100, 'a']);
    const failed = runner.query(insert, [100, 'b']);
    await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
    await expect(failed).rejects.toMatchObject({ driverError: { code: '23505' } });
    await runner.rollbackTransaction();
    await runner.query(insert, [100, 'c']);
    await expect(runner.query('SELECT name FROM widget WHERE id = $1', [100])).resolves.toEqual([
      { name: 'c' },
    ]);
  });

  it('follows the table when it is dropped and made again with other columns', async () => {
    const insert = 'INSERT INTO gadget (id, name) VALUES ($1, $2)';
    await runner.query('CREATE TABLE gadget (id int PRIMARY KEY, name text)');
    await runner.query(insert, [1, 'old']);
    await runner.query('DROP TABLE gadget');
    await runner.query('CREATE TABLE gadget (extra int DEFAULT 7, name text, id int PRIMARY KEY)');
    await runner.query(insert, [2, 'new']);
    await expect(runner.query('SELECT id, name, extra FROM gadget')).resolves.toEqual([
      { id: 2, name: 'new', extra: 7 },
    ]);
    expect((await preparedHere()).filter((s) => s === insert)).toHaveLength(1);
  });
});
