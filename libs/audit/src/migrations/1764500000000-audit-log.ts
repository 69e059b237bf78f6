import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit log: one row per state-changing request. Append-only: a trigger refuses UPDATE,
 * DELETE and TRUNCATE whoever asks, the owner included (a REVOKE would not bind the owner). The
 * services run as a runtime role that is not its owner and has only SELECT and INSERT on it
 * (`grantRuntimeRole`, after the migrations), so it can neither change rows nor disable the
 * triggers. See docs/security.md, section 5.
 */
export class AuditLog1764500000000 implements MigrationInterface {
  name = 'AuditLog1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp(),
        request_id text,
        actor text NOT NULL,
        role text NOT NULL,
        county char(6),
        action text NOT NULL,
        target text,
        status int NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
        request jsonb,
        before jsonb,
        after jsonb,
        client text
      )`);
    await q.query('CREATE INDEX audit_log_at ON audit_log (at DESC)');
    await q.query('CREATE INDEX audit_log_actor ON audit_log (actor, at DESC)');
    await q.query('CREATE INDEX audit_log_target ON audit_log (target, at DESC)');
    await q.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
        FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await q.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // No role but the owner gets more than the runtime role's SELECT and INSERT.
    await q.query('REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE audit_log');
    await q.query('DROP FUNCTION audit_log_append_only()');
  }
}
