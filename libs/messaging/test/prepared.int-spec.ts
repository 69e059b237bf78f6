import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { randomUUID } from 'node:crypto';
import { QueryFailedError } from 'typeorm';
import { prepared } from '@edu/persistence';
import { MessagingTables1764400000000, Outbox } from '../src/index.js';

describe('the library statements, prepared once per connection', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('prep', [], [MessagingTables1764400000000]);
  });
  afterAll(() => db.drop());

  it('prepares a statement on the transaction connection and reuses it', async () => {
    const seen = await db.dataSource.transaction(async (em) => {
      const out: string[][] = [];
      for (let i = 0; i < 3; i++) {
        const rows = await prepared<{ n: number }>(em, 'edu_test_add', 'SELECT $1::int + 1 AS n', [i]);
        expect(rows).toEqual([{ n: i + 1 }]);
        const statements = await em.query<{ name: string }[]>(
          `SELECT name FROM pg_prepared_statements WHERE name LIKE 'edu_test_%'`,
        );
        out.push(statements.map((s) => s.name));
      }
      return out;
    });
    // One prepared statement on that connection, from the first call on.
    expect(seen).toEqual([['edu_test_add'], ['edu_test_add'], ['edu_test_add']]);
  });

  it('fails as TypeORM fails, and leaves the transaction to roll back', async () => {
    await db.dataSource
      .query(`INSERT INTO inbox (consumer, event_id) VALUES ('c', '3f0e6c8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f')`)
      .catch(() => undefined);
    const attempt = db.dataSource.transaction(async (em) => {
      await prepared(em, 'edu_test_dup', 'INSERT INTO inbox (consumer, event_id) VALUES ($1, $2)', [
        'c',
        '3f0e6c8e-2b1a-4c3d-9e8f-0a1b2c3d4e5f',
      ]);
    });
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    await expect(attempt).rejects.toMatchObject({ driverError: { code: '23505' } });
    const rows = await db.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM inbox`);
    expect(rows[0].n).toBe(1);
  });

  it('runs a plain query when there is no transaction to hold a connection', async () => {
    await expect(prepared(db.dataSource.manager, 'edu_test_plain', 'SELECT 2 AS n', [])).resolves.toEqual([
      { n: 2 },
    ]);
  });
});

describe('Outbox.addMany', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('obmany', [], [MessagingTables1764400000000]);
  });
  afterAll(() => db.drop());

  const data = (amountDue: string) => ({
    entitlementId: randomUUID(),
    studentKey: 'b'.repeat(64),
    countyCode: '150821',
    schoolCode: 'S001',
    policyCode: 'P1',
    term: '2020-autumn',
    amountDue,
    amountPaid: '0',
    dueDate: '2020-10-31',
  });

  it('stores several events in one statement, in the order given, each envelope as built', async () => {
    const outbox = new Outbox('test-producer');
    const events = Array.from({ length: 7 }, (_, i) => ({
      key: 'aid.entitlement.overdue.v1' as const,
      data: data(String(100 + i)),
      meta: { subject: `s-${i % 2}`, county: '150821' },
    }));
    const envelopes = await db.dataSource.transaction((em) => outbox.addMany(em, events));
    const rows = await db.dataSource.query<
      { id: string; routing_key: string; subject: string; envelope: unknown }[]
    >('SELECT id, routing_key, subject, envelope FROM outbox ORDER BY seq');
    expect(rows).toEqual(
      envelopes.map((e) => ({
        id: e.id,
        routing_key: 'aid.entitlement.overdue.v1',
        subject: e.subject,
        envelope: JSON.parse(JSON.stringify(e)),
      })),
    );
    expect(rows.map((r) => (r.envelope as { data: { amountDue: string } }).data.amountDue)).toEqual([
      '100',
      '101',
      '102',
      '103',
      '104',
      '105',
      '106',
    ]);
  });

  it('builds envelopes apart from writing them, and writes the ones chosen, each as built', async () => {
    const outbox = new Outbox('test-producer');
    const envelopes = outbox.envelopes(
      Array.from({ length: 4 }, (_, i) => ({
        key: 'aid.entitlement.overdue.v1' as const,
        data: data(String(200 + i)),
        meta: { subject: `built-${i}`, county: '150821' },
      })),
    );
    expect(envelopes.map((e) => e.subject)).toEqual(['built-0', 'built-1', 'built-2', 'built-3']);
    const chosen = [envelopes[3], envelopes[1]];
    await db.dataSource.transaction((em) => outbox.addEnvelopes(em, chosen));
    const rows = await db.dataSource.query<{ subject: string; envelope: unknown }[]>(
      `SELECT subject, envelope FROM outbox WHERE subject LIKE 'built-%' ORDER BY seq`,
    );
    expect(rows).toEqual(
      chosen.map((e) => ({ subject: e.subject, envelope: JSON.parse(JSON.stringify(e)) })),
    );
  });
});
