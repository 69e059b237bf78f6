import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@edu/testing';
import { Inbox, MessagingTables1764400000000 } from '../src/index.js';
import { EffectsTable1764400000001 } from './messaging-fixture.js';

describe('Inbox group commit on the real database', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('inbox', [], [MessagingTables1764400000000, EffectsTable1764400000001]);
  });
  afterAll(() => db.drop());

  const effects = async (subject: string) =>
    (
      await db.dataSource.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM effects WHERE subject = $1',
        [subject],
      )
    )[0].n;

  it('commits many events together, rolls back only the failing ones, and skips duplicates', async () => {
    const inbox = new Inbox(db.dataSource, { maxBatch: 16, concurrency: 1 });
    const subject = randomUUID();
    const ids = Array.from({ length: 40 }, () => randomUUID());
    const calls = ids.map((id, i) =>
      inbox.handle('test.batch', { id }, async (em) => {
        await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [id, subject, i]);
        if (i % 10 === 3) throw new Error(`handler ${i} fails`);
      }),
    );
    // The same event twice while the first is still in flight.
    const again = inbox.handle('test.batch', { id: ids[0] }, async (em) => {
      await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, -1)', [ids[0], subject]);
    });
    const results = await Promise.allSettled([...calls, again]);
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [i] : []));
    expect(failed).toEqual([3, 13, 23, 33]);
    expect(results[40]).toEqual({ status: 'fulfilled', value: false });
    expect(await effects(subject)).toBe(36);
    // Failed events left no inbox row: their redelivery will be handled.
    const rows = await db.dataSource.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])',
      ['test.batch', failed.map((i) => ids[i])],
    );
    expect(rows[0].n).toBe(0);
    await expect(inbox.handle('test.batch', { id: ids[3] }, async () => undefined)).resolves.toBe(true);
  });

  it('rejects the whole batch when the transaction cannot commit', async () => {
    const inbox = new Inbox(db.dataSource, { maxBatch: 8, concurrency: 1 });
    const subject = randomUUID();
    // A deferred unique constraint is checked at COMMIT, after every savepoint was released.
    await db.dataSource.query(
      'CREATE TABLE deferred_once (k int, CONSTRAINT once UNIQUE (k) DEFERRABLE INITIALLY DEFERRED)',
    );
    // Hold the only transaction slot so that the next three events queue up into one batch.
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const blocker = inbox.handle('test.commit', { id: randomUUID() }, () => gate);
    const calls = [0, 1, 2].map((i) =>
      inbox.handle('test.commit', { id: randomUUID() }, async (em) => {
        await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
          randomUUID(),
          subject,
          i,
        ]);
        await em.query('INSERT INTO deferred_once (k) VALUES (1)');
      }),
    );
    release();
    await expect(blocker).resolves.toBe(true);
    const results = await Promise.allSettled(calls);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await effects(subject)).toBe(0);
  });
});
