import { STATEMENT_CACHE_SIZE, isPlanStable, statementName } from './statement-cache.js';

describe('isPlanStable', () => {
  it.each([
    'INSERT INTO business (id, subject, seq) VALUES ($1, $2, $3)',
    'insert into "effect"("event_id", "pid") values ($1, DEFAULT) RETURNING "n"',
    '\n  INSERT\n  INTO outbox (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET id = EXCLUDED.id',
    'INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)',
  ])('prepares an insert of parameters: %s', (text) => {
    expect(isPlanStable(text)).toBe(true);
  });

  it.each([
    'SELECT * FROM outbox WHERE seq = $1',
    'UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])',
    'INSERT INTO inbox (consumer, event_id) SELECT * FROM unnest($1::text[], $2::uuid[])',
    'INSERT INTO t (a) VALUES ((SELECT max(a) FROM t WHERE b = $1))',
    'WITH x AS (SELECT $1::int AS a) INSERT INTO t (a) VALUES ($1)',
    'INSERT INTO t (a) VALUES (1)',
    'INSERT INTO t (a) VALUES ($1) RETURNING *',
    'INSERT INTO t DEFAULT VALUES',
    'DELETE FROM t WHERE a = $1',
    '',
  ])('leaves anything that reads a table, or has no parameter, unprepared: %s', (text) => {
    expect(isPlanStable(text)).toBe(false);
  });
});

describe('statementName', () => {
  it('names a text once, the same name every time, and stops at the cap', () => {
    const first = statementName('INSERT INTO a (x) VALUES ($1)');
    expect(first).toMatch(/^edu_stmt_\d+$/);
    expect(statementName('INSERT INTO a (x) VALUES ($1)')).toBe(first);
    expect(statementName('SELECT $1::int')).toBeUndefined();

    const named = new Set<string | undefined>([first]);
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 10; i++)
      named.add(statementName(`INSERT INTO t${i} (x) VALUES ($1)`));
    expect(named.has(undefined)).toBe(true);
    named.delete(undefined);
    expect(named.size).toBe(STATEMENT_CACHE_SIZE);
    // Known texts keep their names past the cap; new ones run unnamed.
    expect(statementName('INSERT INTO a (x) VALUES ($1)')).toBe(first);
    expect(statementName('INSERT INTO brand_new (x) VALUES ($1)')).toBeUndefined();
  });
});
