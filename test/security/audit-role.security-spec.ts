import pg from 'pg';
import type { Principal } from '@edu/auth';
import { FixedClock } from '@edu/service';
import { TEST_DATABASE_URL, uniqueName } from '@edu/testing';
import { bootService, type RunningService } from './support/services.js';
import { idNumber } from './support/suite.js';

const A = '150821';
const CHILD = { id: idNumber(A, '20110304', 9), name: '甲角色' };
const admin: Principal = { sub: 'admin-1', role: 'city_admin' };
const POVERTY_HEADER =
  'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';
const member = `HA,${CHILD.id},${CHILD.name},2011-03-04,${A},隆兴昌镇,新丰村,registered_poor,否,none,`;

/**
 * The service runs as a role that is not the owner (migrations run as the owner and grant it its
 * rights): it works as before, and on the audit log it can append and read, nothing else —
 * not through SQL, not by switching the triggers off, not by taking the table over.
 */
describe('the runtime database role: the service works, the audit log is out of its reach', () => {
  const role = uniqueName('t_runtime');
  let svc: RunningService;
  let asRuntime: pg.Client;

  beforeAll(async () => {
    svc = await bootService(
      'dropout-control',
      {},
      { clock: new FixedClock(new Date('2020-09-10T02:00:00Z')), runtimeRole: role },
    );
    const url = new URL(TEST_DATABASE_URL);
    url.username = role;
    asRuntime = new pg.Client({
      connectionString: url.toString(),
      options: `-c search_path=${svc.db.schema}`,
    });
    await asRuntime.connect();
  });

  afterAll(async () => {
    await asRuntime?.end();
    await svc?.close();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DROP OWNED BY "${role}"`);
    await admin.query(`DROP ROLE "${role}"`);
    await admin.end();
  });

  it('serves requests through the runtime role: its connections are that role, not the owner', async () => {
    const who = await svc.sql<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename = $1`,
      [role],
    );
    expect(who).toEqual([{ usename: role }]);
    const res = await svc.call('POST', '/api/cases', admin, {
      studentIdNumber: CHILD.id,
      name: CHILD.name,
      countyCode: A,
      schoolCode: 'WY-01',
      registeredPoor: true,
    });
    expect(res.status).toBe(201);
    // A registry's first load drops and rebuilds its key: the runtime role owns the registries.
    const load = await svc.call(
      'POST',
      '/api/registry/poverty/import',
      admin,
      `${POVERTY_HEADER}\n${member}`,
      {
        'content-type': 'text/csv',
      },
    );
    expect(load.status).toBe(201);
    expect(load.body).toMatchObject({ status: 'completed', inserted: 1 });
    // Its cross-check creates the run's ledger partition and attaches it: the role owns the ledger.
    expect(load.body.crosscheck).toMatchObject({ status: 'completed', error: null });
    const rows = await svc.sql<{ action: string }>('SELECT action FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.action)).toEqual(['POST /api/cases', 'POST /api/registry/poverty/import']);
    const [stored] = await svc.sql<{ n: number }>('SELECT count(*)::int AS n FROM dropout_case');
    expect(stored.n).toBe(1);
  });

  it('can append to the audit log and read it, and nothing more', async () => {
    await asRuntime.query(
      `INSERT INTO audit_log (actor, role, action, status, outcome) VALUES ('x', 'city_admin', 'POST /x', 201, 'done')`,
    );
    const before = await svc.sql<{ n: number }>('SELECT count(*)::int AS n FROM audit_log');
    expect(before[0].n).toBe(3);
    const refused = async (sql: string) => {
      const e = await asRuntime.query(sql).then(
        () => undefined,
        (err: { code?: string; message: string }) => err,
      );
      return e ? `${e.code}: ${e.message}` : 'allowed';
    };
    const attempts = {
      update: await refused(`UPDATE audit_log SET actor = 'someone-else'`),
      delete: await refused('DELETE FROM audit_log'),
      truncate: await refused('TRUNCATE audit_log'),
      disableTriggers: await refused('ALTER TABLE audit_log DISABLE TRIGGER ALL'),
      disableTrigger: await refused('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only'),
      dropTrigger: await refused('DROP TRIGGER audit_log_append_only ON audit_log'),
      replaceFunction: await refused(
        `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
      ),
      takeOver: await refused(`ALTER TABLE audit_log OWNER TO "${role}"`),
      rename: await refused('ALTER TABLE audit_log RENAME TO audit_log_old'),
      drop: await refused('DROP TABLE audit_log'),
      becomeOwner: await refused('SET ROLE postgres'),
      resetSequence: await refused(`SELECT setval('audit_log_id_seq', 1)`),
    };
    for (const [what, outcome] of Object.entries(attempts)) {
      expect([what, outcome]).toEqual([what, expect.stringMatching(/^42501: /)]);
    }
    const after = await svc.sql<{ n: number; actors: string[] }>(
      `SELECT count(*)::int AS n, array_agg(DISTINCT actor) AS actors FROM audit_log`,
    );
    expect(after[0].n).toBe(3);
    expect(after[0].actors).not.toContain('someone-else');
    const triggers = await svc.sql<{ tgname: string; tgenabled: string }>(
      `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass ORDER BY tgname`,
    );
    expect(triggers).toEqual([
      { tgname: 'audit_log_append_only', tgenabled: 'O' },
      { tgname: 'audit_log_no_truncate', tgenabled: 'O' },
    ]);
  });

  it('shows the service the audit log as before', async () => {
    const res = await svc.call('GET', '/api/audit', admin);
    expect(res.status).toBe(200);
    expect(res.body.map((r: { action: string }) => r.action)).toEqual([
      'POST /x',
      'POST /api/registry/poverty/import',
      'POST /api/cases',
    ]);
  });
});
