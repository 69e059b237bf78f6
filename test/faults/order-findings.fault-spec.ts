import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ensureDatabase } from '@edu/persistence';
import { TEST_DATABASE_URL } from '@edu/testing';
import { orderFindings } from './support/pipeline-run.js';

/*
 * The fault suite's order findings on effects written by hand, so that each assertion the suite
 * makes on them is seen to fail when its property is broken. One subject; seqs from 0.
 */

const producer = `t_order_p_${randomBytes(3).toString('hex')}`;
const consumer = `t_order_c_${randomBytes(3).toString('hex')}`;
let db: pg.Pool;

beforeAll(async () => {
  await ensureDatabase(TEST_DATABASE_URL);
  db = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
  await db.query(`CREATE SCHEMA ${producer}`);
  await db.query(`CREATE SCHEMA ${consumer}`);
  await db.query(`CREATE TABLE ${producer}.business (subject text NOT NULL, seq int NOT NULL)`);
  await db.query(
    `CREATE TABLE ${consumer}.effect (n bigserial PRIMARY KEY, event_id uuid NOT NULL, subject text NOT NULL, seq int NOT NULL)`,
  );
});

afterAll(async () => {
  await db.query(`DROP SCHEMA IF EXISTS ${producer} CASCADE`);
  await db.query(`DROP SCHEMA IF EXISTS ${consumer} CASCADE`);
  await db.end();
});

const eventOf = (seq: number) => `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;

/** The producer committed `written`; the consumer applied `applied` in that order; `retried` were retried. */
async function findings(written: number[], applied: number[], retried: number[] = []) {
  await db.query(`TRUNCATE ${producer}.business, ${consumer}.effect`);
  for (const seq of written) await db.query(`INSERT INTO ${producer}.business VALUES ('s', $1)`, [seq]);
  for (const seq of applied)
    await db.query(`INSERT INTO ${consumer}.effect (event_id, subject, seq) VALUES ($1, 's', $2)`, [
      eventOf(seq),
      seq,
    ]);
  return orderFindings(db, producer, consumer, new Set(retried.map(eventOf)));
}

const none = { reordered: 0, reorderedNotRetried: 0, gaps: 0, unfilled: 0, lost: 0 };

describe('the fault suite order findings', () => {
  it('find nothing in effects applied in order', async () => {
    await expect(findings([0, 1, 2, 3], [0, 1, 2, 3])).resolves.toEqual(none);
  });

  it('tell a retried event applied late from one that was not', async () => {
    // 3 skips 2, which comes back later: one gap, one reordered effect, nothing missing.
    await expect(findings([0, 1, 2, 3, 4], [0, 1, 3, 4, 2], [2])).resolves.toEqual({
      ...none,
      reordered: 1,
      gaps: 1,
    });
    await expect(findings([0, 1, 2, 3, 4], [0, 1, 3, 4, 2])).resolves.toEqual({
      ...none,
      reordered: 1,
      reorderedNotRetried: 1,
      gaps: 1,
    });
    await expect(findings([0, 1, 2], [1, 2, 0], [0])).resolves.toEqual({ ...none, reordered: 1, gaps: 1 });
  });

  it('tell a seq the producer never committed from a lost one', async () => {
    await expect(findings([0, 1, 3, 4], [0, 1, 3, 4])).resolves.toEqual({ ...none, gaps: 1, unfilled: 1 });
    await expect(findings([0, 1, 2, 3, 4], [0, 1, 3, 4])).resolves.toEqual({
      ...none,
      gaps: 1,
      unfilled: 1,
      lost: 1,
    });
    // The last one lost leaves no gap behind it.
    await expect(findings([0, 1, 2, 3], [0, 1, 2])).resolves.toEqual({ ...none, lost: 1 });
  });
});
