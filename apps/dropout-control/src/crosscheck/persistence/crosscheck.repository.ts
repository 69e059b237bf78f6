import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '@edu/contracts';
import type { Finding } from '../../dropout-case/domain/dropout-case.js';
import type { DisabilityLevel } from '../../dropout-case/domain/placement.js';
import { bornBetween, type CrosscheckAction, type CrosscheckPolicy } from '../domain/school-age.js';

export type CrosscheckStatus = 'running' | 'completed' | 'failed';
export type Ledger = 'school_age' | 'suspected' | 'confirmed';

export interface RunRow {
  id: string;
  trigger: 'request' | 'import';
  importId: string | null;
  schoolYear: number;
  cutoff: string;
  scope: string | null;
  startedBy: string;
}

export interface CountyCounts {
  countyCode: string;
  schoolAge: number;
  suspected: number;
  notInRegistry: number;
  suspended: number;
  dropped: number;
  confirmed: number;
  opened: number;
  reopened: number;
  alreadyOpen: number;
  explained: number;
  enrolledWithOpenCase: number;
}

export interface CrosscheckSummary {
  id: string;
  status: CrosscheckStatus;
  trigger: string;
  importId: string | null;
  schoolYear: number;
  cutoff: string;
  countyScope: string | null;
  policy: CrosscheckPolicy | null;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  relocationSites: number;
  error: string | null;
  totals: Omit<CountyCounts, 'countyCode'>;
  counties: CountyCounts[];
}

/** A child the run opens a case for, with what the registries say about them. */
export interface OpenCandidate {
  /** The id the ledger gave the case to open. */
  caseId: string;
  idNumber: string;
  name: string;
  householdId: string;
  countyCode: string;
  township: string;
  village: string;
  povertyStatus: string;
  povertyDisability: DisabilityLevel;
  studentDisability: DisabilityLevel | null;
  schoolCode: string | null;
  finding: Finding;
}

export interface SiteDemand {
  siteCode: string;
  countyCode: string;
  preschool: number;
  primary: number;
  junior: number;
}

const OPEN_STATES = `('opened', 'verified', 'plan')`;

/** The advisory lock one run at a time holds (see `lock`). */
const RUN_LOCK = 'dropout-control:crosscheck';

const COUNT_COLUMNS: [keyof Omit<CountyCounts, 'countyCode'>, string][] = [
  ['schoolAge', 'school_age'],
  ['suspected', 'suspected'],
  ['notInRegistry', 'not_in_registry'],
  ['suspended', 'suspended'],
  ['dropped', 'dropped'],
  ['confirmed', 'confirmed'],
  ['opened', 'opened'],
  ['reopened', 'reopened'],
  ['alreadyOpen', 'already_open'],
  ['explained', 'explained'],
  ['enrolledWithOpenCase', 'enrolled_with_open_case'],
];

/** The cross-check's SQL: every step set-based, so a run over millions of rows is a few statements. */
@Injectable()
export class CrosscheckRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async start(run: RunRow): Promise<void> {
    await this.dataSource.query(
      // Started and finished are wall-clock times (like imports'); the run's dates come from the clock.
      `INSERT INTO crosscheck_run (id, status, trigger, import_id, school_year, cutoff, county_scope, started_by, started_at)
       VALUES ($1, 'running', $2, $3, $4, $5, $6, $7, now())`,
      [run.id, run.trigger, run.importId, run.schoolYear, run.cutoff, run.scope, run.startedBy],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE crosscheck_run SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
      [id, error],
    );
  }

  async complete(em: EntityManager, id: string, policy: CrosscheckPolicy, sites: number): Promise<void> {
    await em.query(
      `UPDATE crosscheck_run SET status = 'completed', policy = $2, relocation_sites = $3, finished_at = clock_timestamp()
       WHERE id = $1`,
      [id, JSON.stringify(policy), sites],
    );
  }

  /** One run at a time: the ledgers and the cases they open must not interleave. */
  async lock(em: EntityManager): Promise<void> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtext('${RUN_LOCK}'))`);
    await em.query(`SET LOCAL work_mem = '128MB'`);
    // JIT compiled each of the run's statements anew (25-125 ms apiece) for no measurable gain.
    await em.query('SET LOCAL jit = off');
  }

  async policyOn(em: EntityManager, date: string): Promise<CrosscheckPolicy | null> {
    const [row] = await em.query<Record<string, unknown>[]>(
      `SELECT * FROM crosscheck_policy WHERE effective_from <= $1 ORDER BY effective_from DESC LIMIT 1`,
      [date],
    );
    return row ? policyOf(row) : null;
  }

  async policies(): Promise<CrosscheckPolicy[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      'SELECT * FROM crosscheck_policy ORDER BY effective_from',
    );
    return rows.map(policyOf);
  }

  /** Adds a policy, or replaces the one of the same effective date. */
  async savePolicy(p: CrosscheckPolicy, by: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO crosscheck_policy (effective_from, school_age_from, school_age_to, preschool_from_age,
         junior_from_age, poor_statuses, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (effective_from) DO UPDATE SET school_age_from = EXCLUDED.school_age_from,
         school_age_to = EXCLUDED.school_age_to, preschool_from_age = EXCLUDED.preschool_from_age,
         junior_from_age = EXCLUDED.junior_from_age, poor_statuses = EXCLUDED.poor_statuses,
         created_by = EXCLUDED.created_by, created_at = now()`,
      [
        p.effectiveFrom,
        p.schoolAgeFrom,
        p.schoolAgeTo,
        p.preschoolFromAge,
        p.juniorFromAge,
        p.poorStatuses,
        by,
      ],
    );
  }

  /**
   * The three ledgers in one pass: every school-age child of a watched household, with
   * the finding (not in the student registry, suspended, dropped) and what the run does
   * about them given the child's latest case — the rule of `crosscheckAction`, in SQL.
   * A child the run opens a case for gets the new case's id here, so no pass over the
   * ledger links them once the cases are in. The rows go into the run's own partition of the
   * ledger, unindexed and in key order; its key is then built in one pass over sorted rows
   * (several times cheaper than inserting each row into a shared key) and the partition
   * attached. Its CHECK spares the attach a scan of the rows.
   */
  async buildLedger(em: EntityManager, run: RunRow, policy: CrosscheckPolicy): Promise<void> {
    const ages = bornBetween(run.cutoff, policy.schoolAgeFrom, policy.schoolAgeTo);
    // Postgres 15 never plans an INSERT … SELECT in parallel, but the query of a PL/pgSQL
    // RETURN QUERY may be: the join over the registries runs in parallel into the function's
    // result, which the INSERT then writes. A function of this session only (pg_temp), so
    // the rule stays here and no schema object holds a copy of it.
    await em.query(
      `CREATE OR REPLACE FUNCTION pg_temp.crosscheck_ledger(
         statuses text[], born_after date, born_on_or_before date, scope char(6), cutoff date)
       RETURNS TABLE (id_number char(18), county_code char(6), age smallint, finding text, action text, case_id uuid)
       LANGUAGE plpgsql STABLE AS $ledger$
       #variable_conflict use_column
       BEGIN
         RETURN QUERY
         WITH latest AS (
           SELECT DISTINCT ON (d.student_id_number) d.student_id_number, d.id, d.state, d.resolution
           FROM dropout_case d
           ORDER BY d.student_id_number, (d.state <> 'closed') DESC, d.opened_at DESC
         ),
         kids AS (
           SELECT p.id_number, p.county_code, p.birth_date,
             CASE WHEN s.id_number IS NULL THEN 'not_in_registry'
                  WHEN s.enrolment_status IN ('suspended', 'dropped') THEN s.enrolment_status END AS finding
           FROM poverty_member p LEFT JOIN student_registry s ON s.id_number = p.id_number
           WHERE p.poverty_status = ANY(statuses) AND p.birth_date > born_after AND p.birth_date <= born_on_or_before
             AND (scope IS NULL OR p.county_code = scope)
         )
         SELECT k.id_number, k.county_code, date_part('year', age(cutoff, k.birth_date))::smallint, k.finding,
           CASE WHEN k.finding IS NULL THEN CASE WHEN l.state IN ${OPEN_STATES} THEN 'review' END
                WHEN l.id IS NULL THEN 'open'
                WHEN l.state IN ${OPEN_STATES} THEN 'tracked'
                WHEN l.resolution IN ('returned', 'placed') THEN 'reopen'
                ELSE 'explained' END,
           l.id
         FROM kids k LEFT JOIN latest l ON l.student_id_number = k.id_number
         ORDER BY k.id_number;
       END
       $ledger$`,
    );
    const part = ledgerPartition(run.id);
    const id = uuid(run.id);
    await em.query(
      `CREATE TABLE ${part} (LIKE crosscheck_child INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
         CONSTRAINT ${part}_run CHECK (run_id = '${id}'))`,
    );
    await em.query(
      `INSERT INTO ${part} (run_id, id_number, county_code, age, finding, action, case_id)
       SELECT $1, l.id_number, l.county_code, l.age, l.finding, l.action,
         CASE WHEN l.action = 'open' THEN gen_random_uuid() ELSE l.case_id END
       FROM pg_temp.crosscheck_ledger($2, $3, $4, $5, $6) AS l`,
      [run.id, policy.poorStatuses, ages.bornAfter, ages.bornOnOrBefore, run.scope, run.cutoff],
    );
    await em.query(`ALTER TABLE ${part} ADD PRIMARY KEY (run_id, id_number)`);
    await em.query(`ALTER TABLE crosscheck_child ATTACH PARTITION ${part} FOR VALUES IN ('${id}')`);
    // The run's rows are new to the planner: the statements that follow join on them.
    await em.query('SET LOCAL default_statistics_target = 30');
    await em.query(`ANALYZE ${part}`);
  }

  /**
   * The children the run opens a case for, in batches: their ID numbers and case ids read
   * through one cursor (one pass over the ledger however many batches), what the registries
   * say about each batch by key. A child no longer in the poverty registry (replaced by an
   * import since the ledger was built) gets no case: its ledger row loses the case id.
   */
  async *openCandidates(em: EntityManager, runId: string, batch: number): AsyncGenerator<OpenCandidate[]> {
    const cursor = `open_${runId.replace(/-/g, '')}`;
    await em.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR
       SELECT id_number, finding, case_id FROM crosscheck_child
       WHERE run_id = '${uuid(runId)}' AND action = 'open' ORDER BY id_number`,
    );
    try {
      for (;;) {
        const children: { id_number: string; finding: Finding; case_id: string }[] = await em.query(
          `FETCH ${batch} FROM ${cursor}`,
        );
        if (children.length === 0) return;
        // Joined from the list, so each child is an index lookup (`= ANY` of 5000 tempted a scan).
        const rows: Record<string, unknown>[] = await em.query(
          `SELECT p.id_number, p.name, p.household_id, p.county_code, p.township, p.village, p.poverty_status,
             p.disability_level AS poverty_disability, s.disability_level AS student_disability, s.school_code
           FROM unnest($1::char(18)[]) AS c(id_number)
           JOIN poverty_member p ON p.id_number = c.id_number
           LEFT JOIN student_registry s ON s.id_number = c.id_number`,
          [children.map((c) => c.id_number)],
        );
        const byId = new Map(rows.map((r) => [r.id_number as string, r]));
        const gone = children.filter((c) => !byId.has(c.id_number)).map((c) => c.id_number);
        if (gone.length > 0)
          await em.query(
            `UPDATE crosscheck_child SET case_id = NULL WHERE run_id = $1 AND id_number = ANY($2::char(18)[])`,
            [runId, gone],
          );
        yield children.flatMap((c) => {
          const r = byId.get(c.id_number);
          if (!r) return [];
          return [
            {
              caseId: c.case_id,
              idNumber: c.id_number,
              name: r.name as string,
              householdId: r.household_id as string,
              countyCode: r.county_code as string,
              township: r.township as string,
              village: r.village as string,
              povertyStatus: r.poverty_status as string,
              povertyDisability: r.poverty_disability as DisabilityLevel,
              studentDisability: r.student_disability as DisabilityLevel | null,
              schoolCode: r.school_code as string | null,
              finding: c.finding,
            },
          ];
        });
      }
    } finally {
      await em.query(`CLOSE ${cursor}`);
    }
  }

  /** Children someone else opened a case for meanwhile (a request racing the run): already tracked. */
  async linkTracked(em: EntityManager, runId: string, idNumbers: string[]) {
    if (idNumbers.length === 0) return;
    await em.query(
      `UPDATE crosscheck_child c SET action = 'tracked', case_id = d.id
       FROM dropout_case d
       WHERE c.run_id = $1 AND c.id_number = ANY($2::char(18)[])
         AND d.student_id_number = c.id_number AND d.state <> 'closed'`,
      [runId, idNumbers],
    );
  }

  async reopenCandidates(
    em: EntityManager,
    runId: string,
    after: string,
    limit: number,
  ): Promise<{ idNumber: string; caseId: string; finding: Finding }[]> {
    const rows: { id_number: string; case_id: string; finding: Finding }[] = await em.query(
      `SELECT id_number, case_id, finding FROM crosscheck_child
       WHERE run_id = $1 AND id_number > $2 AND action = 'reopen' ORDER BY id_number LIMIT $3`,
      [runId, after, limit],
    );
    return rows.map((r) => ({ idNumber: r.id_number, caseId: r.case_id, finding: r.finding }));
  }

  async setActions(
    em: EntityManager,
    runId: string,
    changes: { idNumber: string; action: CrosscheckAction }[],
  ): Promise<void> {
    if (changes.length === 0) return;
    await em.query(
      `UPDATE crosscheck_child c SET action = u.action
       FROM unnest($2::char(18)[], $3::text[]) AS u(id_number, action)
       WHERE c.run_id = $1 AND c.id_number = u.id_number`,
      [runId, changes.map((c) => c.idNumber), changes.map((c) => c.action)],
    );
  }

  async countPerCounty(em: EntityManager, runId: string): Promise<void> {
    await em.query(
      `INSERT INTO crosscheck_county (run_id, ${COUNT_COLUMNS.map(([, c]) => c).join(', ')}, county_code)
       SELECT $1, count(*), count(finding),
         count(*) FILTER (WHERE finding = 'not_in_registry'), count(*) FILTER (WHERE finding = 'suspended'),
         count(*) FILTER (WHERE finding = 'dropped'), count(*) FILTER (WHERE action IN ('open', 'reopen', 'tracked')),
         count(*) FILTER (WHERE action = 'open'), count(*) FILTER (WHERE action = 'reopen'),
         count(*) FILTER (WHERE action = 'tracked'), count(*) FILTER (WHERE action = 'explained'),
         count(*) FILTER (WHERE action = 'review'), county_code
       FROM crosscheck_child WHERE run_id = $1 GROUP BY county_code`,
      [runId],
    );
  }

  /**
   * School-age children (preschool to junior) per relocation site, every site in scope even
   * with none; the stage the student registry gives an enrolled child, otherwise by age.
   * The rule of `demandStage`, in SQL.
   */
  async relocationDemand(em: EntityManager, run: RunRow, policy: CrosscheckPolicy): Promise<SiteDemand[]> {
    const all = bornBetween(run.cutoff, policy.preschoolFromAge, policy.schoolAgeTo);
    const primary = bornBetween(run.cutoff, policy.schoolAgeFrom, policy.schoolAgeTo);
    const junior = bornBetween(run.cutoff, policy.juniorFromAge, policy.schoolAgeTo);
    // One pass over the site members (a parallel scan): every site (its county the most
    // frequent of its members'), the children of the ages counted by stage. Only those children
    // are looked up in the student registry, by key: the lateral subquery runs once a member,
    // its age test first (OFFSET 0 keeps the planner from turning it into a join that hashes
    // the whole registry for a tenth of it).
    const rows: Record<string, unknown>[] = await em.query(
      `SELECT site, mode() WITHIN GROUP (ORDER BY county_code) AS county_code,
         count(*) FILTER (WHERE stage = 'preschool')::int AS preschool,
         count(*) FILTER (WHERE stage = 'primary')::int AS primary_count,
         count(*) FILTER (WHERE stage = 'junior')::int AS junior
       FROM (
         SELECT p.relocation_site_code AS site, p.county_code,
           CASE WHEN p.birth_date <= $2 OR p.birth_date > $3 THEN NULL
                ELSE coalesce(s.stage,
                  CASE WHEN p.birth_date > $4 THEN 'preschool'
                       WHEN p.birth_date > $5 THEN 'primary'
                       ELSE 'junior' END) END AS stage
         FROM poverty_member p
         LEFT JOIN LATERAL (
           SELECT s.stage FROM student_registry s
           WHERE p.birth_date > $2 AND p.birth_date <= $3 AND s.id_number = p.id_number
             AND s.enrolment_status = 'enrolled' AND s.stage IN ('preschool', 'primary', 'junior')
           OFFSET 0
         ) s ON true
         WHERE p.relocation_site_code IS NOT NULL
       ) members
       GROUP BY site
       HAVING $1::char(6) IS NULL OR bool_or(county_code = $1)
       ORDER BY site`,
      [run.scope, all.bornAfter, all.bornOnOrBefore, primary.bornOnOrBefore, junior.bornOnOrBefore],
    );
    return rows.map((r) => ({
      siteCode: r.site as string,
      countyCode: r.county_code as string,
      preschool: r.preschool as number,
      primary: r.primary_count as number,
      junior: r.junior as number,
    }));
  }

  /**
   * Child-level ledgers are kept for the latest runs only; the counts of every run stay. An
   * older run's partition is detached concurrently (readers of the other runs' ledgers are
   * not blocked; it waits for those reading this one) and dropped, each statement on its own,
   * outside any transaction. Only while no run is under way (it holds the runs' lock for the
   * time): a run attaching its partition and a detach waiting for the run's reads would wait
   * for each other. Otherwise nothing is done; that run prunes after it commits. A detach that
   * cannot take its lock within `lockTimeoutMs` fails and is left for the next prune, which
   * also finishes a detach left half done. Returns the partitions dropped.
   */
  async pruneLedgers(keepRuns: number, lockTimeoutMs = 2000): Promise<number> {
    const runner = this.dataSource.createQueryRunner();
    let locked = false;
    try {
      [{ locked }] = (await runner.query(
        `SELECT pg_try_advisory_lock(hashtext('${RUN_LOCK}')) AS locked`,
      )) as { locked: boolean }[];
      if (!locked) return 0;
      await runner.query(`SET lock_timeout = ${Math.trunc(lockTimeoutMs)}`);
      const kept: { id: string }[] = await runner.query(
        `SELECT id FROM crosscheck_run WHERE status <> 'running' ORDER BY started_at DESC LIMIT $1`,
        [keepRuns],
      );
      const keep = new Set(kept.map((r) => ledgerPartition(r.id)));
      const partitions: { part: string; pending: boolean }[] = await runner.query(
        `SELECT c.relname AS part, i.inhdetachpending AS pending
         FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'crosscheck_child'::regclass ORDER BY c.relname`,
      );
      const old = partitions.filter((p) => PARTITION.test(p.part) && !keep.has(p.part));
      for (const { part, pending } of old) {
        await runner.query(
          `ALTER TABLE crosscheck_child DETACH PARTITION ${part} ${pending ? 'FINALIZE' : 'CONCURRENTLY'}`,
        );
        await runner.query(`DROP TABLE ${part}`);
      }
      return old.length;
    } finally {
      if (locked) {
        await runner.query('RESET lock_timeout').catch(() => undefined);
        await runner.query(`SELECT pg_advisory_unlock(hashtext('${RUN_LOCK}'))`).catch(() => undefined);
      }
      await runner.release();
    }
  }

  /** A run with its counts; a county operator sees city-wide runs and their own county's, and only their county's counts. */
  async summary(id: string, scope?: string): Promise<CrosscheckSummary | null> {
    const [r] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT *, to_char(cutoff, 'YYYY-MM-DD') AS cutoff_text FROM crosscheck_run
       WHERE id = $1 AND ($2::char(6) IS NULL OR county_scope IS NULL OR county_scope = $2)`,
      [id, scope ?? null],
    );
    if (!r) return null;
    const counties: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM crosscheck_county WHERE run_id = $1 AND ($2::char(6) IS NULL OR county_code = $2)
       ORDER BY county_code`,
      [id, scope ?? null],
    );
    const perCounty = counties.map((c) => {
      const out = { countyCode: c.county_code as string } as CountyCounts;
      for (const [key, column] of COUNT_COLUMNS) out[key] = c[column] as number;
      return out;
    });
    const totals = Object.fromEntries(
      COUNT_COLUMNS.map(([key]) => [key, perCounty.reduce((n, c) => n + c[key], 0)]),
    ) as Omit<CountyCounts, 'countyCode'>;
    return {
      id: r.id as string,
      status: r.status as CrosscheckStatus,
      trigger: r.trigger as string,
      importId: r.import_id as string | null,
      schoolYear: r.school_year as number,
      cutoff: r.cutoff_text as string,
      countyScope: r.county_scope as string | null,
      policy: r.policy as CrosscheckPolicy | null,
      startedBy: r.started_by as string,
      startedAt: (r.started_at as Date).toISOString(),
      finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
      relocationSites: r.relocation_sites as number,
      error: r.error as string | null,
      totals,
      counties: perCounty,
    };
  }

  async recent(scope: string | undefined, limit: number): Promise<CrosscheckSummary[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM crosscheck_run WHERE ($1::char(6) IS NULL OR county_scope IS NULL OR county_scope = $1)
       ORDER BY started_at DESC LIMIT $2`,
      [scope ?? null, limit],
    );
    const out: CrosscheckSummary[] = [];
    for (const r of rows) {
      const s = await this.summary(r.id, scope);
      if (s) out.push(s);
    }
    return out;
  }

  /** A page of one of a run's child-level ledgers, with the total. */
  async children(
    runId: string,
    filter: { ledger: Ledger; county?: string },
    page: { limit: number; offset: number },
  ) {
    const where = [
      'c.run_id = $1',
      '($2::char(6) IS NULL OR c.county_code = $2)',
      filter.ledger === 'suspected'
        ? 'c.finding IS NOT NULL'
        : filter.ledger === 'confirmed'
          ? "c.action IN ('open', 'reopen', 'tracked')"
          : 'TRUE',
    ].join(' AND ');
    const params = [runId, filter.county ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM crosscheck_child c WHERE ${where}`,
      params,
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT c.id_number, c.county_code, c.age, c.finding, c.action, c.case_id,
         p.name, p.household_id, p.township, p.village
       FROM crosscheck_child c LEFT JOIN poverty_member p ON p.id_number = c.id_number
       WHERE ${where} ORDER BY c.county_code, c.id_number LIMIT $3 OFFSET $4`,
      [...params, page.limit, page.offset],
    );
    return {
      total,
      rows: rows.map((r) => ({
        idNumber: r.id_number as string,
        name: r.name as string | null,
        countyCode: r.county_code as string,
        householdId: r.household_id as string | null,
        township: r.township as string | null,
        village: r.village as string | null,
        age: r.age as number,
        finding: r.finding as Finding | null,
        action: r.action as CrosscheckAction | null,
        caseId: r.case_id as string | null,
      })),
    };
  }
}

/** The partition of the child-level ledger that holds a run's rows. */
const ledgerPartition = (runId: string) => `crosscheck_child_${uuid(runId).replace(/-/g, '')}`;
const PARTITION = /^crosscheck_child_[0-9a-f]{32}$/;

/** A run id written into SQL (DDL and a cursor's query take no parameters): only ever a UUID. */
function uuid(id: string): string {
  if (!isUuid(id)) throw new Error('not a run id');
  return id.toLowerCase();
}

function policyOf(row: Record<string, unknown>): CrosscheckPolicy {
  const from = row.effective_from as Date | string;
  return {
    effectiveFrom: typeof from === 'string' ? from : isoDate(from),
    schoolAgeFrom: row.school_age_from as number,
    schoolAgeTo: row.school_age_to as number,
    preschoolFromAge: row.preschool_from_age as number,
    juniorFromAge: row.junior_from_age as number,
    poorStatuses: row.poor_statuses as string[],
  };
}

/** A DATE column read by pg as local midnight. */
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
