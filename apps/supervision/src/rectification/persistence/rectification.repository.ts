import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import {
  RectificationProblem,
  type Evidence,
  type ProblemFront,
  type ProblemSource,
  type ProblemStatus,
  type RectificationProblemProps,
} from '../domain/rectification-problem.js';

interface ProblemRow {
  id: string;
  ref: string;
  source: ProblemSource;
  description: string;
  county_code: string;
  front: ProblemFront;
  measures: string;
  found_on_text: string;
  deadline_text: string | null;
  lead_department: string;
  responsible_leader: string;
  status: ProblemStatus;
  evidence: Evidence[];
  closure_requested_by: string | null;
  closure_requested_at: Date | null;
  closure_rejected_reason: string | null;
  closed_by: string | null;
  closed_at: Date | null;
  overdue_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

const toProblem = (r: ProblemRow) =>
  RectificationProblem.restore({
    id: r.id,
    ref: r.ref,
    source: r.source,
    description: r.description,
    countyCode: r.county_code,
    front: r.front,
    measures: r.measures,
    foundOn: r.found_on_text,
    deadline: r.deadline_text,
    leadDepartment: r.lead_department,
    responsibleLeader: r.responsible_leader,
    status: r.status,
    evidence: r.evidence,
    closureRequestedBy: r.closure_requested_by,
    closureRequestedAt: iso(r.closure_requested_at),
    closureRejectedReason: r.closure_rejected_reason,
    closedBy: r.closed_by,
    closedAt: iso(r.closed_at),
    overdueAt: iso(r.overdue_at),
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  });

const SELECT = `SELECT *, to_char(found_on, 'YYYY-MM-DD') AS found_on_text, to_char(deadline, 'YYYY-MM-DD') AS deadline_text
  FROM rectification_problem`;

export interface LedgerFilter {
  county?: string;
  front?: string;
  status?: string;
  source?: string;
  /** Only problems past their deadline and not closed (as of `today`). */
  overdue?: boolean;
  today: string;
}

const COLUMNS = [
  'id',
  'ref',
  'source',
  'description',
  'county_code',
  'front',
  'measures',
  'found_on',
  'deadline',
  'lead_department',
  'responsible_leader',
  'status',
  'evidence',
  'created_by',
  'created_at',
  'updated_at',
] as const;

@Injectable()
export class RectificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts new problems and updates open ones by ref, in one statement. Closed problems and
   * rows that change nothing are left alone. Returns the refs inserted and updated.
   */
  async upsert(
    em: EntityManager,
    problems: RectificationProblem[],
  ): Promise<{ inserted: string[]; updated: string[] }> {
    if (problems.length === 0) return { inserted: [], updated: [] };
    const s = problems.map((p) => p.state);
    const col = <K extends keyof RectificationProblemProps>(k: K) => s.map((p) => p[k]);
    const rows: { ref: string; inserted: boolean }[] = await em.query(
      `INSERT INTO rectification_problem (${COLUMNS.join(', ')})
       SELECT u.id, u.ref, u.source, u.description, u.county_code, u.front, u.measures, u.found_on::date,
              u.deadline::date, u.lead_department, u.responsible_leader, 'open', '[]'::jsonb, u.created_by,
              u.created_at, u.created_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::char(6)[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[])
         AS u(id, ref, source, description, county_code, front, measures, found_on, deadline, lead_department,
              responsible_leader, created_by, created_at)
       ON CONFLICT (ref) DO UPDATE SET source = EXCLUDED.source, description = EXCLUDED.description,
         front = EXCLUDED.front, measures = EXCLUDED.measures, found_on = EXCLUDED.found_on,
         deadline = EXCLUDED.deadline, lead_department = EXCLUDED.lead_department,
         responsible_leader = EXCLUDED.responsible_leader, updated_at = EXCLUDED.updated_at
       WHERE rectification_problem.status <> 'closed'
         AND rectification_problem.county_code = EXCLUDED.county_code
         AND (rectification_problem.source, rectification_problem.description, rectification_problem.front,
              rectification_problem.measures, rectification_problem.found_on, rectification_problem.deadline,
              rectification_problem.lead_department, rectification_problem.responsible_leader)
             IS DISTINCT FROM
             (EXCLUDED.source, EXCLUDED.description, EXCLUDED.front, EXCLUDED.measures, EXCLUDED.found_on,
              EXCLUDED.deadline, EXCLUDED.lead_department, EXCLUDED.responsible_leader)
       RETURNING ref, (xmax = 0) AS inserted`,
      [
        col('id'),
        col('ref'),
        col('source'),
        col('description'),
        col('countyCode'),
        col('front'),
        col('measures'),
        col('foundOn'),
        col('deadline'),
        col('leadDepartment'),
        col('responsibleLeader'),
        col('createdBy'),
        col('createdAt'),
      ],
    );
    return {
      inserted: rows.filter((r) => r.inserted).map((r) => r.ref),
      updated: rows.filter((r) => !r.inserted).map((r) => r.ref),
    };
  }

  /** Status and county of the problems with these refs. */
  async byRefs(
    em: EntityManager,
    refs: string[],
  ): Promise<Map<string, { status: ProblemStatus; countyCode: string }>> {
    const rows: { ref: string; status: ProblemStatus; county_code: string }[] = await em.query(
      'SELECT ref, status, county_code FROM rectification_problem WHERE ref = ANY($1::text[])',
      [refs],
    );
    return new Map(rows.map((r) => [r.ref, { status: r.status, countyCode: r.county_code }]));
  }

  async findById(id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const rows: ProblemRow[] = await em.query(`${SELECT} WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toProblem(rows[0]) : null;
  }

  async save(em: EntityManager, p: RectificationProblem): Promise<void> {
    const s = p.state;
    await em.query(
      `UPDATE rectification_problem SET description = $2, measures = $3, deadline = $4, lead_department = $5,
         responsible_leader = $6, status = $7, evidence = $8, closure_requested_by = $9, closure_requested_at = $10,
         closure_rejected_reason = $11, closed_by = $12, closed_at = $13, overdue_at = $14, updated_at = $15
       WHERE id = $1`,
      [
        s.id,
        s.description,
        s.measures,
        s.deadline,
        s.leadDepartment,
        s.responsibleLeader,
        s.status,
        JSON.stringify(s.evidence),
        s.closureRequestedBy,
        s.closureRequestedAt,
        s.closureRejectedReason,
        s.closedBy,
        s.closedAt,
        s.overdueAt,
        s.updatedAt,
      ],
    );
  }

  /** Problems past their deadline, not closed and not yet escalated; locked so replicas take different ones. */
  async claimOverdue(em: EntityManager, today: string, limit: number): Promise<RectificationProblem[]> {
    const rows: ProblemRow[] = await em.query(
      `${SELECT} WHERE status <> 'closed' AND overdue_at IS NULL AND deadline < $1
       ORDER BY deadline, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    return rows.map(toProblem);
  }

  /** Marks these problems escalated (set-based: the sweep's batches stay one statement). */
  async markOverdue(em: EntityManager, ids: string[], at: string): Promise<void> {
    await em.query('UPDATE rectification_problem SET overdue_at = $2 WHERE id = ANY($1::uuid[])', [ids, at]);
  }

  /** One page of the ledger in a stable order; `after` is the last (county, ref) of the previous page. */
  async ledger(
    f: LedgerFilter,
    limit: number,
    after?: { county: string; ref: string },
  ): Promise<RectificationProblem[]> {
    const rows: ProblemRow[] = await this.dataSource.query(
      `${SELECT}
       WHERE ($1::char(6) IS NULL OR county_code = $1) AND ($2::text IS NULL OR front = $2)
         AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR source = $4)
         AND ($5::boolean IS NOT TRUE OR (status <> 'closed' AND deadline < $6::date))
         AND ($7::text IS NULL OR (county_code, ref) > ($7::char(6), $8::text))
       ORDER BY county_code, ref LIMIT $9`,
      [
        f.county ?? null,
        f.front ?? null,
        f.status ?? null,
        f.source ?? null,
        f.overdue ?? null,
        f.today,
        after?.county ?? null,
        after?.ref ?? null,
        limit,
      ],
    );
    return rows.map(toProblem);
  }

  async count(f: LedgerFilter): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM rectification_problem
       WHERE ($1::char(6) IS NULL OR county_code = $1) AND ($2::text IS NULL OR front = $2)
         AND ($3::text IS NULL OR status = $3) AND ($4::text IS NULL OR source = $4)
         AND ($5::boolean IS NOT TRUE OR (status <> 'closed' AND deadline < $6::date))`,
      [f.county ?? null, f.front ?? null, f.status ?? null, f.source ?? null, f.overdue ?? null, f.today],
    );
    return Number(row.n);
  }
}
