import type { MigrationInterface, QueryRunner } from 'typeorm';

const FRONTS = `'dropout', 'aid', 'construction', 'rectification', 'work_team'`;

/**
 * Issue 6: responsibility matrix, policies per breach type with the ladder's state,
 * working-day calendar, interviews and accountability recommendations, rectification
 * ledger, village work teams and the battle map's rules.
 */
export class SupervisionComplete1764400006000 implements MigrationInterface {
  name = 'SupervisionComplete1764400006000';

  async up(q: QueryRunner): Promise<void> {
    // Officials and the responsibility matrix.
    await q.query(`ALTER TABLE official DROP CONSTRAINT official_front_check`);
    await q.query(
      `ALTER TABLE official ADD CONSTRAINT official_front_check CHECK (front IN (${FRONTS}, 'all'))`,
    );
    await q.query(`
      CREATE TABLE responsibility_entry (
        county_code char(6) NOT NULL,
        front text NOT NULL CHECK (front IN (${FRONTS})),
        lead_department text,
        responsible_official_id text REFERENCES official (official_id),
        bureau_head_official_id text REFERENCES official (official_id),
        party_committee_official_id text REFERENCES official (official_id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text,
        PRIMARY KEY (county_code, front)
      )`);

    // Working-day calendar: the exceptions to Monday-to-Friday.
    await q.query(`
      CREATE TABLE calendar_day (
        day date PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);

    // Policies per breach type (the three fronts' types keep their names and versions).
    await q.query(`ALTER TABLE escalation_policy RENAME COLUMN front TO breach_type`);
    await q.query(`ALTER TABLE escalation_policy ADD COLUMN recurrence_window_days int NOT NULL DEFAULT 90`);
    await q.query(`ALTER TABLE escalation_policy ADD COLUMN created_by text`);
    // The seeded first versions hold from the start of the campaign, whatever the clock.
    await q.query(
      `UPDATE escalation_policy SET effective_from = '2020-01-01T00:00:00+08:00' WHERE version = 1`,
    );

    // The ladder's state on each escalation.
    await q.query(`ALTER TABLE escalation ADD COLUMN breach_type text`);
    await q.query(`UPDATE escalation SET breach_type = front`);
    await q.query(`ALTER TABLE escalation ALTER COLUMN breach_type SET NOT NULL`);
    // Counts and amounts are not kept on the escalation row any more: a breach only appends its
    // item (under a KEY SHARE lock), so concurrent consumers never queue on, or deadlock over,
    // one county's escalation row; counts are read from the items when they are needed.
    await q.query(`
      ALTER TABLE escalation
        ADD COLUMN reported_through int NOT NULL DEFAULT 0,
        ADD COLUMN last_step_at timestamptz,
        ADD COLUMN next_step_at timestamptz,
        ADD COLUMN recurrence_of uuid REFERENCES escalation (id),
        ADD COLUMN acknowledged_at timestamptz`);
    await q.query(`
      UPDATE escalation SET reported_through = steps_done, last_step_at = opened_at,
        next_step_at = CASE WHEN status = 'open' THEN opened_at END`);
    await q.query(
      `ALTER TABLE escalation DROP COLUMN item_count, DROP COLUMN open_item_count, DROP COLUMN amount_fen`,
    );
    await q.query(`ALTER TABLE escalation ALTER COLUMN last_step_at SET NOT NULL`);
    await q.query(`DROP INDEX escalation_one_open`);
    await q.query(
      `CREATE UNIQUE INDEX escalation_one_open ON escalation (breach_type, front, county_code) WHERE status = 'open'`,
    );
    await q.query(`CREATE INDEX escalation_due ON escalation (next_step_at) WHERE status = 'open'`);
    await q.query(
      `CREATE INDEX escalation_recent ON escalation (breach_type, front, county_code, resolved_at DESC) WHERE status = 'resolved'`,
    );
    await q.query(`ALTER TABLE escalation_item RENAME COLUMN breach_type TO kind`);
    // Items found here (overdue rectification, work-team shortfalls) have no event behind them.
    await q.query(`ALTER TABLE escalation_item ALTER COLUMN first_event_id DROP NOT NULL`);
    await q.query(`
      ALTER TABLE escalation_item
        ADD COLUMN joined_step int NOT NULL DEFAULT 0,
        ADD COLUMN overdue boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE INDEX escalation_item_reported ON escalation_item (reported_at)`);
    await q.query(
      `CREATE INDEX escalation_item_open_tally ON escalation_item (escalation_id) INCLUDE (amount_fen, joined_step, overdue)
       WHERE settled_at IS NULL`,
    );
    await q.query(`
      ALTER TABLE escalation_notice
        ADD COLUMN scope text NOT NULL DEFAULT 'county',
        ADD COLUMN role text,
        ADD COLUMN item_count int,
        ADD COLUMN amount_fen bigint,
        ADD COLUMN new_item_count int,
        ADD COLUMN urgent boolean NOT NULL DEFAULT false,
        ADD COLUMN attachments text[] NOT NULL DEFAULT '{}',
        ADD COLUMN delivered_at timestamptz,
        ADD COLUMN failed_at timestamptz,
        ADD COLUMN failed_channel text`);
    await q.query(`
      CREATE TABLE escalation_step (
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        step_index int NOT NULL,
        level text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('taken', 'skipped')),
        reason_code text,
        reason text,
        open_item_count int NOT NULL,
        open_amount_fen bigint NOT NULL,
        new_item_count int NOT NULL,
        new_amount_fen bigint NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (escalation_id, step_index)
      )`);
    await q.query(`
      INSERT INTO escalation_step (escalation_id, step_index, level, outcome, open_item_count, open_amount_fen,
                                   new_item_count, new_amount_fen, at)
      SELECT DISTINCT ON (n.escalation_id, n.step_index) n.escalation_id, n.step_index, n.level, 'taken', 0, 0, 0, 0, n.requested_at
      FROM escalation_notice n ORDER BY n.escalation_id, n.step_index, n.requested_at`);
    await q.query(`
      CREATE TABLE escalation_ack (
        id uuid PRIMARY KEY,
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        acknowledged_by text NOT NULL,
        role text NOT NULL,
        note text,
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX escalation_ack_escalation ON escalation_ack (escalation_id, at)`);

    // Interviews (约谈) and accountability recommendations (追责问责建议).
    await q.query(`CREATE SEQUENCE interview_serial`);
    await q.query(`
      CREATE TABLE interview (
        id uuid PRIMARY KEY,
        serial int NOT NULL DEFAULT nextval('interview_serial'),
        escalation_id uuid NOT NULL REFERENCES escalation (id),
        step_index int NOT NULL,
        county_code char(6) NOT NULL,
        county_name text NOT NULL,
        city_name text NOT NULL,
        front text NOT NULL,
        breach_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('noticed', 'held', 'minutes_recorded', 'follow_up_due')),
        interviewees jsonb NOT NULL,
        interviewer jsonb NOT NULL,
        subject text NOT NULL,
        issues jsonb NOT NULL,
        recurrence boolean NOT NULL DEFAULT false,
        urgent boolean NOT NULL DEFAULT false,
        scheduled_at timestamptz,
        place text,
        noticed_at timestamptz NOT NULL,
        held_at timestamptz,
        attendees text[] NOT NULL DEFAULT '{}',
        minutes jsonb,
        minutes_recorded_at timestamptz,
        minutes_recorded_by text,
        follow_up_due_on date,
        follow_up_due_at timestamptz,
        UNIQUE (escalation_id, step_index)
      )`);
    await q.query(`CREATE INDEX interview_county ON interview (county_code, noticed_at DESC)`);
    await q.query(
      `CREATE INDEX interview_follow_up ON interview (follow_up_due_on) WHERE status = 'minutes_recorded'`,
    );
    await q.query(`CREATE SEQUENCE accountability_serial`);
    await q.query(`
      CREATE TABLE accountability_recommendation (
        id uuid PRIMARY KEY,
        serial int NOT NULL DEFAULT nextval('accountability_serial'),
        escalation_id uuid NOT NULL UNIQUE REFERENCES escalation (id),
        step_index int NOT NULL,
        county_code char(6) NOT NULL,
        county_name text NOT NULL,
        city_name text NOT NULL,
        front text NOT NULL,
        breach_type text NOT NULL,
        addressed_to text NOT NULL,
        recipients jsonb NOT NULL,
        issues jsonb NOT NULL,
        history jsonb NOT NULL,
        generated_at timestamptz NOT NULL
      )`);

    // The rectification ledger (整改台账).
    await q.query(`
      CREATE TABLE rectification_problem (
        id uuid PRIMARY KEY,
        ref text NOT NULL UNIQUE,
        source text NOT NULL,
        description text NOT NULL,
        county_code char(6) NOT NULL,
        front text NOT NULL,
        measures text NOT NULL,
        found_on date NOT NULL,
        deadline date,
        lead_department text NOT NULL,
        responsible_leader text NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closure_requested', 'closed')),
        evidence jsonb NOT NULL DEFAULT '[]',
        closure_requested_by text,
        closure_requested_at timestamptz,
        closure_rejected_reason text,
        closed_by text,
        closed_at timestamptz,
        overdue_at timestamptz,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE INDEX rectification_due ON rectification_problem (deadline) WHERE status <> 'closed' AND overdue_at IS NULL`,
    );
    await q.query(`CREATE INDEX rectification_ledger ON rectification_problem (county_code, front, status)`);

    // Village work teams (驻村工作队): members, days in the village per month, half-year reports.
    await q.query(`
      CREATE TABLE work_team_member (
        member_id text PRIMARY KEY,
        name text NOT NULL,
        county_code char(6) NOT NULL,
        village text NOT NULL,
        role text NOT NULL CHECK (role IN ('member', 'first_secretary')),
        posted_from date NOT NULL,
        posted_until date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE work_team_attendance (
        member_id text NOT NULL REFERENCES work_team_member (member_id),
        month date NOT NULL,
        days_in_village int NOT NULL CHECK (days_in_village BETWEEN 0 AND 31),
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (member_id, month)
      )`);
    await q.query(`
      CREATE TABLE work_team_report (
        member_id text NOT NULL REFERENCES work_team_member (member_id),
        half text NOT NULL,
        submitted_on date NOT NULL,
        recorded_by text NOT NULL,
        PRIMARY KEY (member_id, half)
      )`);
    await q.query(`
      CREATE TABLE work_team_rules (
        version int PRIMARY KEY,
        rules jsonb NOT NULL,
        effective_from timestamptz NOT NULL,
        created_by text
      )`);

    // The battle map's red/amber/green rules, versioned like the policies.
    await q.query(`
      CREATE TABLE battle_map_rules (
        version int PRIMARY KEY,
        rules jsonb NOT NULL,
        effective_from timestamptz NOT NULL,
        created_by text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'battle_map_rules',
      'work_team_rules',
      'work_team_report',
      'work_team_attendance',
      'work_team_member',
      'rectification_problem',
      'accountability_recommendation',
      'interview',
      'escalation_ack',
      'escalation_step',
      'calendar_day',
      'responsibility_entry',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
    await q.query(`DROP SEQUENCE accountability_serial`);
    await q.query(`DROP SEQUENCE interview_serial`);
    await q.query(`
      ALTER TABLE escalation_notice DROP COLUMN scope, DROP COLUMN role, DROP COLUMN item_count,
        DROP COLUMN amount_fen, DROP COLUMN new_item_count, DROP COLUMN urgent, DROP COLUMN attachments,
        DROP COLUMN delivered_at, DROP COLUMN failed_at, DROP COLUMN failed_channel`);
    await q.query(`DROP INDEX escalation_item_open_tally`);
    await q.query(`DROP INDEX escalation_item_reported`);
    await q.query(`ALTER TABLE escalation_item DROP COLUMN joined_step, DROP COLUMN overdue`);
    await q.query(`ALTER TABLE escalation_item RENAME COLUMN kind TO breach_type`);
    await q.query(`DROP INDEX escalation_recent`);
    await q.query(`DROP INDEX escalation_due`);
    await q.query(`DROP INDEX escalation_one_open`);
    await q.query(
      `CREATE UNIQUE INDEX escalation_one_open ON escalation (front, county_code) WHERE status = 'open'`,
    );
    await q.query(`
      ALTER TABLE escalation
        ADD COLUMN item_count int NOT NULL DEFAULT 0,
        ADD COLUMN open_item_count int NOT NULL DEFAULT 0,
        ADD COLUMN amount_fen bigint NOT NULL DEFAULT 0`);
    await q.query(`
      UPDATE escalation e SET item_count = x.n, open_item_count = x.open, amount_fen = x.a
      FROM (SELECT escalation_id, count(*) AS n, count(*) FILTER (WHERE settled_at IS NULL) AS open,
                   sum(amount_fen) AS a FROM escalation_item GROUP BY 1) x
      WHERE x.escalation_id = e.id`);
    await q.query(`
      ALTER TABLE escalation DROP COLUMN reported_through, DROP COLUMN last_step_at, DROP COLUMN next_step_at,
        DROP COLUMN recurrence_of, DROP COLUMN acknowledged_at, DROP COLUMN breach_type`);
    await q.query(`ALTER TABLE escalation_policy DROP COLUMN created_by, DROP COLUMN recurrence_window_days`);
    await q.query(`ALTER TABLE escalation_policy RENAME COLUMN breach_type TO front`);
    await q.query(`ALTER TABLE official DROP CONSTRAINT official_front_check`);
    await q.query(
      `ALTER TABLE official ADD CONSTRAINT official_front_check CHECK (front IN ('dropout', 'aid', 'construction', 'all'))`,
    );
  }
}
