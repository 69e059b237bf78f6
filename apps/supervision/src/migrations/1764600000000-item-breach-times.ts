import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An item's row in item_settlement keeps its latest breach too (the breach event's time), so
 * that a settlement older than a repeated breach, handled after it (back from the retry
 * queue), no longer settles the item: a breach and a settlement of one item both write this
 * row, so they take turns and each decides on what the other committed. A row may now hold
 * only a breach. Items breached before this runs have no breach time: a late settlement
 * settles them as before, until they breach again.
 */
export class ItemBreachTimes1764600000000 implements MigrationInterface {
  name = 'ItemBreachTimes1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE item_settlement ALTER COLUMN occurred_at DROP NOT NULL, ADD COLUMN breached_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM item_settlement WHERE occurred_at IS NULL`);
    await q.query(
      `ALTER TABLE item_settlement DROP COLUMN breached_at, ALTER COLUMN occurred_at SET NOT NULL`,
    );
  }
}
