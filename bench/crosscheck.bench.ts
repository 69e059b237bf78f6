import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DEV_AUTH_DEFAULTS, signToken } from '@edu/auth';
import { CopyTextBuffer, CsvCopyReader, type ImportKind, type RowProblem } from '@edu/imports';
import { ensureDatabase } from '@edu/persistence';
import { deleteTopology } from '@edu/testing';
import { CUTOFF, generate, WATCHED, type Generated } from './crosscheck/generate.js';
import { readDropoutControlConfig } from '../apps/dropout-control/src/dropout-control.config.js';
import { povertyRegistryImport } from '../apps/dropout-control/src/registry/persistence/poverty-registry.import-kind.js';
import { studentRegistryImport } from '../apps/dropout-control/src/registry/persistence/student-registry.import-kind.js';
import type { ServiceMessage, ServiceWorkerConfig } from './crosscheck/service.js';

/*
 * npm run bench -- crosscheck [--sizes 100000,1000000] [--repeat 3] [--statements]
 *
 * For each size N, generated into a temporary directory (deleted after): N poverty-registry
 * members and N student-registry rows across 7 counties, 2% of N planted as mismatches.
 * In the same run, on this machine's Postgres:
 *  - raw ceiling: COPY of the same two files into plain tables + the matching join in SQL;
 *  - the service: dropout-control in its own process, both files POSTed to
 *    /api/registry/{students,poverty}/import (streamed, validated row by row, COPY'd into
 *    staging — or, for a first load into an empty registry, straight into it — applied
 *    set-wise, each followed by the cross-check that opens the cases and writes their events
 *    to the outbox), timed from first byte sent to response.
 * Reports time, rows/s, the ratio to the raw ceiling, the service's peak RSS, the load
 * average, and CPU seconds of both sides (the service's Node process and its Postgres
 * backends; the ceiling's backend), which shared cores disturb less than wall time.
 * With --statements, also what the service's Postgres backends were doing on the run's path,
 * sampled every 10 ms (which costs the run a little): how much of the service's time is
 * Postgres working, and on what.
 */

const PG_SERVER = process.env.PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432';
const DB_URL = `${PG_SERVER}/edu_bench`;

/**
 * Times the ceiling and the service are each measured per size, alternately on the same files;
 * with more than one, the medians and the median ratio are printed too (one run's ratio moves
 * with this shared machine's speed, which changes within minutes).
 */
function repeatsOf(args: string[]): number {
  const i = args.indexOf('--repeat');
  const n = i >= 0 ? Number(args[i + 1]) : 1;
  if (!Number.isInteger(n) || n < 1) throw new Error('--repeat takes a whole number of runs, 1 or more');
  return n;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function sizesOf(args: string[]): number[] {
  const i = args.indexOf('--sizes');
  const list = i >= 0 ? args[i + 1] : '100000,1000000';
  return list.split(',').map((s) => Number(s.replace(/_/g, '')));
}

const seconds = (ms: number) => ms / 1000;
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

interface RawResult {
  copyStudents: number;
  copyPoverty: number;
  join: number;
  total: number;
  /** CPU seconds of the Postgres backend over the ceiling (COPY, COPY, join). */
  cpu: number | null;
  schoolAge: number;
  suspected: number;
  /**
   * Diagnostic, not the ceiling: the ceiling plus the primary keys a registry needs (COPY into
   * the tables, a primary key built on each, the join) — the data work of the service's first
   * load without any application code.
   */
  keyed: number;
}

/** CPU seconds (user + system) of a process on this machine, or null where /proc cannot tell. */
function processCpu(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

/**
 * CPU seconds of the Postgres backends of an application while it runs, sampled from /proc
 * every 200 ms (the server runs on this machine): backends seen at the start count from
 * there, backends that appear later count whole.
 */
class BackendCpu {
  private readonly first = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly client = new pg.Client({ connectionString: DB_URL });
  private unreadable = false;

  constructor(private readonly application: string) {}

  async start(): Promise<void> {
    await this.client.connect();
    await this.sample(true);
    this.timer = setInterval(() => void this.sample(false).catch(() => undefined), 200);
  }

  private async sample(initial: boolean): Promise<void> {
    const { rows } = await this.client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1',
      [this.application],
    );
    for (const { pid } of rows) {
      const cpu = processCpu(pid);
      if (cpu === null) {
        this.unreadable = true;
        continue;
      }
      if (!this.first.has(pid)) this.first.set(pid, initial ? cpu : 0);
      this.last.set(pid, cpu);
    }
  }

  async stop(): Promise<number | null> {
    clearInterval(this.timer);
    await this.sample(false);
    await this.client.end();
    if (this.unreadable) return null;
    let total = 0;
    for (const [pid, cpu] of this.last) total += cpu - (this.first.get(pid) ?? 0);
    return total;
  }
}

/** What a sample of the service's backends says the run was doing. */
const PATH_KINDS = [
  'COPY: Postgres working',
  "COPY: waiting for the service's rows",
  'registry keys',
  'ledger',
  'opening cases',
  'relocation demand',
  'other statements',
  'in a transaction, waiting for the service',
  'no statement running',
] as const;
type PathKind = (typeof PATH_KINDS)[number];
/** The kinds in which Postgres is not working for the run: waiting for the service, or idle. */
const NOT_WORKING = new Set<PathKind>([
  "COPY: waiting for the service's rows",
  'in a transaction, waiting for the service',
  'no statement running',
]);

/** The kind of an active statement on the run's path; null for the outbox relay's (its own connection, off the path). */
function statementKind(query: string, waitType: string | null): PathKind | null {
  const q = query.trimStart();
  if (/^WITH claimed\b|^UPDATE outbox SET published_at/.test(q)) return null;
  if (/^COPY (student_registry|poverty_member)\b/.test(q))
    return waitType === 'Client' ? "COPY: waiting for the service's rows" : 'COPY: Postgres working';
  if (/^ALTER TABLE (student_registry|poverty_member) ADD CONSTRAINT \w+ PRIMARY KEY/.test(q))
    return 'registry keys';
  if (/crosscheck_child_[0-9a-f]{32}/.test(q)) return 'ledger';
  if (/^WITH opened AS|^INSERT INTO outbox|^FETCH \d+ FROM open_|^SELECT p\.id_number, p\.name/.test(q))
    return 'opening cases';
  if (/^SELECT site\b/.test(q)) return 'relocation demand';
  return 'other statements';
}

/**
 * Samples the service's Postgres backends (`pg_stat_activity`, leaders only) every 10 ms
 * while it runs, and adds each interval to what the run's path was doing then: a statement
 * of some kind running (a `COPY` waiting for the client's rows counted apart), a transaction
 * open while the service works between statements, or no statement at all (the service
 * reading, answering, or between requests).
 */
class StatementSampler {
  private readonly client = new pg.Client({ connectionString: DB_URL });
  readonly ms = Object.fromEntries(PATH_KINDS.map((k) => [k, 0])) as Record<PathKind, number>;
  private running = false;
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly application: string) {}

  async start(): Promise<void> {
    await this.client.connect();
    this.running = true;
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    let last = performance.now();
    while (this.running) {
      const { rows } = await this.client.query<{ state: string; wait: string | null; query: string }>(
        `SELECT state, wait_event_type AS wait, query FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = $1 AND leader_pid IS NULL`,
        [this.application],
      );
      const now = performance.now();
      const kinds = new Set<PathKind>();
      let inTransaction = false;
      for (const r of rows) {
        if (r.state === 'active') {
          const kind = statementKind(r.query, r.wait);
          if (kind) kinds.add(kind);
        } else if (r.state.startsWith('idle in transaction')) inTransaction = true;
      }
      if (kinds.size === 0)
        kinds.add(inTransaction ? 'in a transaction, waiting for the service' : 'no statement running');
      for (const k of kinds) this.ms[k] += now - last;
      last = now;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<Record<PathKind, number>> {
    this.running = false;
    await this.done;
    await this.client.end();
    return this.ms;
  }
}

async function checkpoint(): Promise<void> {
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  await c.query('CHECKPOINT');
  await c.end();
}

/** The ceiling: plain COPY of the files into unindexed tables, then the matching join. */
async function rawCeiling(povertyFile: string, studentFile: string): Promise<RawResult> {
  const schema = `raw_${randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  try {
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(`SET search_path = ${schema}`);
    await c.query(`SET work_mem = '128MB'`);
    await c.query(`CREATE TABLE raw_student (id_number char(18), name text, birth_date date, county_code char(6),
      school_code text, school_name text, stage text, grade smallint, enrolment_status text, disability_level text)`);
    await c.query(`CREATE TABLE raw_poverty (household_id text, id_number char(18), name text, birth_date date,
      county_code char(6), township text, village text, poverty_status text, orphan boolean, disability_level text,
      relocation_site_code text)`);
    await checkpoint();
    const { rows: backend } = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const cpu0 = processCpu(backend[0].pid);
    const t0 = performance.now();
    await pipeline(
      createReadStream(studentFile),
      c.query(copyFrom('COPY raw_student FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const t1 = performance.now();
    await pipeline(
      createReadStream(povertyFile),
      c.query(copyFrom('COPY raw_poverty FROM STDIN WITH (FORMAT csv, HEADER true)')),
    );
    const t2 = performance.now();
    const { rows } = await c.query<{ school_age: number; suspected: number }>(
      `SELECT count(*)::int AS school_age,
         count(*) FILTER (WHERE s.id_number IS NULL OR s.enrolment_status IN ('suspended', 'dropped'))::int AS suspected
       FROM raw_poverty p LEFT JOIN raw_student s ON s.id_number = p.id_number
       WHERE p.poverty_status = ANY($1) AND p.birth_date > $2 AND p.birth_date <= $3`,
      [WATCHED, '2004-09-01', '2014-09-01'],
    );
    const t3 = performance.now();
    const cpu1 = processCpu(backend[0].pid);

    await c.query(`CREATE TABLE key_student (LIKE raw_student)`);
    await c.query(`ALTER TABLE key_student ALTER COLUMN id_number TYPE char(18) COLLATE "C"`);
    await c.query(`CREATE TABLE key_poverty (LIKE raw_poverty)`);
    await c.query(`ALTER TABLE key_poverty ALTER COLUMN id_number TYPE char(18) COLLATE "C"`);
    await checkpoint();
    const k0 = performance.now();
    for (const [table, file] of [
      ['student', studentFile],
      ['poverty', povertyFile],
    ]) {
      await c.query('BEGIN');
      await pipeline(
        createReadStream(file),
        c.query(copyFrom(`COPY key_${table} FROM STDIN WITH (FORMAT csv, HEADER true)`)),
      );
      await c.query(`SET LOCAL maintenance_work_mem = '256MB'`);
      await c.query(`ALTER TABLE key_${table} ADD PRIMARY KEY (id_number)`);
      await c.query('COMMIT');
    }
    await c.query(
      `SELECT count(*)::int FROM key_poverty p LEFT JOIN key_student s ON s.id_number = p.id_number
       WHERE p.poverty_status = ANY($1) AND p.birth_date > $2 AND p.birth_date <= $3
         AND (s.id_number IS NULL OR s.enrolment_status IN ('suspended', 'dropped'))`,
      [WATCHED, '2004-09-01', '2014-09-01'],
    );
    const keyed = performance.now() - k0;
    return {
      keyed,
      copyStudents: t1 - t0,
      copyPoverty: t2 - t1,
      join: t3 - t2,
      total: t3 - t0,
      cpu: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
      schoolAge: rows[0].school_age,
      suspected: rows[0].suspected,
    };
  } finally {
    await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await c.end();
  }
}

/**
 * CPU time of what the service runs on an uploaded CSV file, alone: libs/imports'
 * CsvCopyReader with the registry kind (its row encoder on the file's bytes, parse for the
 * rest) writing the COPY text, which is dropped here instead of sent to Postgres.
 */
async function readerOnly(file: string, kind: ImportKind<unknown>): Promise<number> {
  const started = process.cpuUsage();
  const out = new CopyTextBuffer();
  const problems: RowProblem[] = [];
  const reader = new CsvCopyReader(
    kind,
    { by: { sub: 'bench', role: 'city_admin' }, scope: undefined },
    out,
    problems,
  );
  for await (const chunk of createReadStream(file)) {
    reader.push(chunk as Buffer);
    if (out.length >= 1 << 20) out.take();
  }
  reader.end();
  if (reader.read === 0 || reader.loaded === 0) throw new Error(`no rows read from ${file}`);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

/** Sums of the service's own phase timings, from its Prometheus metrics. */
async function phaseTimes(port: number): Promise<Record<string, number>> {
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
  const out: Record<string, number> = {};
  for (const m of text.matchAll(
    /^dropout_(registry_apply|crosscheck_phase)_seconds_sum\{(?:registry|phase)="([a-z_]+)"\} ([\d.e+-]+)$/gm,
  )) {
    out[m[2]] = Number(m[3]) * 1000;
  }
  return out;
}

class ServiceProcess {
  private readonly messages: ServiceMessage[] = [];
  private output = '';
  readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: ServiceMessage) => this.messages.push(m));
    child.stdout?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-5000)));
    child.stderr?.on('data', (d: Buffer) => (this.output = (this.output + d.toString()).slice(-5000)));
    this.exited = once(child, 'exit');
  }

  static start(cfg: ServiceWorkerConfig): ServiceProcess {
    const child = fork(fileURLToPath(new URL('./crosscheck/service.js', import.meta.url)), [], {
      env: { ...process.env, CROSSCHECK_BENCH_SERVICE: JSON.stringify(cfg) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    return new ServiceProcess(child);
  }

  async next<T extends ServiceMessage['type']>(type: T): Promise<Extract<ServiceMessage, { type: T }>> {
    for (let waited = 0; waited < 120_000; waited += 100) {
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(i, 1)[0] as Extract<ServiceMessage, { type: T }>;
      if (this.child.exitCode !== null) throw new Error(`service exited:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`service: no ${type} message:\n${this.output}`);
  }

  /** The service process's CPU ms since it was ready. */
  async cpuMs(): Promise<number> {
    this.child.send({ type: 'cpu' });
    return (await this.next('cpu')).cpuMs;
  }

  async stop() {
    this.child.send({ type: 'stop' });
    const stats = await this.next('stats');
    await this.exited;
    return stats;
  }

  get log(): string {
    return this.output;
  }
}

interface ImportReply {
  status: string;
  rowsRead: number;
  rowsRejected: number;
  startedAt: string;
  finishedAt: string;
  crosscheck: {
    startedAt: string;
    finishedAt: string;
    totals: { schoolAge: number; suspected: number; opened: number; confirmed: number };
  };
}

/** POSTs a file as a streamed CSV body; resolves with the reply and the wall time. */
function upload(port: number, path: string, file: string, token: string) {
  return new Promise<{ ms: number; reply: ImportReply }>((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 201) reject(new Error(`${path}: ${res.statusCode} ${text.slice(0, 500)}`));
          else resolve({ ms: performance.now() - started, reply: JSON.parse(text) as ImportReply });
        });
      },
    );
    req.on('error', reject);
    createReadStream(file).on('error', reject).pipe(req);
  });
}

const span = (from: string, to: string) => new Date(to).getTime() - new Date(from).getTime();

interface ServiceResult {
  students: { ms: number; import: number; crosscheck: number };
  poverty: { ms: number; import: number; crosscheck: number };
  total: number;
  bootRss: number;
  peakRss: number;
  /** CPU seconds over both uploads: the service process, and its Postgres backends (null if unreadable). */
  cpu: { node: number; postgres: number | null };
  schoolAge: number;
  suspected: number;
  opened: number;
  openedEvents: number;
  /** ms per phase: registry applies (by table) and cross-check phases (summed over both runs). */
  phases: Record<string, number>;
  /** With --statements: ms of the run's path by what its Postgres backends were doing. */
  path: Record<PathKind, number> | null;
}

async function service(
  povertyFile: string,
  studentFile: string,
  statements: boolean,
): Promise<ServiceResult> {
  const cfg: ServiceWorkerConfig = {
    databaseUrl: DB_URL,
    schema: `crosscheck_${randomBytes(3).toString('hex')}`,
    namespace: `bench_${randomBytes(3).toString('hex')}`,
  };
  const svc = ServiceProcess.start(cfg);
  const c = new pg.Client({ connectionString: DB_URL });
  await c.connect();
  try {
    const { port, rss: bootRss } = await svc.next('ready');
    const token = await signToken({ sub: 'bench', role: 'city_admin' }, DEV_AUTH_DEFAULTS);
    await checkpoint();
    const backends = new BackendCpu(cfg.schema);
    await backends.start();
    const sampler = statements ? new StatementSampler(cfg.schema) : null;
    await sampler?.start();
    const node0 = await svc.cpuMs();
    const students = await upload(port, '/api/registry/students/import', studentFile, token);
    const poverty = await upload(port, '/api/registry/poverty/import', povertyFile, token);
    const node = (await svc.cpuMs()) - node0;
    const path = (await sampler?.stop()) ?? null;
    const postgres = await backends.stop();
    const phases = await phaseTimes(port);
    const { peakRss } = await svc.stop();
    const [{ n }] = (
      await c.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${cfg.schema}.outbox WHERE routing_key = 'dropout.case.opened.v1'`,
      )
    ).rows;
    const part = (u: { ms: number; reply: ImportReply }) => ({
      ms: u.ms,
      import: span(u.reply.startedAt, u.reply.finishedAt),
      crosscheck: span(u.reply.crosscheck.startedAt, u.reply.crosscheck.finishedAt),
    });
    const t = poverty.reply.crosscheck.totals;
    return {
      students: part(students),
      poverty: part(poverty),
      total: students.ms + poverty.ms,
      bootRss,
      peakRss,
      cpu: { node: node / 1000, postgres },
      schoolAge: t.schoolAge,
      suspected: t.suspected,
      opened: t.opened,
      openedEvents: n,
      phases,
      path,
    };
  } catch (e) {
    process.stderr.write(svc.log);
    throw e;
  } finally {
    await c.query(`DROP SCHEMA IF EXISTS ${cfg.schema} CASCADE`);
    await c.end();
    await deleteTopology(cfg.namespace, ['dropout-control']).catch(() => undefined);
  }
}

export default async function crosscheckBench(args: string[]): Promise<void> {
  await ensureDatabase(DB_URL);
  const repeats = repeatsOf(args);
  const statements = args.includes('--statements');
  const results: {
    size: number;
    /** Which of the size's runs (1-based). */
    run: number;
    gen: Generated;
    bytes: number;
    raw: RawResult;
    svc: ServiceResult;
    reader: { students: number; poverty: number };
    /** 1-minute load average before the raw ceiling and after the service (a shared machine). */
    load: [number, number];
  }[] = [];
  for (const size of sizesOf(args)) {
    const dir = await mkdtemp(join(tmpdir(), 'crosscheck-bench-'));
    try {
      const povertyFile = join(dir, 'poverty.csv');
      const studentFile = join(dir, 'students.csv');
      process.stdout.write(`\n== ${size} + ${size} rows: generating …\n`);
      const gen = await generate(size, povertyFile, studentFile);
      const bytes = (await stat(povertyFile)).size + (await stat(studentFile)).size;
      process.stdout.write(
        `   ${mb(bytes)} MB; ${gen.schoolAge} school-age children, ${gen.planted} planted\n`,
      );
      const cityCode = readDropoutControlConfig({}).cityCode;
      let reader: { students: number; poverty: number } | undefined;
      for (let run = 1; run <= repeats; run++) {
        const loadBefore = loadavg()[0];
        const raw = await rawCeiling(povertyFile, studentFile);
        process.stdout.write(
          `   raw ceiling: ${seconds(raw.total).toFixed(1)} s (with primary keys: ${seconds(raw.keyed).toFixed(1)} s); load ${loadBefore.toFixed(1)}\n`,
        );
        reader ??= {
          students: await readerOnly(studentFile, studentRegistryImport(cityCode)),
          poverty: await readerOnly(povertyFile, povertyRegistryImport(cityCode)),
        };
        const svc = await service(povertyFile, studentFile, statements);
        const loadAfter = loadavg()[0];
        process.stdout.write(
          `   service: ${seconds(svc.total).toFixed(1)} s, peak RSS ${mb(svc.peakRss)} MB; load ${loadAfter.toFixed(1)}\n`,
        );
        const correct =
          raw.schoolAge === gen.schoolAge &&
          raw.suspected === gen.planted &&
          svc.schoolAge === gen.schoolAge &&
          svc.suspected === gen.planted &&
          svc.opened === gen.planted &&
          svc.openedEvents === gen.planted;
        if (!correct) {
          throw new Error(
            `counts disagree: generated ${JSON.stringify(gen)}, raw ${JSON.stringify(raw)}, service ${JSON.stringify(svc)}`,
          );
        }
        results.push({ size, run, gen, bytes, raw, svc, reader, load: [loadBefore, loadAfter] });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  const f = (ms: number) => seconds(ms).toFixed(1);
  const cpu = (v: number | null) => (v === null ? 'n/a' : v.toFixed(1));
  const lines = [
    `Cross-check benchmark (${new Date().toISOString().slice(0, 10)}, cutoff ${CUTOFF}); times in seconds.`,
    '',
    '| rows (students + poverty) | load avg (1 min) | raw COPY students | raw COPY poverty | raw join | **raw total** | service students import (+ cross-check) | service poverty import + cross-check | **service total** | rows/s raw | rows/s service | **ratio** | service RSS after boot | **service peak RSS** |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const label = (size: number, run?: number) =>
    `${size.toLocaleString('en')} + ${size.toLocaleString('en')}${repeats > 1 && run ? ` (run ${run})` : ''}`;
  for (const { size, run, raw, svc, load } of results) {
    lines.push(
      `| ${label(size, run)} | ${load[0].toFixed(1)} → ${load[1].toFixed(1)} | ${f(raw.copyStudents)} | ${f(raw.copyPoverty)} | ${f(raw.join)} | **${f(raw.total)}** | ${f(svc.students.ms)} (${f(svc.students.import)} + ${f(svc.students.crosscheck)}) | ${f(svc.poverty.ms)} (${f(svc.poverty.import)} + ${f(svc.poverty.crosscheck)}) | **${f(svc.total)}** | ${Math.round((2 * size) / seconds(raw.total)).toLocaleString('en')} | ${Math.round((2 * size) / seconds(svc.total)).toLocaleString('en')} | **${(svc.total / raw.total).toFixed(2)}x** | ${mb(svc.bootRss)} MB | **${mb(svc.peakRss)} MB** |`,
    );
  }
  if (repeats > 1) {
    lines.push(
      '',
      `Medians of the ${repeats} runs of each size (the ratio is the median of the runs' ratios):`,
      '',
      '| rows (students + poverty) | raw total | service total | **ratio** | ratios of the runs | **service peak RSS** (highest) |',
      '|---|---|---|---|---|---|',
    );
    for (const size of sizesOf(args)) {
      const runs = results.filter((r) => r.size === size);
      const ratios = runs.map((r) => r.svc.total / r.raw.total);
      lines.push(
        `| ${label(size)} | ${f(median(runs.map((r) => r.raw.total)))} | ${f(median(runs.map((r) => r.svc.total)))} | **${median(ratios).toFixed(2)}x** | ${ratios.map((x) => `${x.toFixed(2)}x`).join(', ')} | **${mb(Math.max(...runs.map((r) => r.svc.peakRss)))} MB** |`,
      );
    }
  }
  lines.push(
    '',
    "CPU seconds (steadier than wall time on a shared machine): the raw ceiling's Postgres backend; the service process (Node) and its Postgres backends over both uploads. With primary keys: the raw ceiling plus a primary key built on each table (wall time). Reader CPU: what the service runs on each file (libs/imports' CsvCopyReader with the registry kind's row encoder, COPY text written and dropped), alone on the same files, in the benchmark process. Then the service phase metrics (wall time).",
    '',
    '| rows | CPU raw | CPU service: Node + Postgres | CPU ratio | with primary keys | reader CPU: students + poverty | apply students | apply poverty | cross-check: ledger | open cases | reopen | counts | relocation demand | prune |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const { size, run, svc, reader, raw } of results) {
    const p = (k: string) => seconds(svc.phases[k] ?? 0).toFixed(1);
    const serviceCpu = svc.cpu.postgres === null ? null : svc.cpu.node + svc.cpu.postgres;
    const ratio = raw.cpu && serviceCpu !== null ? `${(serviceCpu / raw.cpu).toFixed(1)}x` : 'n/a';
    lines.push(
      `| ${label(size, run)} | ${cpu(raw.cpu)} | ${svc.cpu.node.toFixed(1)} + ${cpu(svc.cpu.postgres)} | ${ratio} | ${f(raw.keyed)} | ${f(reader.students)} + ${f(reader.poverty)} | ${p('student_registry')} | ${p('poverty_member')} | ${p('ledger')} | ${p('open')} | ${p('reopen')} | ${p('count')} | ${p('demand')} | ${p('prune')} |`,
    );
  }
  if (statements) {
    lines.push(
      '',
      "What the service's Postgres backends were doing on the run's path (--statements; sampled every 10 ms, seconds). Postgres working: every statement's time but a COPY's waits for the service's rows; its ratio is to the same run's raw ceiling.",
      '',
      `| rows | ${PATH_KINDS.join(' | ')} | **Postgres working** | **its ratio** |`,
      `|---|${PATH_KINDS.map(() => '---|').join('')}---|---|`,
    );
    const f2 = (ms: number) => seconds(ms).toFixed(2);
    for (const { size, run, svc, raw } of results) {
      const path = svc.path as Record<PathKind, number>;
      const working = PATH_KINDS.filter((k) => !NOT_WORKING.has(k)).reduce((sum, k) => sum + path[k], 0);
      lines.push(
        `| ${label(size, run)} | ${PATH_KINDS.map((k) => f2(path[k])).join(' | ')} | **${f2(working)}** | **${(working / raw.total).toFixed(2)}x** |`,
      );
    }
  }
  lines.push('');
  for (const { size, run, gen, bytes, svc } of results) {
    lines.push(
      `${label(size, run)}: ${mb(bytes)} MB of CSV; ${gen.schoolAge} school-age children of watched households, ${gen.planted} planted mismatches; the run found ${svc.suspected} suspected and opened ${svc.opened} cases (${svc.openedEvents} dropout.case.opened.v1 in the outbox) — matching the raw join.`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}
