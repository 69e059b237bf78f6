import { QueryFailedError, type DataSource, type QueryRunner } from 'typeorm';
import { createDataSource, ensureDatabase, insertWithNext } from '../src/index.js';
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
    await ensureDatabase(TEST_DATABASE_URL);
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

  describe("a transaction's BEGIN, and inserts nobody reads, sent with the next statement", () => {
    const insert = 'INSERT INTO widget (id, name) VALUES ($1, $2)';
    const names = async (): Promise<string[]> =>
      (await ds.query<{ name: string }[]>('SELECT name FROM widget WHERE id >= 1000 ORDER BY id')).map(
        (r) => r.name,
      );

    /** Writes the runner's socket makes (a corked batch of messages is one write). */
    async function countWrites(work: () => Promise<unknown>): Promise<number> {
      const stream = ((await runner.connect()) as { connection: { stream: Record<string, unknown> } })
        .connection.stream as { _write: (...a: unknown[]) => unknown; _writev: (...a: unknown[]) => unknown };
      const { _write, _writev } = stream;
      let writes = 0;
      stream._write = function (...a: unknown[]) {
        writes++;
        return _write.apply(this, a);
      };
      stream._writev = function (...a: unknown[]) {
        writes++;
        return _writev.apply(this, a);
      };
      try {
        await work();
      } finally {
        Object.assign(stream, { _write, _writev });
      }
      return writes;
    }

    afterEach(async () => {
      await ds.query('DELETE FROM widget WHERE id >= 1000');
    });

    it('takes three round trips for two inserts, and the transaction is real', async () => {
      const returning = 'INSERT INTO widget (id, name) VALUES ($1, $2) RETURNING id, name';
      // So that the named statement is parsed on this connection.
      await runner.query(returning, [999, 'parsed here']);
      const writes = await countWrites(async () => {
        await runner.startTransaction();
        // The carrying statement's result is its own, not the BEGIN's.
        await expect(runner.query(returning, [1000, 'a'])).resolves.toEqual([{ id: 1000, name: 'a' }]);
        await runner.query(insert, [1001, 'b']);
        // Another connection does not see them yet: they are in an open transaction.
        expect(await names()).toEqual([]);
        await runner.commitTransaction();
      });
      expect(writes).toBe(3);
      expect(await names()).toEqual(['a', 'b']);
    });

    it('rolls back what the carrying statement wrote, whatever carries it', async () => {
      const carriers: [string, unknown[]][] = [
        [insert, [1000, 'named, parsed']],
        ['INSERT INTO widget (id, name) SELECT $1::int, $2::text', [1001, 'unnamed']],
        ['INSERT INTO widget (id, name) VALUES ($1, $2) RETURNING id', [1002, 'named, new text']],
        ["INSERT INTO widget (id, name) VALUES (1003, 'no parameters')", []],
      ];
      for (const [text, values] of carriers) {
        await runner.startTransaction();
        await runner.query(text, values);
        await runner.rollbackTransaction();
      }
      expect(await names()).toEqual([]);
      await runner.query(insert, [1004, 'autocommit after']);
      expect(await names()).toEqual(['autocommit after']);
    });

    it('answers an empty transaction without going to Postgres', async () => {
      const writes = await countWrites(async () => {
        await runner.startTransaction();
        await runner.commitTransaction();
        await runner.startTransaction();
        await runner.rollbackTransaction();
      });
      expect(writes).toBe(0);
      // Nothing is left open: the next statement commits on its own.
      await runner.query(insert, [1000, 'after']);
      expect(await names()).toEqual(['after']);
    });

    it('fails as before when the carrying statement fails, and the connection goes on', async () => {
      await runner.query(insert, [1000, 'first']);
      await runner.startTransaction();
      const failed = runner.query(insert, [1000, 'again']);
      await expect(failed).rejects.toBeInstanceOf(QueryFailedError);
      await expect(failed).rejects.toMatchObject({ driverError: { code: '23505' } });
      // The transaction had begun: Postgres refuses more until it is rolled back.
      await expect(runner.query(insert, [1001, 'refused'])).rejects.toMatchObject({
        driverError: { code: '25P02' },
      });
      await runner.rollbackTransaction();
      await runner.query(insert, [1001, 'next']);
      expect(await names()).toEqual(['first', 'next']);
    });

    it('sends an insert nobody reads with the COMMIT: two round trips for two inserts', async () => {
      const em = runner.manager;
      await runner.startTransaction();
      await insertWithNext(em, insert, [998, 'prepares it here']); // the first time it runs at once
      await runner.commitTransaction();
      const writes = await countWrites(async () => {
        await runner.startTransaction();
        await runner.query(insert, [1000, 'a']);
        await insertWithNext(em, insert, [1001, 'with the commit']);
        // Not sent yet: Postgres has not seen it.
        expect(await names()).toEqual([]);
        await runner.commitTransaction();
      });
      expect(writes).toBe(2);
      expect(await names()).toEqual(['a', 'with the commit']);
    });

    it("fails the transaction's COMMIT when the held insert fails, and nothing commits", async () => {
      const em = runner.manager;
      await runner.query(insert, [1000, 'there before']);
      await runner.startTransaction();
      await runner.query(insert, [1001, 'rolled back']);
      await insertWithNext(em, insert, [1000, 'duplicate']);
      await expect(runner.commitTransaction()).rejects.toMatchObject({ driverError: { code: '23505' } });
      await runner.rollbackTransaction();
      expect(await names()).toEqual(['there before']);
    });

    it('drops what is held at ROLLBACK, and runs it before a statement that cannot carry it', async () => {
      const em = runner.manager;
      const writes = await countWrites(async () => {
        await runner.startTransaction();
        await insertWithNext(em, insert, [1000, 'dropped']);
        await runner.rollbackTransaction();
      });
      expect(writes).toBe(0);
      await runner.startTransaction();
      await insertWithNext(em, insert, [1001, 'seen by the next statement']);
      await expect(runner.query('SELECT count(*)::int AS n FROM widget WHERE id >= 1000')).resolves.toEqual([
        { n: 1 },
      ]);
      await runner.commitTransaction();
      // Outside a transaction it runs at once.
      await insertWithNext(em, insert, [1002, 'autocommit']);
      expect(await names()).toEqual(['seen by the next statement', 'autocommit']);
    });

    it('runs the statements of dataSource.transaction in one transaction', async () => {
      await expect(
        ds.transaction(async (em) => {
          await em.query(insert, [1000, 'inside']);
          await em.query(insert, [1000, 'duplicate']);
        }),
      ).rejects.toBeInstanceOf(QueryFailedError);
      await ds.transaction(async (em) => {
        await em.query('SET LOCAL statement_timeout = 5000');
        await em.query(insert, [1001, 'kept']);
      });
      expect(await names()).toEqual(['kept']);
    });
  });
});
