import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DropoutCases1764400001000 implements MigrationInterface {
  name = 'DropoutCases1764400001000';

  async up(q: QueryRunner): Promise<void> {
    // student_id_number and student_name are the case file's own copy; a later migration encrypts them.
    await q.query(`
      CREATE TABLE dropout_case (
        id uuid PRIMARY KEY,
        student_key char(64) NOT NULL,
        student_id_number text NOT NULL,
        student_name text NOT NULL,
        county_code char(6) NOT NULL,
        school_code text NOT NULL,
        registered_poor boolean NOT NULL,
        reason text CHECK (reason IN
          ('poverty', 'learning_difficulty', 'illness', 'disability', 'work', 'marriage', 'other')),
        state text NOT NULL CHECK (state IN ('opened', 'verified', 'plan', 'resolved', 'closed')),
        state_entered_on date NOT NULL,
        deadline date,
        overdue_states text[] NOT NULL DEFAULT '{}',
        persuaders jsonb,
        resolution text CHECK (resolution IN ('returned', 'placed', 'home_teaching', 'exempt')),
        resolution_school_code text,
        exempt_reason text CHECK (exempt_reason IN ('moved_out', 'deceased', 'medically_certified')),
        close_evidence text,
        opened_at timestamptz NOT NULL,
        verified_at timestamptz,
        planned_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        CHECK ((state = 'closed') = (deadline IS NULL))
      )`);
    // One open case per child: a second one can only start once the first is closed.
    await q.query(
      `CREATE UNIQUE INDEX dropout_case_one_open ON dropout_case (student_key) WHERE state <> 'closed'`,
    );
    await q.query(`CREATE INDEX dropout_case_deadline ON dropout_case (deadline) WHERE state <> 'closed'`);
    await q.query(`CREATE INDEX dropout_case_county ON dropout_case (county_code, state)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dropout_case');
  }
}
