import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each registry row names the line of the import file that last wrote it, next to the
 * import's id: where a value came from, and what a first load (rows straight into the
 * registry) tells repeated ID numbers apart by.
 */
export class RegistryImportLine1764400003000 implements MigrationInterface {
  name = 'RegistryImportLine1764400003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE student_registry ADD COLUMN import_line int');
    await q.query('ALTER TABLE poverty_member ADD COLUMN import_line int');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE poverty_member DROP COLUMN import_line');
    await q.query('ALTER TABLE student_registry DROP COLUMN import_line');
  }
}
