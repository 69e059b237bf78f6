import 'reflect-metadata';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { Principal } from '@edu/auth';
import { residentIdCheckChar, studentKeyOf } from '@edu/contracts';
import { ImportRunner, type ImportSummary } from '@edu/imports';
import { createDataSource, ensureDatabase, runMigrations } from '@edu/persistence';
import { FixedClock } from '@edu/service';
import { AppModule } from '../apps/student-aid/src/app.module.js';
import { ComputeEntitlementsHandler } from '../apps/student-aid/src/entitlement/application/compute-entitlements.handler.js';
import { DecideRunHandler } from '../apps/student-aid/src/entitlement/application/decide-run.handler.js';
import { migrations } from '../apps/student-aid/src/migrations/index.js';
import { PolicyCatalogue } from '../apps/student-aid/src/policy/application/policy-catalogue.js';
import { parseTerm } from '../apps/student-aid/src/policy/domain/term.js';
import { policyRowsSql } from '../apps/student-aid/src/policy/persistence/policy-sql.js';
import { PaymentImportKind } from '../apps/student-aid/src/reconciliation/application/payment-import.kind.js';
import { ReconcileTermHandler } from '../apps/student-aid/src/reconciliation/application/reconcile-term.handler.js';
import { outboxInsertSql, yuanSql } from '../apps/student-aid/src/reconciliation/persistence/outbox-sql.js';
import { ReconciliationRepository } from '../apps/student-aid/src/reconciliation/persistence/reconciliation.repository.js';
import { RosterImportKind } from '../apps/student-aid/src/roster/application/roster-import.kind.js';
import { readStudentAidConfig, type StudentAidConfig } from '../apps/student-aid/src/student-aid.config.js';

/*
 * npm run bench -- reconcile [--students 1000000] [--keep]
 *
 * Generates (into a temp dir) a roster of N students, 97% on it before the term is computed
 * and 3% joining after (coverage gaps), and a payment file of N rows with 3% of each
 * planted kind: unpaid (no row), short (half paid), late, paid twice (two rows), name not
 * matching the ID, paid without entitlement (IDs on no roster). Then, in one run:
 *   app: the service's own handlers (ImportRunner + the import kinds, computation,
 *        auditor approval, reconciliation) on a fresh schema;
 *   raw: COPY of the same files plus the equivalent set-based SQL on another schema.
 * Checks every planted breach is found and nothing else, and reports times, rows/s and RSS.
 */

const TERM = '2020-autumn';
const COUNTIES = ['150802', '150821', '150822', '150823', '150824', '150825', '150826'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰';
const SECRET = readStudentAidConfig({}).studentKeySecret;

const ADMIN: Principal = { sub: 'bench-admin', role: 'city_admin' };
const OPERATOR: Principal = { sub: 'bench-operator', role: 'city_admin' };
const AUDITOR: Principal = { sub: 'bench-auditor', role: 'aid_auditor' };

type Plant = 'unpaid' | 'short' | 'late' | 'twice' | 'misnamed' | 'onTime';

function idOf(i: number): string {
  const region = COUNTIES[i % COUNTIES.length];
  const k = Math.floor(i / COUNTIES.length);
  const birth = new Date(Date.UTC(2005, 0, 1) + (k % 3650) * 86_400_000);
  const seq = String(Math.floor(k / 3650)).padStart(3, '0');
  const first17 = `${region}${birth.toISOString().slice(0, 10).replace(/-/g, '')}${seq}`;
  return first17 + residentIdCheckChar(first17);
}

function nameOf(i: number): string {
  return SURNAMES[i % 20] + GIVEN[Math.floor(i / 20) % 26] + GIVEN[Math.floor(i / 520) % 26];
}

/** Stage by index: 60% compulsory (primary/junior), 25% senior, 15% vocational; all registered poor, day students. */
function stageOf(i: number): { stage: string; grade: number; fen: number } {
  const s = i % 20;
  if (s < 12)
    return i % 2 ? { stage: 'primary', grade: 4, fen: 25000 } : { stage: 'junior', grade: 8, fen: 31250 };
  if (s < 17) return { stage: 'senior', grade: 11, fen: 100000 };
  return { stage: 'vocational', grade: 1, fen: 100000 };
}
const POLICY: Record<string, string> = {
  primary: 'COMPULSORY_NONBOARDER_LIVING',
  junior: 'COMPULSORY_NONBOARDER_LIVING',
  senior: 'SENIOR_NATIONAL_GRANT',
  vocational: 'VOCATIONAL_NATIONAL_GRANT',
};

function plantOf(i: number): Plant {
  const c = i % 100;
  if (c < 3) return 'unpaid';
  if (c < 6) return 'short';
  if (c < 9) return 'late';
  if (c < 12) return 'twice';
  if (c < 15) return 'misnamed';
  return 'onTime';
}

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
const ROSTER_HEADER =
  'id_number,name,county_code,school_code,stage,grade,boarder,bilingual,registered_poor,low_income,extreme_poverty,orphan,disability_level,special_education\n';

interface Planted {
  unpaid: Set<string>;
  short: Set<string>;
  late: Set<string>;
  twice: Set<string>;
  misnamed: Set<string>;
  without: Set<string>;
  gap: Set<string>;
  onTime: number;
}

async function writeLines(
  path: string,
  header: string,
  from: number,
  to: number,
  line: (i: number) => string,
) {
  const out = createWriteStream(path);
  out.write(header);
  let chunk = '';
  for (let i = from; i < to; i++) {
    chunk += line(i);
    if (chunk.length > 1 << 16) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

async function generate(dir: string, n: number) {
  const joiners = Math.round(n * 0.03);
  const initial = n - joiners;
  const without = joiners;
  const planted: Planted = {
    unpaid: new Set(),
    short: new Set(),
    late: new Set(),
    twice: new Set(),
    misnamed: new Set(),
    without: new Set(),
    gap: new Set(),
    onTime: 0,
  };
  const rosterLine = (i: number) => {
    const { stage, grade } = stageOf(i);
    return `${idOf(i)},${nameOf(i)},${COUNTIES[i % COUNTIES.length]},S${i % 997},${stage},${grade},0,0,1,0,0,0,0,0\n`;
  };
  const roster = join(dir, 'roster.csv');
  const joinersFile = join(dir, 'roster-joiners.csv');
  await writeLines(roster, ROSTER_HEADER, 0, initial, rosterLine);
  await writeLines(joinersFile, ROSTER_HEADER, initial, n, rosterLine);
  for (let i = initial; i < n; i++) planted.gap.add(studentKeyOf(idOf(i), SECRET));

  let ref = 0;
  let rows = 0;
  const payments = join(dir, 'payments.csv');
  const pay = (id: string, name: string, policy: string, fen: number, on: string) => {
    rows++;
    return `P${++ref},${id},${name},${policy},${TERM},${yuan(fen)},${on}\n`;
  };
  await writeLines(
    payments,
    'payment_ref,id_number,name,policy_code,term,amount,paid_on\n',
    0,
    initial + without,
    (i) => {
      if (i >= initial) {
        const id = idOf(n + (i - initial));
        planted.without.add(studentKeyOf(id, SECRET));
        return pay(id, nameOf(i), 'SENIOR_NATIONAL_GRANT', 100000, '2020-10-20');
      }
      const id = idOf(i);
      const { stage, fen } = stageOf(i);
      const policy = POLICY[stage];
      const plant = plantOf(i);
      if (plant === 'onTime') {
        planted.onTime++;
        return pay(id, nameOf(i), policy, fen, '2020-10-20');
      }
      const key = studentKeyOf(id, SECRET);
      planted[plant].add(key);
      switch (plant) {
        case 'unpaid':
          return '';
        case 'short':
          return pay(id, nameOf(i), policy, Math.floor(fen / 2), '2020-10-20');
        case 'late':
          return pay(id, nameOf(i), policy, fen, '2020-11-05');
        case 'twice':
          return (
            pay(id, nameOf(i), policy, fen, '2020-10-20') + pay(id, nameOf(i), policy, fen, '2020-10-25')
          );
        case 'misnamed':
          return pay(id, `${nameOf(i)}某`, policy, fen, '2020-10-20');
      }
    },
  );
  return { roster, joinersFile, payments, planted, initial, joiners, paymentRows: rows };
}

/** Samples RSS while a phase runs. */
class RssPeak {
  peak = 0;
  private timer = setInterval(() => this.sample(), 50);
  sample() {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
  }
}

/**
 * App and raw take turns, step by step (roster, compute, joiners, payments, reconcile), so
 * each pair is measured under the same load from whatever else the machine runs.
 */
class Turns {
  private turn: 'app' | 'raw' = 'app';
  private waiting = new Map<string, () => void>();
  async take(who: 'app' | 'raw') {
    if (this.turn !== who) await new Promise<void>((r) => this.waiting.set(who, r));
  }
  pass(who: 'app' | 'raw') {
    this.turn = who === 'app' ? 'raw' : 'app';
    const next = this.waiting.get(this.turn);
    this.waiting.delete(this.turn);
    next?.();
  }
}

let turns: Turns | undefined;

async function timed<T>(label: string, times: Record<string, number>, work: () => Promise<T>): Promise<T> {
  const who = label.startsWith('raw') ? 'raw' : 'app';
  const approve = label === 'approve';
  if (!approve) await turns?.take(who);
  try {
    const t0 = performance.now();
    const result = await work();
    times[label] = (performance.now() - t0) / 1000;
    process.stdout.write(`  ${label.padEnd(24)} ${times[label].toFixed(1)} s\n`);
    return result;
  } finally {
    // The auditor's approval follows the computation within the same turn.
    if (label !== 'compute') turns?.pass(who);
  }
}

const upload = (path: string) => ({ stream: createReadStream(path), filename: path, format: 'csv' as const });

async function runApp(url: string, schema: string, files: Awaited<ReturnType<typeof generate>>) {
  const clock = new FixedClock(new Date('2020-09-10T02:00:00Z'));
  const config: StudentAidConfig = {
    ...readStudentAidConfig({}),
    logLevel: 'warn',
    migrateOnBoot: false,
    database: { url, schema, poolSize: 4 },
    sweepIntervalMs: 0,
  };
  const ds = createDataSource({ url, schema, poolSize: 2 }, [], migrations);
  await ds.initialize();
  await runMigrations(ds, schema);
  await ds.destroy();
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    AppModule.register(config, { clock, relay: false }),
    { logger: ['error', 'warn'] },
  );
  const get = <T>(c: new (...a: never[]) => T) => app.get(c, { strict: false });
  const times: Record<string, number> = {};
  const rss = new RssPeak();
  const imports = get(ImportRunner);
  const check = (s: ImportSummary) => {
    if (s.status !== 'completed' || s.rowsRejected > 0)
      throw new Error(`import ${s.kind}: ${JSON.stringify(s)}`);
    return s;
  };
  try {
    await timed('import roster', times, async () =>
      check(await imports.run(get(RosterImportKind), upload(files.roster), ADMIN)),
    );
    const run = await timed('compute', times, () =>
      get(ComputeEntitlementsHandler).execute(TERM, undefined, OPERATOR),
    );
    await timed('approve', times, () => get(DecideRunHandler).execute(run.run.state.id, 'approve', AUDITOR));
    await timed('import roster joiners', times, async () =>
      check(await imports.run(get(RosterImportKind), upload(files.joinersFile), ADMIN)),
    );
    clock.set(new Date('2020-11-15T02:00:00Z'));
    await timed('import payments', times, async () =>
      check(await imports.run(get(PaymentImportKind), upload(files.payments), ADMIN)),
    );
    const reconciled = await timed('reconcile', times, () =>
      get(ReconcileTermHandler).execute(TERM, undefined, ADMIN),
    );
    rss.stop();
    return { times, rss: rss.peak, reconciled, app };
  } catch (e) {
    rss.stop();
    await app.close();
    throw e;
  }
}

async function copyFile(ds: DataSource, table: string, path: string) {
  const runner = ds.createQueryRunner();
  const client = (await runner.connect()) as pg.PoolClient;
  try {
    await pipeline(
      createReadStream(path),
      client.query(copyFrom(`COPY ${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)),
    );
  } finally {
    await runner.release();
  }
}

/** The ceiling: COPY the same files and run the equivalent set-based SQL, no application in between. */
async function runRaw(
  url: string,
  schema: string,
  files: Awaited<ReturnType<typeof generate>>,
  config: StudentAidConfig,
) {
  const ds = createDataSource({ url, schema, poolSize: 2 }, [], migrations);
  await ds.initialize();
  await runMigrations(ds, schema);
  const times: Record<string, number> = {};
  const term = parseTerm(TERM);
  const keyOf = (col: string) => `encode(public.hmac(upper(${col}), '${SECRET}', 'sha256'), 'hex')`;
  const flags = ['boarder', 'bilingual', 'registered_poor', 'low_income', 'extreme_poverty', 'orphan'];
  const rosterCols = `id_number text, name text, county_code text, school_code text, stage text, grade text, ${flags
    .map((f) => `${f} text`)
    .join(', ')}, disability_level text, special_education text`;
  const loadRoster = async (path: string) => {
    await ds.query(`CREATE UNLOGGED TABLE IF NOT EXISTS raw_roster (${rosterCols})`);
    await ds.query('TRUNCATE raw_roster');
    await copyFile(ds, 'raw_roster', path);
    await ds.transaction(async (em) => {
      await em.query(`SET LOCAL work_mem = '64MB'`);
      await em.query(`
      INSERT INTO aid_student (student_key, id_masked, name, county_code, school_code, stage, grade, ${flags.join(', ')},
        disability_level, special_education, import_id, updated_at)
      SELECT ${keyOf('id_number')}, left(id_number, 6) || '********' || right(id_number, 4), name, county_code, school_code,
        stage, grade::smallint, ${flags.map((f) => `${f} = '1'`).join(', ')}, disability_level::smallint, special_education = '1',
        NULL, now() FROM raw_roster
      ON CONFLICT (student_key) DO UPDATE SET name = EXCLUDED.name, county_code = EXCLUDED.county_code, stage = EXCLUDED.stage,
        grade = EXCLUDED.grade, updated_at = now()`);
    });
  };
  const catalogue = new PolicyCatalogue(
    // PolicyRepository only needs a DataSource.
    new (await import('../apps/student-aid/src/policy/persistence/policy.repository.js')).PolicyRepository(
      ds,
    ),
  );
  const now = '2020-11-15T02:00:00.000Z';
  try {
    await timed('raw import roster', times, () => loadRoster(files.roster));
    await timed('raw compute', times, async () => {
      const rows = policyRowsSql(await catalogue.forTerm(term), term) as string;
      await ds.query(`
        INSERT INTO entitlement (id, student_key, county_code, school_code, policy_code, policy_version, term,
          amount_due_fen, amount_paid_fen, paid_on_time_fen, due_date, status, approved_by, approved_at, created_at)
        SELECT gen_random_uuid(), s.student_key, s.county_code, s.school_code, p.code, p.version, '${TERM}',
          p.amount_fen, 0, 0, p.due_date, 'due', 'raw', now(), now()
        FROM aid_student s CROSS JOIN LATERAL (${rows}) AS p(code, version, due_date, amount_fen)
        WHERE p.amount_fen > 0 ON CONFLICT DO NOTHING`);
    });
    await timed('raw import joiners', times, () => loadRoster(files.joinersFile));
    await timed('raw import payments', times, async () => {
      await ds.query(`CREATE UNLOGGED TABLE raw_payment (payment_ref text, id_number text, name text, policy_code text,
        term text, amount text, paid_on text)`);
      await copyFile(ds, 'raw_payment', files.payments);
      await ds.transaction(async (em) => {
        await em.query(`SET LOCAL work_mem = '64MB'`);
        await em.query(`CREATE TEMP TABLE pay ON COMMIT DROP AS
          SELECT r.payment_ref, k.student_key, r.name, r.policy_code, r.term, (r.amount::numeric * 100)::bigint AS amount_fen,
            r.paid_on::date AS paid_on, gen_random_uuid() AS id, e.id AS entitlement_id, e.amount_due_fen,
            e.amount_paid_fen AS paid_before, e.due_date, COALESCE(e.county_code, s.county_code, left(r.id_number, 6)) AS county_code,
            (s.name IS NOT NULL AND s.name <> r.name) AS name_mismatch
          FROM raw_payment r CROSS JOIN LATERAL (SELECT ${keyOf('r.id_number')}::char(64) AS student_key) k
          LEFT JOIN entitlement e ON e.student_key = k.student_key AND e.policy_code = r.policy_code AND e.term = r.term
          LEFT JOIN aid_student s ON s.student_key = k.student_key`);
        await em.query(`CREATE TEMP TABLE pay_c ON COMMIT DROP AS
          WITH multi AS (SELECT entitlement_id FROM pay WHERE entitlement_id IS NOT NULL GROUP BY 1 HAVING count(*) > 1),
          cum AS (
            SELECT a.*, a.paid_before + a.amount_fen AS cum FROM pay a
            WHERE a.entitlement_id IS NULL OR a.entitlement_id NOT IN (SELECT entitlement_id FROM multi)
            UNION ALL
            SELECT a.*, a.paid_before + sum(a.amount_fen) OVER (PARTITION BY a.entitlement_id ORDER BY a.paid_on, a.payment_ref)
            FROM pay a WHERE a.entitlement_id IN (SELECT entitlement_id FROM multi))
          SELECT c.*, CASE WHEN c.entitlement_id IS NULL THEN 'without_entitlement' WHEN c.cum > c.amount_due_fen THEN 'paid_twice'
            WHEN c.name_mismatch THEN 'name_mismatch' ELSE 'regular' END AS class
          FROM cum c`);
        const ref = `jsonb_build_object('studentKey', x.student_key, 'countyCode', x.county_code, 'policyCode', x.policy_code, 'term', x.term)`;
        await em.query(
          `WITH ins AS (INSERT INTO payment (id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on, reference, class)
             SELECT id, entitlement_id, student_key, county_code, policy_code, term, amount_fen, paid_on, payment_ref, class FROM pay_c),
           agg AS (SELECT entitlement_id, sum(amount_fen) AS added, COALESCE(sum(amount_fen) FILTER (WHERE paid_on <= due_date), 0) AS on_time,
                     min(paid_on) FILTER (WHERE cum >= amount_due_fen) AS full_on
                   FROM pay_c WHERE entitlement_id IS NOT NULL GROUP BY entitlement_id),
           upd AS (UPDATE entitlement e SET amount_paid_fen = e.amount_paid_fen + a.added, paid_on_time_fen = e.paid_on_time_fen + a.on_time,
                     status = CASE WHEN e.amount_paid_fen + a.added >= e.amount_due_fen THEN 'settled' ELSE e.status END,
                     settled_on = a.full_on, settled_at = CASE WHEN a.full_on IS NOT NULL THEN $1::timestamptz END
                   FROM agg a WHERE e.id = a.entitlement_id RETURNING e.*),
           settled AS (${outboxInsertSql(
             'aid.entitlement.settled.v1',
             `SELECT x.id AS subject, x.county_code AS county, ${ref} || jsonb_build_object('entitlementId', x.id,
                'amountPaid', ${yuanSql('x.amount_paid_fen')}, 'settledAt', $1::text) AS data FROM upd x WHERE x.status = 'settled'`,
             '$1',
             '$2',
           )}),
           irregular AS (${outboxInsertSql(
             'aid.payment.irregular.v1',
             `SELECT COALESCE(x.entitlement_id, x.id) AS subject, x.county_code AS county, ${ref} || jsonb_build_object('paymentId', x.id,
                'amount', ${yuanSql('x.amount_fen')}, 'reason', CASE x.class WHEN 'paid_twice' THEN 'duplicate' ELSE 'not_entitled' END,
                'irregularity', x.class) AS data FROM pay_c x WHERE x.class <> 'regular'`,
             '$1',
             '$2',
           )})
           SELECT 1`,
          [now, config.service],
        );
      });
    });
    const reconciliation = new ReconciliationRepository(config);
    await timed('raw reconcile', times, () =>
      ds.transaction(async (em) => {
        await reconciliation.sweepBreaches(em, '2020-11-15', now, TERM);
        await reconciliation.findCoverageGaps(em, await catalogue.forTerm(term, em), term, '2020-11-15', now);
      }),
    );
    return times;
  } finally {
    await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
  }
}

async function keys(ds: DataSource, sql: string): Promise<Set<string>> {
  const rows: { k: string }[] = await ds.query(sql);
  return new Set(rows.map((r) => r.k));
}

function sameSet(label: string, found: Set<string>, planted: Set<string>): string[] {
  const missed = [...planted].filter((k) => !found.has(k)).length;
  const extra = [...found].filter((k) => !planted.has(k)).length;
  return missed || extra ? [`${label}: ${missed} planted not found, ${extra} found not planted`] : [];
}

export default async function reconcileBench(args: string[]) {
  const at = args.indexOf('--students');
  const n = at >= 0 ? Number(args[at + 1]) : 1_000_000;
  const keep = args.includes('--keep');
  const dir = mkdtempSync(join(tmpdir(), 'aid-bench-'));
  const url = `${process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432'}/edu_aid_bench`;
  const suffix = Math.random().toString(16).slice(2, 8);
  const appSchema = `bench_app_${suffix}`;
  const rawSchema = `bench_raw_${suffix}`;
  process.stdout.write(`reconcile bench: ${n} students, files in ${dir}\n`);
  let t0 = performance.now();
  const files = await generate(dir, n);
  const mb = (p: string) => (statSync(p).size / 1e6).toFixed(0);
  process.stdout.write(
    `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s: roster ${files.initial} + ${files.joiners} joiners (${mb(files.roster)} MB), ` +
      `payments ${files.paymentRows} rows (${mb(files.payments)} MB)\n`,
  );
  await ensureDatabase(url);
  const admin = createDataSource({ url, poolSize: 1 }, [], []);
  await admin.initialize();
  await admin.query('CREATE EXTENSION IF NOT EXISTS pgcrypto SCHEMA public');
  await admin.query(`CREATE SCHEMA ${appSchema}`);
  await admin.query(`CREATE SCHEMA ${rawSchema}`);
  const baseRss = process.memoryUsage().rss;
  try {
    process.stdout.write("app (the service's handlers) and raw (COPY + the equivalent SQL), step by step:\n");
    turns = new Turns();
    const [app, raw] = await Promise.all([
      runApp(url, appSchema, files),
      runRaw(url, rawSchema, files, readStudentAidConfig({})),
    ]);
    // Verify: every planted breach found, nothing else.
    const ds = createDataSource({ url, schema: appSchema, poolSize: 1 }, [], []);
    await ds.initialize();
    const p = files.planted;
    const problems = [
      ...sameSet(
        'unpaid',
        await keys(ds, `SELECT student_key AS k FROM entitlement WHERE amount_paid_fen = 0`),
        p.unpaid,
      ),
      ...sameSet(
        'short',
        await keys(
          ds,
          `SELECT student_key AS k FROM entitlement WHERE amount_paid_fen > 0 AND amount_paid_fen < amount_due_fen`,
        ),
        p.short,
      ),
      ...sameSet(
        'late',
        await keys(
          ds,
          `SELECT student_key AS k FROM entitlement WHERE amount_paid_fen >= amount_due_fen AND paid_on_time_fen < amount_due_fen`,
        ),
        p.late,
      ),
      ...sameSet(
        'paid twice',
        await keys(ds, `SELECT student_key AS k FROM payment WHERE class = 'paid_twice'`),
        p.twice,
      ),
      ...sameSet(
        'name mismatch',
        await keys(ds, `SELECT student_key AS k FROM payment WHERE class = 'name_mismatch'`),
        p.misnamed,
      ),
      ...sameSet(
        'without entitlement',
        await keys(ds, `SELECT student_key AS k FROM payment WHERE class = 'without_entitlement'`),
        p.without,
      ),
      ...sameSet('coverage gap', await keys(ds, `SELECT student_key AS k FROM coverage_gap`), p.gap),
    ];
    const events: { routing_key: string; n: number }[] = await ds.query(
      'SELECT routing_key, count(*)::int AS n FROM outbox GROUP BY 1 ORDER BY 1',
    );
    const ev = Object.fromEntries(events.map((e) => [e.routing_key, e.n]));
    const expected = {
      'aid.coverage.gap.v1': p.gap.size,
      'aid.entitlement.overdue.v1': p.unpaid.size,
      'aid.entitlement.settled.v1': p.onTime + p.late.size + p.twice.size + p.misnamed.size,
      'aid.payment.irregular.v1': p.twice.size + p.misnamed.size + p.without.size,
      'aid.payment.short.v1': p.short.size,
    };
    for (const [k, v] of Object.entries(expected))
      if (ev[k] !== v) problems.push(`${k}: ${ev[k] ?? 0} events, expected ${v}`);
    await ds.destroy();
    await app.app.close();

    const phase = (a: string[], r: string[]) => {
      const at = a.reduce((s, k) => s + app.times[k], 0);
      const rt = r.reduce((s, k) => s + raw[k], 0);
      return { app: at, raw: rt, ratio: at / rt };
    };
    const rows = {
      compute: phase(['compute', 'approve'], ['raw compute']),
      import: phase(
        ['import roster', 'import roster joiners', 'import payments'],
        ['raw import roster', 'raw import joiners', 'raw import payments'],
      ),
      reconcile: phase(['reconcile'], ['raw reconcile']),
    };
    const total = {
      app: rows.compute.app + rows.import.app + rows.reconcile.app,
      raw: rows.compute.raw + rows.import.raw + rows.reconcile.raw,
    };
    const inputRows = n + files.paymentRows;
    process.stdout.write('\nphase        app s    raw s   app/raw\n');
    for (const [k, v] of Object.entries(rows))
      process.stdout.write(
        `${k.padEnd(10)} ${v.app.toFixed(1).padStart(7)} ${v.raw.toFixed(1).padStart(8)} ${v.ratio.toFixed(2).padStart(8)}\n`,
      );
    process.stdout.write(
      `${'total'.padEnd(10)} ${total.app.toFixed(1).padStart(7)} ${total.raw.toFixed(1).padStart(8)} ${(total.app / total.raw).toFixed(2).padStart(8)}\n`,
    );
    process.stdout.write(
      `rows/s (roster + payment rows over total): app ${Math.round(inputRows / total.app)}, raw ${Math.round(inputRows / total.raw)}\n` +
        `payment import alone: ${Math.round(files.paymentRows / app.times['import payments'])} rows/s\n` +
        `peak RSS during the app phases: ${(app.rss / 1048576).toFixed(0)} MB (process before: ${(baseRss / 1048576).toFixed(0)} MB, ` +
        `max over the whole run: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB)\n` +
        `summary: ${JSON.stringify(app.reconciled.summary)}\nevents: ${JSON.stringify(ev)}\n`,
    );
    if (problems.length) {
      process.stdout.write(`FAILED: ${problems.join('; ')}\n`);
      process.exitCode = 1;
    } else {
      process.stdout.write('every planted breach found, nothing else\n');
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${appSchema} CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS ${rawSchema} CASCADE`);
    await admin.destroy();
    if (!keep) rmSync(dir, { recursive: true, force: true });
    t0 = performance.now();
  }
}
