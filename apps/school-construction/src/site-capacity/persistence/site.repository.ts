import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SchoolStage, Seats } from '../../project/domain/project.js';
import { SiteCapacity, type ShortfallProps } from '../domain/site-capacity.js';

interface SiteRow {
  site_code: string;
  county_code: string;
  crosscheck_id: string | null;
  school_year: string | null;
  demand_preschool: number | null;
  demand_primary: number | null;
  demand_junior: number | null;
  measured_at: Date | null;
}

interface SeatsRow {
  site_code: string;
  preschool: number;
  primary: number;
  junior: number;
  projects: number;
}

export interface SiteView {
  siteCode: string;
  countyCode: string;
  schoolYear: string | null;
  measuredAt: string | null;
  demand: Seats | null;
  seats: Seats;
  projects: number;
  shortfalls: { stage: SchoolStage; demand: number; seats: number; shortfall: number; since: string }[];
}

export interface SiteFilter {
  county?: string;
  /** Only sites with an open shortfall. */
  short?: boolean;
  limit: number;
  offset: number;
}

const SEATS_OF = `
  SELECT site_code, coalesce(sum(seats_preschool), 0)::int AS "preschool",
         coalesce(sum(seats_primary), 0)::int AS "primary", coalesce(sum(seats_junior), 0)::int AS "junior",
         count(*)::int AS projects
  FROM project WHERE site_code = ANY($1) GROUP BY site_code`;

const noSeats = (): Seats => ({ preschool: 0, primary: 0, junior: 0 });

@Injectable()
export class SiteRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The sites, locked in code order (so concurrent writers never deadlock), created when first
   * seen with the given county; with the seats of every project serving them, as `em` sees
   * them after the lock, and their open shortfalls.
   */
  async lock(em: EntityManager, sites: { siteCode: string; countyCode: string }[]): Promise<SiteCapacity[]> {
    const byCode = new Map(sites.map((s) => [s.siteCode, s.countyCode]));
    const codes = [...byCode.keys()].sort();
    if (codes.length === 0) return [];
    await em.query(
      `INSERT INTO relocation_site (site_code, county_code) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT DO NOTHING`,
      [codes, codes.map((c) => byCode.get(c))],
    );
    const rows: SiteRow[] = await em.query(
      `SELECT * FROM relocation_site WHERE site_code = ANY($1) ORDER BY site_code FOR UPDATE`,
      [codes],
    );
    const seats: SeatsRow[] = await em.query(SEATS_OF, [codes]);
    const open: (ShortfallProps & { site_code: string })[] = await em.query(
      `SELECT id, site_code, stage, demand, seats, opened_on::text AS "openedOn", NULL AS "resolvedOn"
       FROM capacity_shortfall WHERE site_code = ANY($1) AND resolved_on IS NULL`,
      [codes],
    );
    return rows.map((r) => {
      const s = seats.find((x) => x.site_code === r.site_code);
      return SiteCapacity.restore({
        siteCode: r.site_code,
        countyCode: r.county_code,
        demand:
          r.measured_at === null
            ? null
            : {
                crosscheckId: r.crosscheck_id ?? '',
                schoolYear: r.school_year ?? '',
                counts: {
                  preschool: r.demand_preschool ?? 0,
                  primary: r.demand_primary ?? 0,
                  junior: r.demand_junior ?? 0,
                },
                measuredAt: r.measured_at.toISOString(),
              },
        seats: s ? { preschool: s.preschool, primary: s.primary, junior: s.junior } : noSeats(),
        shortfalls: open
          .filter((o) => o.site_code === r.site_code)
          .map(({ id, stage, demand, seats: sn, openedOn, resolvedOn }) => ({
            id,
            stage,
            demand,
            seats: sn,
            openedOn,
            resolvedOn,
          })),
      });
    });
  }

  async save(em: EntityManager, site: SiteCapacity): Promise<void> {
    const s = site.state;
    await em.query(
      `UPDATE relocation_site SET county_code = $2, crosscheck_id = $3, school_year = $4,
         demand_preschool = $5, demand_primary = $6, demand_junior = $7, measured_at = $8, updated_at = now()
       WHERE site_code = $1`,
      [
        s.siteCode,
        s.countyCode,
        s.demand?.crosscheckId ?? null,
        s.demand?.schoolYear ?? null,
        s.demand?.counts.preschool ?? null,
        s.demand?.counts.primary ?? null,
        s.demand?.counts.junior ?? null,
        s.demand?.measuredAt ?? null,
      ],
    );
    if (s.shortfalls.length === 0) return;
    await em.query(
      `INSERT INTO capacity_shortfall (id, site_code, stage, demand, seats, opened_on, resolved_on)
       SELECT v.id, $1, v.stage, v.demand, v.seats, v.opened_on, v.resolved_on
       FROM unnest($2::uuid[], $3::text[], $4::int[], $5::int[], $6::date[], $7::date[])
         AS v(id, stage, demand, seats, opened_on, resolved_on)
       ON CONFLICT (id) DO UPDATE SET demand = EXCLUDED.demand, seats = EXCLUDED.seats,
         resolved_on = EXCLUDED.resolved_on`,
      [
        s.siteCode,
        s.shortfalls.map((f) => f.id),
        s.shortfalls.map((f) => f.stage),
        s.shortfalls.map((f) => f.demand),
        s.shortfalls.map((f) => f.seats),
        s.shortfalls.map((f) => f.openedOn),
        s.shortfalls.map((f) => f.resolvedOn),
      ],
    );
  }

  /** A page of sites by county and code, and how many the filter selects. */
  async list(filter: SiteFilter): Promise<{ items: SiteView[]; total: number }> {
    const where = `($1::char(6) IS NULL OR s.county_code = $1)
         AND (NOT $2 OR EXISTS (SELECT 1 FROM capacity_shortfall c WHERE c.site_code = s.site_code AND c.resolved_on IS NULL))`;
    const params = [filter.county ?? null, filter.short ?? false];
    const rows: SiteRow[] = await this.dataSource.query(
      `SELECT * FROM relocation_site s WHERE ${where}
       ORDER BY s.county_code, s.site_code LIMIT $3 OFFSET $4`,
      [...params, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM relocation_site s WHERE ${where}`,
      params,
    );
    return { items: await this.views(rows), total };
  }

  async find(siteCode: string): Promise<SiteView | null> {
    const rows: SiteRow[] = await this.dataSource.query(
      'SELECT * FROM relocation_site WHERE site_code = $1',
      [siteCode],
    );
    return (await this.views(rows))[0] ?? null;
  }

  private async views(rows: SiteRow[]): Promise<SiteView[]> {
    if (rows.length === 0) return [];
    const codes = rows.map((r) => r.site_code);
    const seats: SeatsRow[] = await this.dataSource.query(SEATS_OF, [codes]);
    const open: {
      site_code: string;
      stage: SchoolStage;
      demand: number;
      seats: number;
      opened_on: string;
    }[] = await this.dataSource.query(
      `SELECT site_code, stage, demand, seats, opened_on::text FROM capacity_shortfall
         WHERE site_code = ANY($1) AND resolved_on IS NULL ORDER BY site_code, stage`,
      [codes],
    );
    return rows.map((r) => {
      const s = seats.find((x) => x.site_code === r.site_code);
      return {
        siteCode: r.site_code,
        countyCode: r.county_code,
        schoolYear: r.school_year,
        measuredAt: r.measured_at?.toISOString() ?? null,
        demand:
          r.measured_at === null
            ? null
            : {
                preschool: r.demand_preschool ?? 0,
                primary: r.demand_primary ?? 0,
                junior: r.demand_junior ?? 0,
              },
        seats: s ? { preschool: s.preschool, primary: s.primary, junior: s.junior } : noSeats(),
        projects: s?.projects ?? 0,
        shortfalls: open
          .filter((o) => o.site_code === r.site_code)
          .map((o) => ({
            stage: o.stage,
            demand: o.demand,
            seats: o.seats,
            shortfall: o.demand - o.seats,
            since: o.opened_on,
          })),
      };
    });
  }
}
