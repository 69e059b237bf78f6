import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Entitlements1764400001000 implements MigrationInterface {
  name = 'Entitlements1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE entitlement (
        id uuid PRIMARY KEY,
        student_key char(64) NOT NULL,
        county_code char(6) NOT NULL,
        school_code text NOT NULL,
        policy_code text NOT NULL,
        term text NOT NULL,
        amount_due_fen bigint NOT NULL CHECK (amount_due_fen > 0),
        amount_paid_fen bigint NOT NULL DEFAULT 0 CHECK (amount_paid_fen >= 0),
        due_date date NOT NULL,
        status text NOT NULL CHECK (status IN ('due', 'overdue', 'settled')),
        overdue_since date,
        settled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (student_key, policy_code, term)
      )`);
    await q.query(`CREATE INDEX entitlement_due ON entitlement (due_date) WHERE status = 'due'`);
    await q.query(`CREATE INDEX entitlement_county ON entitlement (county_code, status)`);
    await q.query(`
      CREATE TABLE payment (
        id uuid PRIMARY KEY,
        entitlement_id uuid REFERENCES entitlement (id),
        student_key char(64) NOT NULL,
        policy_code text NOT NULL,
        term text NOT NULL,
        amount_fen bigint NOT NULL CHECK (amount_fen > 0),
        paid_on date NOT NULL,
        reference text UNIQUE,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE payment');
    await q.query('DROP TABLE entitlement');
  }
}
