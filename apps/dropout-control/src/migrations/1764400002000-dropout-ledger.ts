import type { MigrationInterface, QueryRunner } from 'typeorm';

const DISABILITY = `('none', 'mild', 'moderate', 'severe')`;
const FINDING = `('not_in_registry', 'suspended', 'dropped')`;
/** ID numbers are digits and X: byte order ("C") compares them several times faster than a locale. */
const ID = `char(18) COLLATE "C"`;

/**
 * The registries, cross-check runs and their ledgers, and the rest of the case ledger:
 * household plans, who-and-when history, persuasion attempts, home teaching.
 */
export class DropoutLedger1764400002000 implements MigrationInterface {
  name = 'DropoutLedger1764400002000';

  async up(q: QueryRunner): Promise<void> {
    // Registries: one row per child (student registry) or member (poverty registry), by ID number.
    // Only the primary key is indexed: a million-row import stays a single pass.
    await q.query(`
      CREATE TABLE student_registry (
        id_number ${ID} PRIMARY KEY,
        name text NOT NULL,
        birth_date date NOT NULL,
        county_code char(6) NOT NULL,
        school_code text NOT NULL,
        school_name text NOT NULL,
        stage text NOT NULL CHECK (stage IN ('preschool', 'primary', 'junior', 'senior', 'vocational', 'special')),
        grade smallint NOT NULL,
        enrolment_status text NOT NULL CHECK (enrolment_status IN
          ('enrolled', 'suspended', 'dropped', 'graduated', 'transferred_out')),
        disability_level text NOT NULL CHECK (disability_level IN ${DISABILITY}),
        import_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE poverty_member (
        id_number ${ID} PRIMARY KEY,
        household_id text NOT NULL,
        name text NOT NULL,
        birth_date date NOT NULL,
        county_code char(6) NOT NULL,
        township text NOT NULL,
        village text NOT NULL,
        poverty_status text NOT NULL CHECK (poverty_status IN
          ('registered_poor', 'low_income', 'extreme_poverty', 'lifted', 'none')),
        orphan boolean NOT NULL,
        disability_level text NOT NULL CHECK (disability_level IN ${DISABILITY}),
        relocation_site_code text,
        import_id uuid NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Who the cross-check counts, as data with effective dates.
    await q.query(`
      CREATE TABLE crosscheck_policy (
        effective_from date PRIMARY KEY,
        school_age_from smallint NOT NULL,
        school_age_to smallint NOT NULL,
        preschool_from_age smallint NOT NULL,
        junior_from_age smallint NOT NULL,
        poor_statuses text[] NOT NULL,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (preschool_from_age < school_age_from AND school_age_from < junior_from_age
               AND junior_from_age <= school_age_to)
      )`);
    // Compulsory education 6-15 (primary from 6, junior secondary from 12); preschool demand from 3.
    // Households lifted out of poverty stay under watch in 2020 (脱贫不脱政策).
    await q.query(`
      INSERT INTO crosscheck_policy (effective_from, school_age_from, school_age_to, preschool_from_age,
        junior_from_age, poor_statuses, created_by)
      VALUES ('1900-01-01', 6, 15, 3, 12, '{registered_poor,extreme_poverty,low_income,lifted}', 'migration')`);

    await q.query(`
      CREATE TABLE crosscheck_run (
        id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
        trigger text NOT NULL CHECK (trigger IN ('request', 'import')),
        import_id uuid,
        school_year smallint NOT NULL,
        cutoff date NOT NULL,
        county_scope char(6),
        policy jsonb,
        started_by text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        relocation_sites int NOT NULL DEFAULT 0,
        error text
      )`);
    await q.query(`CREATE INDEX crosscheck_run_recent ON crosscheck_run (started_at DESC)`);
    await q.query(`
      CREATE TABLE crosscheck_county (
        run_id uuid NOT NULL REFERENCES crosscheck_run (id) ON DELETE CASCADE,
        county_code char(6) NOT NULL,
        school_age int NOT NULL,
        suspected int NOT NULL,
        not_in_registry int NOT NULL,
        suspended int NOT NULL,
        dropped int NOT NULL,
        confirmed int NOT NULL,
        opened int NOT NULL,
        reopened int NOT NULL,
        already_open int NOT NULL,
        explained int NOT NULL,
        enrolled_with_open_case int NOT NULL,
        PRIMARY KEY (run_id, county_code)
      )`);
    // The child-level ledgers of a run: every school-age child; finding set for the suspected;
    // action set for what the run did with them (a case opened, reopened, already open ...).
    await q.query(`
      CREATE TABLE crosscheck_child (
        run_id uuid NOT NULL,
        id_number ${ID} NOT NULL,
        county_code char(6) NOT NULL,
        age smallint NOT NULL,
        finding text CHECK (finding IN ${FINDING}),
        action text CHECK (action IN ('open', 'reopen', 'tracked', 'explained', 'review')),
        case_id uuid,
        PRIMARY KEY (run_id, id_number)
      )`);

    await q.query(`
      ALTER TABLE dropout_case
        ADD COLUMN household_id text,
        ADD COLUMN township text,
        ADD COLUMN village text,
        ADD COLUMN disability_level text NOT NULL DEFAULT 'none' CHECK (disability_level IN ${DISABILITY}),
        ADD COLUMN source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'crosscheck')),
        ADD COLUMN finding text CHECK (finding IN ${FINDING}),
        ADD COLUMN attempts_in_cycle int NOT NULL DEFAULT 0,
        ADD COLUMN home_teaching_plan_id uuid,
        ADD COLUMN exempt_document text,
        ADD COLUMN reopen_count int NOT NULL DEFAULT 0,
        ADD COLUMN opened_by text,
        ADD COLUMN verified_by text,
        ADD COLUMN planned_by text,
        ADD COLUMN resolved_by text,
        ADD COLUMN closed_by text,
        ADD COLUMN reopened_at timestamptz`);
    // The cross-check finds a child's latest case by ID number, compared as bytes like the registries'.
    await q.query(`ALTER TABLE dropout_case ALTER COLUMN student_id_number TYPE text COLLATE "C"`);
    await q.query(`CREATE INDEX dropout_case_id_number ON dropout_case (student_id_number, opened_at DESC)`);
    await q.query(
      `CREATE INDEX dropout_case_household ON dropout_case (household_id) WHERE household_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX dropout_case_school ON dropout_case (county_code, school_code)`);

    await q.query(`
      CREATE TABLE case_history (
        seq bigserial PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES dropout_case (id),
        action text NOT NULL,
        from_state text,
        to_state text NOT NULL,
        by_sub text NOT NULL,
        by_role text NOT NULL,
        at timestamptz NOT NULL,
        detail jsonb
      )`);
    await q.query(`CREATE INDEX case_history_case ON case_history (case_id, seq)`);

    await q.query(`
      CREATE TABLE persuasion_attempt (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES dropout_case (id),
        cycle int NOT NULL,
        attempted_on date NOT NULL,
        persuaders jsonb NOT NULL,
        method text NOT NULL,
        outcome text NOT NULL,
        note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX persuasion_attempt_case ON persuasion_attempt (case_id, attempted_on)`);

    // 一家一案: one plan per household, its cases grouped under it.
    await q.query(`
      CREATE TABLE household_plan (
        household_id text PRIMARY KEY,
        county_code char(6) NOT NULL,
        township text,
        village text,
        measures text,
        responsible text,
        updated_by text,
        updated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX household_plan_county ON household_plan (county_code)`);

    await q.query(`
      CREATE TABLE home_teaching_plan (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL UNIQUE REFERENCES dropout_case (id),
        county_code char(6) NOT NULL,
        school_code text NOT NULL,
        teachers text[] NOT NULL,
        visits_per_month smallint NOT NULL,
        starts_on date NOT NULL,
        visit_count int NOT NULL DEFAULT 0,
        last_visit_on date,
        created_by text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE home_teaching_visit (
        id uuid PRIMARY KEY,
        plan_id uuid NOT NULL REFERENCES home_teaching_plan (id),
        visited_on date NOT NULL,
        teacher text NOT NULL,
        hours numeric(4, 1) NOT NULL,
        content text NOT NULL,
        note text,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX home_teaching_visit_plan ON home_teaching_visit (plan_id, visited_on)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'home_teaching_visit',
      'home_teaching_plan',
      'household_plan',
      'persuasion_attempt',
      'case_history',
      'crosscheck_child',
      'crosscheck_county',
      'crosscheck_run',
      'crosscheck_policy',
      'poverty_member',
      'student_registry',
    ])
      await q.query(`DROP TABLE ${t}`);
    await q.query('DROP INDEX dropout_case_id_number, dropout_case_school');
    await q.query(`ALTER TABLE dropout_case ALTER COLUMN student_id_number TYPE text COLLATE "default"`);
    await q.query(`
      ALTER TABLE dropout_case
        DROP COLUMN household_id, DROP COLUMN township, DROP COLUMN village, DROP COLUMN disability_level,
        DROP COLUMN source, DROP COLUMN finding, DROP COLUMN attempts_in_cycle,
        DROP COLUMN home_teaching_plan_id, DROP COLUMN exempt_document, DROP COLUMN reopen_count,
        DROP COLUMN opened_by, DROP COLUMN verified_by, DROP COLUMN planned_by, DROP COLUMN resolved_by,
        DROP COLUMN closed_by, DROP COLUMN reopened_at`);
  }
}
