import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An item settled in an open escalation and then reported again (a work-team shortfall back
 * after the days were corrected, an entitlement unpaid again after a reversal) rejoins it
 * instead of vanishing: when it came back, and the step it came back at, so that the next
 * step's notice reports it as new.
 */
export class ReopenedItems1764400008000 implements MigrationInterface {
  name = 'ReopenedItems1764400008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE escalation_item ADD COLUMN reopened_at timestamptz, ADD COLUMN reopened_step int`,
    );
    // The tally reads reopened_step too: keep it an index-only scan.
    await q.query(`DROP INDEX escalation_item_open_tally`);
    await q.query(
      `CREATE INDEX escalation_item_open_tally ON escalation_item (escalation_id)
         INCLUDE (amount_fen, joined_step, overdue, reopened_step) WHERE settled_at IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX escalation_item_open_tally`);
    await q.query(
      `CREATE INDEX escalation_item_open_tally ON escalation_item (escalation_id) INCLUDE (amount_fen, joined_step, overdue)
       WHERE settled_at IS NULL`,
    );
    await q.query(`ALTER TABLE escalation_item DROP COLUMN reopened_step, DROP COLUMN reopened_at`);
  }
}
