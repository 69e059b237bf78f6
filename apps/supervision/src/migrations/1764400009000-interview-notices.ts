import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The minutes of an interview (约谈纪要) go out as a notice of their own, and a reminder of the
 * follow-up report they ask for goes out before it is due: the reminder's lead (from the
 * policy), day and sending on the interview, and every notice requested for an interview.
 */
export class InterviewNotices1764400009000 implements MigrationInterface {
  name = 'InterviewNotices1764400009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE interview
        ADD COLUMN follow_up_reminder_working_days int NOT NULL DEFAULT 3
          CHECK (follow_up_reminder_working_days >= 0),
        ADD COLUMN follow_up_remind_on date,
        ADD COLUMN follow_up_reminded_at timestamptz`);
    await q.query(
      `CREATE INDEX interview_follow_up_reminder ON interview (follow_up_remind_on)
       WHERE status = 'minutes_recorded' AND follow_up_reminded_at IS NULL`,
    );
    await q.query(`
      CREATE TABLE interview_notice (
        id uuid PRIMARY KEY,
        interview_id uuid NOT NULL REFERENCES interview (id),
        kind text NOT NULL CHECK (kind IN ('interview_minutes', 'follow_up_reminder')),
        official_id text NOT NULL,
        official_name text NOT NULL,
        role text NOT NULL,
        channels text[] NOT NULL,
        attachments text[] NOT NULL DEFAULT '{}',
        requested_at timestamptz NOT NULL,
        delivered_at timestamptz,
        failed_at timestamptz,
        failed_channel text,
        UNIQUE (interview_id, kind, official_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE interview_notice');
    await q.query('DROP INDEX interview_follow_up_reminder');
    await q.query(`
      ALTER TABLE interview DROP COLUMN follow_up_reminded_at, DROP COLUMN follow_up_remind_on,
        DROP COLUMN follow_up_reminder_working_days`);
  }
}
