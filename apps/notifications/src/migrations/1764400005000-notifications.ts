import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1764400005000 implements MigrationInterface {
  name = 'Notifications1764400005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        kind text NOT NULL,
        escalation_id uuid NOT NULL,
        county_code char(6) NOT NULL,
        official_id text NOT NULL,
        address text NOT NULL,
        subject text,
        body text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed')),
        attempts int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        next_attempt_at timestamptz NOT NULL,
        locked_until timestamptz,
        lease_id uuid,
        last_error text,
        provider_message_id text,
        provider_part_ids text[] NOT NULL DEFAULT '{}',
        receipted_part_ids text[] NOT NULL DEFAULT '{}',
        correlation_id text NOT NULL,
        cause_event_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        delivered_at timestamptz,
        failed_at timestamptz,
        UNIQUE (request_id, channel)
      )`);
    await q.query(`CREATE INDEX notification_due ON notification (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX notification_leased ON notification (locked_until) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX notification_address ON notification (address, created_at)`);
    await q.query(`CREATE INDEX notification_escalation ON notification (escalation_id)`);
    await q.query(`CREATE INDEX notification_county ON notification (county_code, created_at)`);
    await q.query(`CREATE INDEX notification_part_ids ON notification USING gin (provider_part_ids)`);
    await q.query(`
      CREATE TABLE sms_receipt (
        message_id text PRIMARY KEY,
        state text NOT NULL,
        delivered boolean NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        applied_at timestamptz
      )`);
    await q.query(`CREATE INDEX sms_receipt_unapplied ON sms_receipt (received_at) WHERE applied_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE sms_receipt');
    await q.query('DROP TABLE notification');
  }
}
