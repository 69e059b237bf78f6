import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DirectoryAndEscalations1764400004000 implements MigrationInterface {
  name = 'DirectoryAndEscalations1764400004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE jurisdiction (
        code char(6) PRIMARY KEY,
        name text NOT NULL,
        parent_code char(6)
      )`);
    await q.query(`
      CREATE TABLE official (
        official_id text PRIMARY KEY,
        name text NOT NULL,
        title text NOT NULL,
        county_code char(6) NOT NULL,
        front text NOT NULL CHECK (front IN ('dropout', 'aid', 'construction', 'all')),
        role text NOT NULL CHECK (role IN ('responsible', 'bureau_head', 'party_committee')),
        phone text,
        email text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX official_county ON official (county_code, role)`);
    await q.query(`
      CREATE TABLE escalation_policy (
        front text NOT NULL,
        version int NOT NULL,
        steps jsonb NOT NULL,
        effective_from timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (front, version)
      )`);
    await q.query(`
      CREATE TABLE escalation (
        id uuid PRIMARY KEY,
        front text NOT NULL,
        county_code char(6) NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'resolved')),
        level text,
        policy jsonb NOT NULL,
        steps_done int NOT NULL DEFAULT 0,
        item_count int NOT NULL DEFAULT 0,
        open_item_count int NOT NULL DEFAULT 0,
        amount_fen bigint NOT NULL DEFAULT 0,
        opened_at timestamptz NOT NULL,
        resolved_at timestamptz
      )`);
    // At most one open escalation per front and county: breaches join it.
    await q.query(
      `CREATE UNIQUE INDEX escalation_one_open ON escalation (front, county_code) WHERE status = 'open'`,
    );
    await q.query(`CREATE INDEX escalation_county ON escalation (county_code, opened_at DESC)`);
    await q.query(`
      CREATE TABLE escalation_item (
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        item_key text NOT NULL,
        breach_type text NOT NULL,
        amount_fen bigint NOT NULL DEFAULT 0,
        first_event_id uuid NOT NULL,
        reported_at timestamptz NOT NULL DEFAULT now(),
        settled_at timestamptz,
        PRIMARY KEY (escalation_id, item_key)
      )`);
    await q.query(`CREATE INDEX escalation_item_open ON escalation_item (item_key) WHERE settled_at IS NULL`);
    // Settlements remembered by item, so a settlement handled before its breach still counts.
    await q.query(`
      CREATE TABLE item_settlement (
        item_key text PRIMARY KEY,
        occurred_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE escalation_notice (
        id uuid PRIMARY KEY,
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        step_index int NOT NULL,
        level text NOT NULL,
        kind text NOT NULL,
        official_id text NOT NULL,
        official_name text NOT NULL,
        channels text[] NOT NULL,
        fallback boolean NOT NULL DEFAULT false,
        requested_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (escalation_id, step_index, official_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'escalation_notice',
      'item_settlement',
      'escalation_item',
      'escalation',
      'escalation_policy',
      'official',
      'jurisdiction',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
