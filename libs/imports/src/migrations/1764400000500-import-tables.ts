import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Import jobs (with progress and a content hash) and their rejected rows. */
export class ImportTables1764400000500 implements MigrationInterface {
  name = 'ImportTables1764400000500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE import_job (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        filename text,
        format text NOT NULL,
        sha256 char(64),
        status text NOT NULL CHECK (status IN ('running', 'completed', 'duplicate', 'failed')),
        started_by text NOT NULL,
        county_scope char(6),
        rows_read int NOT NULL DEFAULT 0,
        rows_rejected int NOT NULL DEFAULT 0,
        rows_loaded int NOT NULL DEFAULT 0,
        inserted int NOT NULL DEFAULT 0,
        updated int NOT NULL DEFAULT 0,
        unchanged int NOT NULL DEFAULT 0,
        duplicate_of uuid,
        error text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX import_job_hash ON import_job (kind, sha256) WHERE status = 'completed'`);
    await q.query(`CREATE INDEX import_job_recent ON import_job (started_at DESC)`);
    await q.query(`
      CREATE TABLE import_error (
        import_id uuid NOT NULL REFERENCES import_job (id) ON DELETE CASCADE,
        line int NOT NULL,
        field text NOT NULL,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX import_error_job ON import_error (import_id, line)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE import_error');
    await q.query('DROP TABLE import_job');
  }
}
