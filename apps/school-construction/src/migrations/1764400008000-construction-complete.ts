import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Projects complete: code, priority flag, budget by funding source, spend, seats by stage,
 * progress reports, stall and overrun marks; the monitoring policy (rows with effective
 * dates); relocation sites with their counted children and capacity shortfalls.
 */
export class ConstructionComplete1764400008000 implements MigrationInterface {
  name = 'ConstructionComplete1764400008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE project
        ADD COLUMN code text,
        ADD COLUMN priority boolean NOT NULL DEFAULT false,
        ADD COLUMN spent_fen bigint NOT NULL DEFAULT 0 CHECK (spent_fen >= 0),
        ADD COLUMN seats_preschool integer NOT NULL DEFAULT 0 CHECK (seats_preschool >= 0),
        ADD COLUMN seats_primary integer NOT NULL DEFAULT 0 CHECK (seats_primary >= 0),
        ADD COLUMN seats_junior integer NOT NULL DEFAULT 0 CHECK (seats_junior >= 0),
        ADD COLUMN registered_on date,
        ADD COLUMN percent_complete smallint CHECK (percent_complete BETWEEN 0 AND 100),
        ADD COLUMN last_report_on date,
        ADD COLUMN stalled_since date,
        ADD COLUMN overrun_since date`);
    await q.query(`UPDATE project SET registered_on = (created_at AT TIME ZONE 'Asia/Shanghai')::date`);
    await q.query(`ALTER TABLE project ALTER COLUMN registered_on SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX project_code ON project (code)`);
    await q.query(`CREATE INDEX project_site ON project (site_code) WHERE site_code IS NOT NULL`);

    await q.query(`
      CREATE TABLE project_funding (
        project_id uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        source text NOT NULL CHECK (source IN ('central', 'autonomous_region', 'city', 'county',
          'special_bond', 'other')),
        amount_fen bigint NOT NULL CHECK (amount_fen >= 0),
        PRIMARY KEY (project_id, source)
      )`);

    await q.query(`
      CREATE TABLE progress_report (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        reported_on date NOT NULL,
        percent_complete smallint NOT NULL CHECK (percent_complete BETWEEN 0 AND 100),
        narrative text NOT NULL,
        documents jsonb NOT NULL DEFAULT '[]',
        spent_fen bigint CHECK (spent_fen >= 0),
        reported_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX progress_report_project ON progress_report (project_id, reported_on DESC)`);

    await q.query(`
      CREATE TABLE monitoring_policy (
        effective_from date PRIMARY KEY,
        stalled_after_days integer NOT NULL CHECK (stalled_after_days BETWEEN 1 AND 366),
        overrun_tolerance_percent integer NOT NULL CHECK (overrun_tolerance_percent BETWEEN 0 AND 100),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The starting policy: a monthly progress report, no spend beyond the budget.
    await q.query(
      `INSERT INTO monitoring_policy (effective_from, stalled_after_days, overrun_tolerance_percent, created_by)
       VALUES ('2000-01-01', 30, 0, 'migration')`,
    );

    await q.query(`
      CREATE TABLE relocation_site (
        site_code text PRIMARY KEY,
        county_code char(6) NOT NULL,
        crosscheck_id uuid,
        school_year text,
        demand_preschool integer CHECK (demand_preschool >= 0),
        demand_primary integer CHECK (demand_primary >= 0),
        demand_junior integer CHECK (demand_junior >= 0),
        measured_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX relocation_site_county ON relocation_site (county_code)`);
    await q.query(
      `INSERT INTO relocation_site (site_code, county_code)
       SELECT DISTINCT ON (site_code) site_code, county_code FROM project
       WHERE site_code IS NOT NULL ORDER BY site_code, created_at`,
    );
    await q.query(`
      CREATE TABLE capacity_shortfall (
        id uuid PRIMARY KEY,
        site_code text NOT NULL REFERENCES relocation_site (site_code),
        stage text NOT NULL CHECK (stage IN ('preschool', 'primary', 'junior')),
        demand integer NOT NULL,
        seats integer NOT NULL,
        opened_on date NOT NULL,
        resolved_on date
      )`);
    await q.query(
      `CREATE UNIQUE INDEX capacity_shortfall_open ON capacity_shortfall (site_code, stage) WHERE resolved_on IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE capacity_shortfall');
    await q.query('DROP TABLE relocation_site');
    await q.query('DROP TABLE monitoring_policy');
    await q.query('DROP TABLE progress_report');
    await q.query('DROP TABLE project_funding');
    await q.query(`
      ALTER TABLE project DROP COLUMN code, DROP COLUMN priority, DROP COLUMN spent_fen,
        DROP COLUMN seats_preschool, DROP COLUMN seats_primary, DROP COLUMN seats_junior,
        DROP COLUMN registered_on, DROP COLUMN percent_complete, DROP COLUMN last_report_on,
        DROP COLUMN stalled_since, DROP COLUMN overrun_since`);
  }
}
