import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { HouseholdPlan } from '../domain/household-plan.js';

function toDomain(r: Record<string, unknown>): HouseholdPlan {
  return HouseholdPlan.restore({
    householdId: r.household_id as string,
    countyCode: r.county_code as string,
    township: r.township as string | null,
    village: r.village as string | null,
    measures: r.measures as string | null,
    responsible: r.responsible as string | null,
    updatedBy: r.updated_by as string | null,
    updatedAt: r.updated_at ? (r.updated_at as Date).toISOString() : null,
  });
}

export interface HouseholdSummary {
  householdId: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  measures: string | null;
  responsible: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
  /** The household's cases by state. */
  cases: Record<string, number>;
}

@Injectable()
export class HouseholdPlanRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(householdId: string, em: EntityManager = this.dataSource.manager, lock = false) {
    const [row] = await em.query<Record<string, unknown>[]>(
      `SELECT * FROM household_plan WHERE household_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [householdId],
    );
    return row ? toDomain(row) : null;
  }

  async save(em: EntityManager, plan: HouseholdPlan): Promise<void> {
    const s = plan.state;
    await em.query(
      `UPDATE household_plan SET measures = $2, responsible = $3, updated_by = $4, updated_at = $5
       WHERE household_id = $1`,
      [s.householdId, s.measures, s.responsible, s.updatedBy, s.updatedAt],
    );
  }

  /** Household plans with their cases counted by state, those with open cases first. */
  async list(filter: { county?: string }, page: { limit: number; offset: number }) {
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM household_plan WHERE ($1::char(6) IS NULL OR county_code = $1)`,
      [filter.county ?? null],
    );
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT h.*, coalesce(jsonb_agg(c.state) FILTER (WHERE c.id IS NOT NULL), '[]') AS states,
         count(c.id) FILTER (WHERE c.state <> 'closed') AS open_cases
       FROM household_plan h LEFT JOIN dropout_case c ON c.household_id = h.household_id
       WHERE ($1::char(6) IS NULL OR h.county_code = $1)
       GROUP BY h.household_id
       ORDER BY open_cases DESC, h.household_id LIMIT $2 OFFSET $3`,
      [filter.county ?? null, page.limit, page.offset],
    );
    return { total, households: rows.map(summaryOf) };
  }
}

function summaryOf(r: Record<string, unknown>): HouseholdSummary {
  const cases: Record<string, number> = {};
  for (const state of r.states as string[]) cases[state] = (cases[state] ?? 0) + 1;
  return { ...toDomain(r).state, cases };
}
