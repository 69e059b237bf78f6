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

  describe('insert: events whose effect is one row', () => {
    /** The statements the inbox's transactions send, from TypeORM's BeforeQuery event. */
    function recordStatements(): { texts: string[]; stop: () => void } {
      const texts: string[] = [];
      const subscriber = { beforeQuery: (event: { query: string }) => void texts.push(event.query) };
      db.dataSource.subscribers.push(subscriber);
      return {
        texts,
        stop: () => db.dataSource.subscribers.splice(db.dataSource.subscribers.indexOf(subscriber), 1),
      };
    }

    it('writes the rows of a batch in one statement, and skips duplicates', async () => {
      const inbox = new Inbox(db.dataSource, { maxBatch: 16, concurrency: 1 });
      const subject = randomUUID();
      const ids = Array.from({ length: 40 }, () => randomUUID());
      const statements = recordStatements();
      const results = await Promise.all([
        ...ids.map((id, i) =>
          inbox.insert('test.rows', { id }, 'effects', { event_id: id, subject, seq: i }),
        ),
        inbox.insert('test.rows', { id: ids[5] }, 'effects', { event_id: ids[5], subject, seq: -1 }),
      ]);
      statements.stop();
      expect(results.slice(0, 40).every((handled) => handled)).toBe(true);
      expect(results[40]).toBe(false);
      const rows = await db.dataSource.query<{ event_id: string; seq: number }[]>(
        'SELECT event_id, seq FROM effects WHERE subject = $1 ORDER BY seq',
        [subject],
      );
      expect(rows).toEqual(ids.map((event_id, seq) => ({ event_id, seq })));
      // 41 events in batches of at most 16: three or four statements of rows, not 40.
      const inserts = statements.texts.filter((t) => t.includes('INSERT INTO effects'));
      expect(inserts.length).toBeGreaterThanOrEqual(3);
      expect(inserts.length).toBeLessThanOrEqual(4);
      expect(inserts.every((t) => t.includes('jsonb_populate_recordset'))).toBe(true);
    });

    it('rolls back only the event whose row fails, and commits rows and handlers together', async () => {
      const inbox = new Inbox(db.dataSource, { maxBatch: 16, concurrency: 1 });
      const subject = randomUUID();
      // Hold the only transaction slot, so the next events queue up into one batch.
      let release = () => {};
      const gate = new Promise<void>((r) => (release = r));
      const blocker = inbox.handle('test.rows', { id: randomUUID() }, () => gate);
      const ids = Array.from({ length: 6 }, () => randomUUID());
      const calls = ids.map((id, i) =>
        i === 4
          ? inbox.handle('test.rows', { id }, async (em) => {
              await em.query('INSERT INTO effects (event_id, subject, seq) VALUES ($1, $2, $3)', [
                id,
                subject,
                i,
              ]);
            })
          : // Event 2's row breaks a NOT NULL constraint.
            inbox.insert('test.rows', { id }, 'effects', { event_id: i === 2 ? null : id, subject, seq: i }),
      );
      release();
      await blocker;
      const results = await Promise.allSettled(calls);
      expect(results.map((r) => r.status)).toEqual([
        'fulfilled',
        'fulfilled',
        'rejected',
        'fulfilled',
        'fulfilled',
        'fulfilled',
      ]);
      expect(results[2]).toMatchObject({ reason: { driverError: { code: '23502' } } });
      const seqs = await db.dataSource.query<{ seq: number }[]>(
        'SELECT seq FROM effects WHERE subject = $1 ORDER BY seq',
        [subject],
      );
      expect(seqs.map((r) => r.seq)).toEqual([0, 1, 3, 4, 5]);
      // The failed event left no inbox row: its redelivery is handled.
      await expect(
        inbox.insert('test.rows', { id: ids[2] }, 'effects', { event_id: ids[2], subject, seq: 2 }),
      ).resolves.toBe(true);
    });

    it('refuses a table or column name it would have to quote', async () => {
      const inbox = new Inbox(db.dataSource);
      await expect(
        inbox.insert('test.rows', { id: randomUUID() }, 'effects; DROP TABLE inbox', { seq: 1 }),
      ).rejects.toThrow(/lower-case table and column names/);
      await expect(inbox.insert('test.rows', { id: randomUUID() }, 'effects', { 'Seq"': 1 })).rejects.toThrow(
        /Seq"/,
      );
      await expect(inbox.insert('test.rows', { id: randomUUID() }, 'effects', {})).rejects.toThrow(
        /at least one column/,
      );
    });
  });
});
