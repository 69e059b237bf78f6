import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { PolicyVersion } from '../../policy/domain/policy.js';
import { FLAG_ATTRIBUTES } from '../../policy/domain/rules.js';
import type { Term } from '../../policy/domain/term.js';
import { policyRowsSql } from '../../policy/persistence/policy-sql.js';
import { EntitlementRun, type EntitlementRunProps } from '../domain/entitlement-run.js';

interface RunRow {
  id: string;
  term: string;
  county_code: string | null;
  status: EntitlementRunProps['status'];
  prepared_by: string;
  prepared_at: Date;
  decided_by: string | null;
  decided_at: Date | null;
  entitlements: number;
  amount_due_fen: string;
  policies: Record<string, number>;
}

const toDomain = (r: RunRow) =>
  EntitlementRun.restore({
    id: r.id,
    term: r.term,
    countyCode: r.county_code,
    status: r.status,
    preparedBy: r.prepared_by,
    preparedAt: r.prepared_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    entitlements: r.entitlements,
    amountDue: Number(r.amount_due_fen),
    policies: r.policies,
  });

export interface ComputedPolicy {
  policyCode: string;
  entitlements: number;
  amountDueFen: number;
}

@Injectable()
export class EntitlementRunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Serializes computations of one term, then returns its pending runs. */
  async lockTerm(em: EntityManager, term: string): Promise<EntitlementRun[]> {
    await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`entitlement_run:${term}`]);
    const rows: RunRow[] = await em.query(
      `SELECT * FROM entitlement_run WHERE term = $1 AND status = 'prepared'`,
      [term],
    );
    return rows.map(toDomain);
  }

  async find(
    id: string,
    em: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<EntitlementRun | null> {
    const rows: RunRow[] = await em.query(
      `SELECT * FROM entitlement_run WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? toDomain(rows[0]) : null;
  }

  /** A page of runs, newest first, and how many match. */
  async list(filter: {
    term?: string;
    county?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: EntitlementRun[]; total: number }> {
    const where = '($1::text IS NULL OR term = $1) AND ($2::char(6) IS NULL OR county_code = $2)';
    const params = [filter.term ?? null, filter.county ?? null];
    const rows: RunRow[] = await this.dataSource.query(
      `SELECT * FROM entitlement_run WHERE ${where} ORDER BY prepared_at DESC, id DESC LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM entitlement_run WHERE ${where}`,
      params,
    );
    return { items: rows.map(toDomain), total };
  }

  async save(em: EntityManager, run: EntitlementRun): Promise<void> {
    const s = run.state;
    await em.query(
      `INSERT INTO entitlement_run (id, term, county_code, status, prepared_by, prepared_at, decided_by, decided_at,
         entitlements, amount_due_fen, policies)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, decided_by = EXCLUDED.decided_by,
         decided_at = EXCLUDED.decided_at, entitlements = EXCLUDED.entitlements,
         amount_due_fen = EXCLUDED.amount_due_fen, policies = EXCLUDED.policies`,
      [
        s.id,
        s.term,
        s.countyCode,
        s.status,
        s.preparedBy,
        s.preparedAt,
        s.decidedBy,
        s.decidedAt,
        s.entitlements,
        s.amountDue,
        JSON.stringify(s.policies),
      ],
    );
  }

  /**
   * Every roster student's entitlements for the term under the given policy versions, in
   * one statement: prepared, with the version used and a snapshot of the roster row read.
   * A student who already has the policy for the term keeps what they have.
   */
  async compute(
    em: EntityManager,
    run: EntitlementRun,
    policies: readonly PolicyVersion[],
    term: Term,
  ): Promise<ComputedPolicy[]> {
    const rows = policyRowsSql(policies, term);
    if (!rows) return [];
    const s = run.state;
    // The roster attributes the rules read, kept on each entitlement (flags as a bitmask in FLAG_ATTRIBUTES order).
    const flags = FLAG_ATTRIBUTES.map((f, i) => `(s.${f}::int << ${i})`).join(' | ');
    const result: { policy_code: string; n: number; fen: string }[] = await em.query(
      `WITH ins AS (
         INSERT INTO entitlement (id, student_key, county_code, school_code, policy_code, policy_version, run_id, term,
           amount_due_fen, amount_paid_fen, paid_on_time_fen, due_date, status, prepared_by, created_at,
           input_stage, input_grade, input_flags, input_disability_level, input_term_fee_fen)
         SELECT gen_random_uuid(), s.student_key, s.county_code, s.school_code, p.code, p.version, $1, $2,
           p.amount_fen, 0, 0, p.due_date, 'prepared', $3, now(),
           s.stage, s.grade, ${flags}, s.disability_level, s.term_fee_fen
         FROM aid_student s CROSS JOIN LATERAL (${rows}) AS p(code, version, due_date, amount_fen)
         WHERE p.amount_fen > 0 AND ($4::char(6) IS NULL OR s.county_code = $4)
         ON CONFLICT (student_key, policy_code, term) DO NOTHING
         RETURNING policy_code, amount_due_fen)
       SELECT policy_code, count(*)::int AS n, sum(amount_due_fen)::bigint AS fen FROM ins GROUP BY policy_code ORDER BY policy_code`,
      [s.id, s.term, s.preparedBy, s.countyCode],
    );
    return result.map((r) => ({ policyCode: r.policy_code, entitlements: r.n, amountDueFen: Number(r.fen) }));
  }

  /** The run's entitlements start to count. */
  async approveEntitlements(em: EntityManager, run: EntitlementRun): Promise<number> {
    const result: unknown = await em.query(
      `UPDATE entitlement SET status = 'due', approved_by = $2, approved_at = $3 WHERE run_id = $1 AND status = 'prepared'`,
      [run.state.id, run.state.decidedBy, run.state.decidedAt],
    );
    return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
  }

  /** A rejected run's entitlements never counted: they go, so the term can be computed again. */
  async discardEntitlements(em: EntityManager, run: EntitlementRun): Promise<void> {
    await em.query(`DELETE FROM entitlement WHERE run_id = $1 AND status = 'prepared'`, [run.state.id]);
  }

  /** The roster attributes a computed entitlement was computed from; null for a grant by hand. */
  async inputs(entitlementId: string): Promise<Record<string, unknown> | null> {
    const rows: {
      stage: string | null;
      grade: number;
      flags: number;
      disability_level: number;
      term_fee_fen: string | null;
    }[] = await this.dataSource.query(
      `SELECT input_stage AS stage, input_grade AS grade, input_flags AS flags, input_disability_level AS disability_level,
                input_term_fee_fen AS term_fee_fen
         FROM entitlement WHERE id = $1`,
      [entitlementId],
    );
    const r = rows[0];
    if (!r || r.stage === null) return null;
    return {
      stage: r.stage,
      grade: r.grade,
      flags: FLAG_ATTRIBUTES.filter((_, i) => (r.flags & (1 << i)) !== 0),
      disabilityLevel: r.disability_level,
      termFeeFen: r.term_fee_fen === null ? null : Number(r.term_fee_fen),
    };
  }
}
