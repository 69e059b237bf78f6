import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SCHOOL_STAGES, type SchoolStage } from '../../project/domain/project.js';
import { emptyFigures, type CountyFigures } from '../domain/county-summary.js';

/** Set-based figures per county for the battle map: a handful of GROUP BY queries, whatever the size. */
@Injectable()
export class CountySummaryQuery {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async figures(county?: string): Promise<CountyFigures[]> {
    const c = county ?? null;
    const byCounty = new Map<string, CountyFigures>();
    const of = (code: string) => {
      let f = byCounty.get(code);
      if (!f) byCounty.set(code, (f = emptyFigures(code)));
      return f;
    };

    const projects: Record<string, string | number | null>[] = await this.dataSource.query(
      `WITH p AS (
         SELECT p.*,
           EXISTS (SELECT 1 FROM project_milestone u WHERE u.project_id = p.id AND u.kind = 'in_use'
                   AND u.completed_on IS NOT NULL) AS in_use,
           (SELECT count(*) FROM project_milestone m WHERE m.project_id = p.id
              AND m.overdue_raised_on IS NOT NULL AND m.completed_on IS NULL) AS overdue
         FROM project p WHERE ($1::char(6) IS NULL OR p.county_code = $1))
       SELECT county_code, count(*)::int AS projects, count(*) FILTER (WHERE priority)::int AS priority,
         count(*) FILTER (WHERE in_use)::int AS in_use, sum(spent_fen)::text AS spent_fen,
         coalesce(sum(percent_complete), 0)::int AS percent_sum, count(percent_complete)::int AS reporting,
         sum(overdue)::int AS overdue_milestones, count(*) FILTER (WHERE overdue > 0)::int AS projects_overdue,
         count(*) FILTER (WHERE stalled_since IS NOT NULL)::int AS stalled,
         count(*) FILTER (WHERE overrun_since IS NOT NULL)::int AS overrun,
         sum(seats_preschool)::int AS seats_preschool, sum(seats_primary)::int AS seats_primary,
         sum(seats_junior)::int AS seats_junior, coalesce(sum(capacity_beds), 0)::int AS beds
       FROM p GROUP BY county_code`,
      [c],
    );
    for (const r of projects) {
      Object.assign(of(r.county_code as string), {
        projects: r.projects,
        priority: r.priority,
        inUse: r.in_use,
        spentFen: Number(r.spent_fen),
        percentSum: r.percent_sum,
        reporting: r.reporting,
        overdueMilestones: r.overdue_milestones,
        projectsOverdue: r.projects_overdue,
        stalled: r.stalled,
        overrun: r.overrun,
        seats: { preschool: r.seats_preschool, primary: r.seats_primary, junior: r.seats_junior },
        beds: r.beds,
      });
    }

    const kinds: { county_code: string; kind: string; n: number }[] = await this.dataSource.query(
      `SELECT county_code, kind, count(*)::int AS n FROM project
       WHERE ($1::char(6) IS NULL OR county_code = $1) GROUP BY 1, 2`,
      [c],
    );
    for (const k of kinds) of(k.county_code).byKind[k.kind] = k.n;

    const funding: { county_code: string; source: string; fen: string }[] = await this.dataSource.query(
      `SELECT p.county_code, f.source, sum(f.amount_fen)::text AS fen
       FROM project_funding f JOIN project p ON p.id = f.project_id
       WHERE ($1::char(6) IS NULL OR p.county_code = $1) GROUP BY 1, 2`,
      [c],
    );
    for (const f of funding) {
      const fig = of(f.county_code);
      fig.bySourceFen[f.source] = Number(f.fen);
      fig.budgetFen += Number(f.fen);
    }

    const sites: Record<string, string | number>[] = await this.dataSource.query(
      `SELECT county_code, count(*)::int AS sites, count(measured_at)::int AS counted,
         coalesce(sum(demand_preschool), 0)::int AS d_preschool, coalesce(sum(demand_primary), 0)::int AS d_primary,
         coalesce(sum(demand_junior), 0)::int AS d_junior,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM capacity_shortfall c
           WHERE c.site_code = s.site_code AND c.resolved_on IS NULL))::int AS short
       FROM relocation_site s WHERE ($1::char(6) IS NULL OR county_code = $1) GROUP BY county_code`,
      [c],
    );
    for (const s of sites) {
      Object.assign(of(s.county_code as string), {
        sites: s.sites,
        sitesCounted: s.counted,
        sitesShort: s.short,
        children: { preschool: s.d_preschool, primary: s.d_primary, junior: s.d_junior },
      });
    }

    const shortfalls: { county_code: string; stage: SchoolStage; n: number; seats: number }[] =
      await this.dataSource.query(
        `SELECT s.county_code, c.stage, count(*)::int AS n, sum(c.demand - c.seats)::int AS seats
         FROM capacity_shortfall c JOIN relocation_site s USING (site_code)
         WHERE c.resolved_on IS NULL AND ($1::char(6) IS NULL OR s.county_code = $1) GROUP BY 1, 2`,
        [c],
      );
    for (const s of shortfalls) {
      if (SCHOOL_STAGES.includes(s.stage))
        of(s.county_code).shortfalls[s.stage] = { count: s.n, seats: s.seats };
    }
    return [...byCounty.values()].sort((a, b) => a.countyCode.localeCompare(b.countyCode));
  }
}
