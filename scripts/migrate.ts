import 'reflect-metadata';
import { migrateService } from '@edu/service';
import { readDropoutControlConfig } from '../apps/dropout-control/src/dropout-control.config.js';
import { migrations as dropoutMigrations } from '../apps/dropout-control/src/migrations/index.js';
import { readNotificationsConfig } from '../apps/notifications/src/notifications.config.js';
import { migrations as notificationsMigrations } from '../apps/notifications/src/migrations/index.js';
import { readSchoolConstructionConfig } from '../apps/school-construction/src/school-construction.config.js';
import { migrations as constructionMigrations } from '../apps/school-construction/src/migrations/index.js';
import { readStudentAidConfig } from '../apps/student-aid/src/student-aid.config.js';
import { migrations as aidMigrations } from '../apps/student-aid/src/migrations/index.js';
import { readSupervisionConfig } from '../apps/supervision/src/supervision.config.js';
import { migrations as supervisionMigrations } from '../apps/supervision/src/migrations/index.js';

/**
 * `npm run migrate [service...]`: creates each service's database if missing and runs its
 * migrations under a Postgres advisory lock (safe beside running replicas), as the owner
 * (`DATABASE_URL`); then gives the runtime role the services connect as (`DATABASE_RUNTIME_URL`,
 * else `DB_RUNTIME_ROLE`, default edu_app, created if missing) its rights: its tables, and only
 * SELECT and INSERT on the audit log. Reads the same environment as the services.
 */
const targets = {
  'dropout-control': () => migrateService(readDropoutControlConfig(), dropoutMigrations),
  'student-aid': () => migrateService(readStudentAidConfig(), aidMigrations),
  'school-construction': () => migrateService(readSchoolConstructionConfig(), constructionMigrations),
  supervision: () => migrateService(readSupervisionConfig(), supervisionMigrations),
  notifications: () => migrateService(readNotificationsConfig(), notificationsMigrations),
};
type Target = keyof typeof targets;

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in targets));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown service(s): ${unknown.join(', ')}; one of ${Object.keys(targets).join(', ')}\n`,
  );
  process.exit(2);
}
for (const name of (wanted.length ? wanted : Object.keys(targets)) as Target[]) {
  try {
    const ran = await targets[name]();
    process.stdout.write(`${name}: ${ran.length ? `applied ${ran.join(', ')}` : 'up to date'}\n`);
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
