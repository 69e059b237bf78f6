import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { HomeTeachingPlan, type HomeTeachingVisit } from '../domain/home-teaching-plan.js';

const day = (v: unknown) => (v === null ? null : (v as string));

function toDomain(r: Record<string, unknown>): HomeTeachingPlan {
  return HomeTeachingPlan.restore({
    id: r.id as string,
    caseId: r.case_id as string,
    countyCode: r.county_code as string,
    schoolCode: r.school_code as string,
    teachers: r.teachers as string[],
    visitsPerMonth: r.visits_per_month as number,
    startsOn: r.starts_on_text as string,
    visitCount: r.visit_count as number,
    lastVisitOn: day(r.last_visit_on_text),
    createdBy: r.created_by as string,
    createdAt: (r.created_at as Date).toISOString(),
  });
}

const SELECT = `SELECT *, to_char(starts_on, 'YYYY-MM-DD') AS starts_on_text,
  to_char(last_visit_on, 'YYYY-MM-DD') AS last_visit_on_text FROM home_teaching_plan`;

export interface StoredVisit extends HomeTeachingVisit {
  id: string;
  recordedBy: string;
  recordedAt: string;
}

export interface CountyCoverage {
  countyCode: string;
  /** Severely disabled children with a case (not exempt): home teaching is their placement. */
  eligible: number;
  /** Of them, with a home-teaching plan. */
  planned: number;
  /** Of them, visited within the coverage window. */
  covered: number;
}

@Injectable()
export class HomeTeachingRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, plan: HomeTeachingPlan): Promise<void> {
    const s = plan.state;
    await em.query(
      `INSERT INTO home_teaching_plan (id, case_id, county_code, school_code, teachers, visits_per_month, starts_on,
         visit_count, last_visit_on, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        s.id,
        s.caseId,
        s.countyCode,
        s.schoolCode,
        s.teachers,
        s.visitsPerMonth,
        s.startsOn,
        s.visitCount,
        s.lastVisitOn,
        s.createdBy,
        s.createdAt,
      ],
    );
  }

  async find(id: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const [row] = await em.query<Record<string, unknown>[]>(
      `${SELECT} WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [id],
    );
    return row ? toDomain(row) : null;
  }

  async addVisit(
    em: EntityManager,
    plan: HomeTeachingPlan,
    visit: HomeTeachingVisit,
    by: string,
    at: Date,
  ): Promise<StoredVisit> {
    const id = randomUUID();
    await em.query(
      `INSERT INTO home_teaching_visit (id, plan_id, visited_on, teacher, hours, content, note, recorded_by, recorded_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, plan.state.id, visit.visitedOn, visit.teacher, visit.hours, visit.content, visit.note, by, at],
    );
    await em.query(`UPDATE home_teaching_plan SET visit_count = $2, last_visit_on = $3 WHERE id = $1`, [
      plan.state.id,
      plan.state.visitCount,
      plan.state.lastVisitOn,
    ]);
    return { id, ...visit, recordedBy: by, recordedAt: at.toISOString() };
  }

  async visits(planId: string): Promise<StoredVisit[]> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT id, to_char(visited_on, 'YYYY-MM-DD') AS visited_on, teacher, hours, content, note, recorded_by,
         recorded_at FROM home_teaching_visit WHERE plan_id = $1 ORDER BY visited_on, recorded_at`,
      [planId],
    );
    return rows.map((r) => ({
      id: r.id as string,
      visitedOn: r.visited_on as string,
      teacher: r.teacher as string,
      hours: Number(r.hours),
      content: r.content as string,
      note: r.note as string | null,
      recordedBy: r.recorded_by as string,
      recordedAt: (r.recorded_at as Date).toISOString(),
    }));
  }

  async list(county: string | undefined, page: { limit: number; offset: number }) {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `${SELECT} WHERE ($1::char(6) IS NULL OR county_code = $1) ORDER BY last_visit_on NULLS FIRST, id
       LIMIT $2 OFFSET $3`,
      [county ?? null, page.limit, page.offset],
    );
    return rows.map(toDomain);
  }

  /**
   * Eligible: each child (by student key, latest case) with a severe disability whose case
   * is not exempt. Covered: their case's plan has a visit on or after `since`.
   */
  async coverage(county: string | undefined, since: string): Promise<CountyCoverage[]> {
    return this.dataSource.query(
      `WITH eligible AS (
         SELECT DISTINCT ON (student_key) id, county_code FROM dropout_case
         WHERE disability_level = 'severe' AND resolution IS DISTINCT FROM 'exempt'
           AND ($1::char(6) IS NULL OR county_code = $1)
         ORDER BY student_key, opened_at DESC
       )
       SELECT e.county_code AS "countyCode", count(*)::int AS eligible, count(h.id)::int AS planned,
         (count(*) FILTER (WHERE h.last_visit_on >= $2))::int AS covered
       FROM eligible e LEFT JOIN home_teaching_plan h ON h.case_id = e.id
       GROUP BY e.county_code ORDER BY e.county_code`,
      [county ?? null, since],
    );
  }
}
