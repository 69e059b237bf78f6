import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Projects1764400001000 implements MigrationInterface {
  name = 'Projects1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE project (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('relocation_site_school', 'renovation_expansion',
          'township_boarding_school', 'small_rural_school', 'teacher_dormitory', 'kindergarten',
          'special_education')),
        county_code char(6) NOT NULL,
        site_code text,
        capacity_seats integer CHECK (capacity_seats > 0),
        capacity_beds integer CHECK (capacity_beds > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX project_county ON project (county_code)`);
    await q.query(`
      CREATE TABLE project_milestone (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES project (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('approval', 'tender', 'ground_breaking',
          'structure_complete', 'acceptance', 'in_use')),
        position smallint NOT NULL,
        planned_date date NOT NULL,
        completed_on date,
        overdue_raised_on date,
        UNIQUE (project_id, kind),
        UNIQUE (project_id, position)
      )`);
    await q.query(
      `CREATE INDEX project_milestone_due ON project_milestone (planned_date)
       WHERE completed_on IS NULL AND overdue_raised_on IS NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE project_milestone');
    await q.query('DROP TABLE project');
  }
}
