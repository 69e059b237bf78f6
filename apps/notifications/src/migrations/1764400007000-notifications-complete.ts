import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7: notice templates as versioned rows, the request each message came from (for
 * fallback and attachments), every send attempt, per-provider rate windows, resolved
 * escalations (to cancel what is still pending), and the `cancelled` status.
 */
export class NotificationsComplete1764400007000 implements MigrationInterface {
  name = 'NotificationsComplete1764400007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notice_template (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'email')),
        version int NOT NULL CHECK (version >= 1),
        effective_from timestamptz NOT NULL,
        subject text,
        body text NOT NULL,
        provider_template_code text,
        sign_name text,
        note text,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, channel, version),
        CHECK ((channel = 'email') = (subject IS NOT NULL)),
        CHECK (channel = 'email' OR (provider_template_code IS NOT NULL AND sign_name IS NOT NULL))
      )`);
    await q.query(
      'CREATE INDEX notice_template_effective ON notice_template (kind, channel, effective_from DESC, version DESC)',
    );

    await q.query(`
      CREATE TABLE notification_request (
        request_id uuid PRIMARY KEY,
        kind text NOT NULL,
        escalation_id uuid NOT NULL,
        county_code char(6) NOT NULL,
        official_id text NOT NULL,
        recipient_name text NOT NULL,
        recipient_title text NOT NULL,
        phone text,
        email text,
        channels text[] NOT NULL,
        params jsonb NOT NULL,
        urgent boolean NOT NULL,
        correlation_id text NOT NULL,
        cause_event_id uuid NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE notification_attachment (
        request_id uuid NOT NULL REFERENCES notification_request (request_id) ON DELETE CASCADE,
        position int NOT NULL,
        filename text NOT NULL,
        content_type text NOT NULL,
        content bytea NOT NULL,
        PRIMARY KEY (request_id, position)
      )`);

    await q.query('ALTER TABLE notification DROP CONSTRAINT notification_status_check');
    await q.query(`
      ALTER TABLE notification
        ADD CONSTRAINT notification_status_check
          CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed', 'cancelled')),
        ADD COLUMN template_id uuid,
        ADD COLUMN sms_template jsonb,
        ADD COLUMN urgent boolean NOT NULL DEFAULT false,
        ADD COLUMN fallback_of uuid,
        ADD COLUMN provider text,
        ADD COLUMN cancelled_at timestamptz`);
    await q.query('CREATE INDEX notification_created ON notification (created_at, id)');
    await q.query(
      `CREATE INDEX notification_awaiting_receipt ON notification (sent_at) WHERE status = 'sent' AND channel = 'sms'`,
    );
    await q.query(
      `CREATE INDEX notification_pending_escalation ON notification (escalation_id) WHERE status = 'pending'`,
    );

    await q.query(`
      CREATE TABLE notification_attempt (
        notification_id uuid NOT NULL REFERENCES notification (id) ON DELETE CASCADE,
        attempt int NOT NULL CHECK (attempt >= 1),
        lease_id uuid NOT NULL,
        provider text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        outcome text CHECK (outcome IN ('sent', 'retry', 'failed', 'abandoned')),
        provider_message_id text,
        error text,
        PRIMARY KEY (notification_id, attempt)
      )`);

    await q.query(`
      CREATE TABLE provider_rate_window (
        provider text PRIMARY KEY,
        window_start timestamptz NOT NULL,
        used int NOT NULL CHECK (used >= 0)
      )`);

    await q.query(`
      CREATE TABLE resolved_escalation (
        escalation_id uuid PRIMARY KEY,
        resolved_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE resolved_escalation');
    await q.query('DROP TABLE provider_rate_window');
    await q.query('DROP TABLE notification_attempt');
    await q.query('DROP INDEX notification_pending_escalation');
    await q.query('DROP INDEX notification_awaiting_receipt');
    await q.query('DROP INDEX notification_created');
    await q.query(`UPDATE notification SET status = 'failed' WHERE status = 'cancelled'`);
    await q.query(`
      ALTER TABLE notification
        DROP COLUMN cancelled_at,
        DROP COLUMN provider,
        DROP COLUMN fallback_of,
        DROP COLUMN urgent,
        DROP COLUMN sms_template,
        DROP COLUMN template_id,
        DROP CONSTRAINT notification_status_check`);
    await q.query(`
      ALTER TABLE notification ADD CONSTRAINT notification_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'failed'))`);
    await q.query('DROP TABLE notification_attachment');
    await q.query('DROP TABLE notification_request');
    await q.query('DROP TABLE notice_template');
  }
}
