import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@edu/contracts';
import type {
  ApplyContext,
  ApplyResult,
  CopyValue,
  ImportContext,
  ImportKind,
  RowProblem,
} from '@edu/imports';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { MonitoringPolicyRepository } from '../../monitoring-policy/persistence/monitoring-policy.repository.js';
import { SiteCapacityAssessor } from '../../site-capacity/application/site-capacity-assessor.js';
import { isCalendarDate } from '../domain/calendar-date.js';
import { toFen } from '../domain/money.js';
import {
  FUNDING_SOURCES,
  MILESTONE_KINDS,
  PROJECT_KINDS,
  Project,
  SCHOOL_STAGES,
  type FundingSource,
  type MilestoneKind,
  type Seats,
} from '../domain/project.js';
import { ProjectRepository } from '../persistence/project.repository.js';

/** One staged project row. */
export interface ProjectImportRow {
  code: string;
  name: string;
  kind: string;
  county: string;
  siteCode: string | null;
  priority: boolean;
  planned: Record<MilestoneKind, string>;
  funding: Partial<Record<FundingSource, number>>;
  spentFen: number;
  seats: Seats;
  capacitySeats: number | null;
  capacityBeds: number | null;
}

const planned = (k: MilestoneKind) => `${k}_planned`;
const fundingColumn = (s: FundingSource) => `funding_${s}`;

const REQUIRED = ['code', 'name', 'kind', 'county_code', ...MILESTONE_KINDS.map(planned)];
/** Optional columns: `site_code`, `priority`, `funding_<source>`, `spent_to_date`, `seats_<stage>`, `capacity_seats`, `capacity_beds`. */

const TRUE = ['1', 'y', 'yes', 'true', '是'];
const FALSE = ['', '0', 'n', 'no', 'false', '否'];

/** The planned date of milestone `m.kind` from staging row `s`. */
const PLANNED_OF = `CASE m.kind ${MILESTONE_KINDS.map((k) => `WHEN '${k}' THEN s.p_${k}`).join(' ')} END`;

/**
 * Projects from CSV or XLSX, one row a project keyed by its code: a new code registers a
 * project; a known code updates it (name, kind, site, priority, funding, spend, capacity and
 * the planned dates of milestones not yet completed). A row is the project's whole record: an
 * empty optional cell clears the value. Completions and progress go through the API, where
 * the milestone order is enforced.
 */
@Injectable()
export class ProjectImportKind implements ImportKind<ProjectImportRow> {
  readonly kind = 'projects';
  readonly columns = REQUIRED;
  readonly staging = [
    { name: 'code', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'kind', type: 'text' },
    { name: 'county', type: 'char(6)' },
    { name: 'site_code', type: 'text' },
    { name: 'priority', type: 'boolean' },
    ...MILESTONE_KINDS.map((k) => ({ name: `p_${k}`, type: 'date' })),
    { name: 'funding', type: 'jsonb' },
    { name: 'spent_fen', type: 'bigint' },
    ...SCHOOL_STAGES.map((s) => ({ name: `seats_${s}`, type: 'integer' })),
    { name: 'capacity_seats', type: 'integer' },
    { name: 'capacity_beds', type: 'integer' },
  ];

  constructor(
    private readonly projects: ProjectRepository,
    private readonly policies: MonitoringPolicyRepository,
    private readonly sites: SiteCapacityAssessor,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  parse(
    r: Record<string, string | undefined>,
    line: number,
    ctx: ImportContext,
  ): ProjectImportRow | RowProblem[] {
    const problems: RowProblem[] = [];
    const problem = (field: string, reason: string) => problems.push({ line, field, reason });
    const cell = (name: string) => (r[name] ?? '').trim();
    const count = (name: string, min: number): number | null => {
      const text = cell(name);
      if (text === '') return null;
      const n = Number(text);
      if (!/^\d+$/.test(text) || n < min || n > 100_000) {
        problem(name, `must be a whole number from ${min} to 100000`);
        return null;
      }
      return n;
    };

    const code = cell('code');
    if (code === '' || code.length > 64) problem('code', 'is required (up to 64 characters)');
    const name = cell('name');
    if (name === '' || name.length > 200) problem('name', 'is required (up to 200 characters)');
    const kind = cell('kind');
    if (!(PROJECT_KINDS as readonly string[]).includes(kind))
      problem('kind', `must be one of ${PROJECT_KINDS.join(', ')}`);
    const county = cell('county_code');
    if (!/^\d{6}$/.test(county)) problem('county_code', 'must be a 6-digit GB/T 2260 code');
    else if (ctx.scope !== undefined && ctx.scope !== county)
      problem('county_code', 'is outside your jurisdiction');
    const siteCode = cell('site_code');
    if (siteCode.length > 64) problem('site_code', 'must be up to 64 characters');
    const flag = cell('priority').toLowerCase();
    if (!TRUE.includes(flag) && !FALSE.includes(flag)) problem('priority', 'must be yes or no');
    const dates = {} as Record<MilestoneKind, string>;
    for (const k of MILESTONE_KINDS) {
      dates[k] = cell(planned(k));
      if (!isCalendarDate(dates[k])) problem(planned(k), 'must be a date YYYY-MM-DD');
    }
    const funding: Partial<Record<FundingSource, number>> = {};
    for (const s of FUNDING_SOURCES) {
      const text = cell(fundingColumn(s));
      if (text === '') continue;
      const fen = toFen(text);
      if (fen === null) problem(fundingColumn(s), 'must be an amount in yuan, e.g. 1250000.00');
      else funding[s] = fen;
    }
    const spentText = cell('spent_to_date');
    const spentFen = spentText === '' ? 0 : toFen(spentText);
    if (spentFen === null) problem('spent_to_date', 'must be an amount in yuan, e.g. 1250000.00');
    const seats = Object.fromEntries(SCHOOL_STAGES.map((s) => [s, count(`seats_${s}`, 0) ?? 0])) as Seats;
    const capacitySeats = count('capacity_seats', 1);
    const capacityBeds = count('capacity_beds', 1);
    if (problems.length > 0) return problems;

    // The rules that tie fields together (milestone order, seats by stage within the total).
    try {
      const p = Project.create({
        id: '00000000-0000-4000-8000-000000000000',
        name,
        kind,
        countyCode: county,
        seats,
        capacitySeats: capacitySeats ?? undefined,
        milestones: MILESTONE_KINDS.map((k) => ({ id: k, kind: k, plannedDate: dates[k] })),
      });
      return {
        code,
        name,
        kind,
        county,
        siteCode: siteCode === '' ? null : siteCode,
        priority: TRUE.includes(flag),
        planned: dates,
        funding,
        spentFen: spentFen ?? 0,
        seats,
        capacitySeats: p.state.capacitySeats,
        capacityBeds,
      };
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      return [
        {
          line,
          field: e.message.startsWith('capacitySeats') ? 'capacity_seats' : 'milestones',
          reason: e.message,
        },
      ];
    }
  }

  toRow(v: ProjectImportRow): CopyValue[] {
    return [
      v.code,
      v.name,
      v.kind,
      v.county,
      v.siteCode,
      v.priority,
      ...MILESTONE_KINDS.map((k) => v.planned[k]),
      JSON.stringify(v.funding),
      v.spentFen,
      ...SCHOOL_STAGES.map((s) => v.seats[s]),
      v.capacitySeats,
      v.capacityBeds,
    ];
  }

  async apply(em: EntityManager, { stage }: ApplyContext): Promise<ApplyResult> {
    const today = this.clock.today();
    const plan = `${stage}_plan`;
    const problems = await this.refuse(em, stage);

    await em.query(`
      CREATE TEMP TABLE ${plan} ON COMMIT DROP AS
      SELECT s.line, s.code, p.id AS project_id, p.site_code AS old_site,
        CASE
          WHEN p.id IS NULL THEN 'insert'
          WHEN (p.name, p.kind, p.site_code, p.priority, p.spent_fen, p.seats_preschool, p.seats_primary,
                p.seats_junior, p.capacity_seats, p.capacity_beds)
               IS DISTINCT FROM (s.name, s.kind, s.site_code, s.priority, s.spent_fen, s.seats_preschool,
                s.seats_primary, s.seats_junior, s.capacity_seats, s.capacity_beds)
            OR coalesce((SELECT jsonb_object_agg(f.source, f.amount_fen) FROM project_funding f
                         WHERE f.project_id = p.id), '{}') <> s.funding
            OR EXISTS (SELECT 1 FROM project_milestone m WHERE m.project_id = p.id
                         AND m.completed_on IS NULL AND m.planned_date <> ${PLANNED_OF})
          THEN 'update'
          ELSE 'same'
        END AS action
      FROM ${stage} s LEFT JOIN project p ON p.code = s.code`);

    await em.query(
      `WITH ins AS (
         INSERT INTO project (id, code, name, kind, county_code, site_code, priority, spent_fen,
           seats_preschool, seats_primary, seats_junior, capacity_seats, capacity_beds, registered_on)
         SELECT gen_random_uuid(), s.code, s.name, s.kind, s.county, s.site_code, s.priority, s.spent_fen,
           s.seats_preschool, s.seats_primary, s.seats_junior, s.capacity_seats, s.capacity_beds, $1
         FROM ${stage} s JOIN ${plan} pl USING (line) WHERE pl.action = 'insert'
         RETURNING id, code)
       UPDATE ${plan} pl SET project_id = ins.id FROM ins WHERE pl.code = ins.code`,
      [today],
    );
    await em.query(
      `INSERT INTO project_milestone (id, project_id, kind, position, planned_date)
       SELECT gen_random_uuid(), pl.project_id, m.kind, m.ord - 1, ${PLANNED_OF}
       FROM ${plan} pl JOIN ${stage} s USING (line)
         CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS m(kind, ord)
       WHERE pl.action = 'insert'`,
      [MILESTONE_KINDS],
    );
    await em.query(`
      UPDATE project p SET name = s.name, kind = s.kind, site_code = s.site_code, priority = s.priority,
        spent_fen = s.spent_fen, seats_preschool = s.seats_preschool, seats_primary = s.seats_primary,
        seats_junior = s.seats_junior, capacity_seats = s.capacity_seats, capacity_beds = s.capacity_beds
      FROM ${plan} pl JOIN ${stage} s USING (line)
      WHERE pl.action = 'update' AND p.id = pl.project_id`);
    await em.query(`
      UPDATE project_milestone m SET planned_date = ${PLANNED_OF}
      FROM ${plan} pl JOIN ${stage} s USING (line)
      WHERE pl.action = 'update' AND m.project_id = pl.project_id AND m.completed_on IS NULL`);
    await em.query(
      `DELETE FROM project_funding WHERE project_id IN (SELECT project_id FROM ${plan} WHERE action = 'update')`,
    );
    await em.query(`
      INSERT INTO project_funding (project_id, source, amount_fen)
      SELECT pl.project_id, f.key, f.value::bigint
      FROM ${plan} pl JOIN ${stage} s USING (line), jsonb_each_text(s.funding) AS f
      WHERE pl.action IN ('insert', 'update')`);

    await this.followUp(em, plan, today);
    const [counts]: { inserted: number; updated: number; unchanged: number }[] = await em.query(
      `SELECT count(*) FILTER (WHERE action = 'insert')::int AS inserted,
              count(*) FILTER (WHERE action = 'update')::int AS updated,
              count(*) FILTER (WHERE action = 'same')::int AS unchanged
       FROM ${plan}`,
    );
    return { ...counts, problems };
  }

  /** Rows no set-based load may take: a code repeated in the file, or registered in another county. */
  private async refuse(em: EntityManager, stage: string): Promise<RowProblem[]> {
    const repeated: { line: number; code: string }[] = await em.query(
      `SELECT line, code FROM (SELECT line, code, row_number() OVER (PARTITION BY code ORDER BY line) AS n
       FROM ${stage}) d WHERE n > 1`,
    );
    const elsewhere: { line: number }[] = await em.query(
      `SELECT s.line FROM ${stage} s JOIN project p ON p.code = s.code WHERE p.county_code <> s.county`,
    );
    const problems: RowProblem[] = [
      ...repeated.map((d) => ({
        line: d.line,
        field: 'code',
        reason: 'repeats the code of an earlier line',
      })),
      ...elsewhere
        .filter((e) => !repeated.some((d) => d.line === e.line))
        .map((e) => ({
          line: e.line,
          field: 'county_code',
          reason: 'the code is registered to another county',
        })),
    ];
    if (problems.length > 0) {
      await em.query(`DELETE FROM ${stage} WHERE line = ANY($1)`, [problems.map((p) => p.line)]);
    }
    return problems.sort((a, b) => a.line - b.line);
  }

  /** The budget of every project added or changed, and the capacity of every site they served or serve. */
  private async followUp(em: EntityManager, plan: string, today: string): Promise<void> {
    const policy = await this.policies.inForce(today, em);
    const changed: { project_id: string }[] = await em.query(
      `SELECT project_id FROM ${plan} WHERE action IN ('insert', 'update') ORDER BY project_id`,
    );
    for (let i = 0; i < changed.length; i += 500) {
      const batch = await this.projects.findManyForUpdate(
        em,
        changed.slice(i, i + 500).map((c) => c.project_id),
      );
      for (const p of batch) {
        const events = p.assessBudget(today, policy);
        if (events.length === 0) continue;
        await this.projects.save(em, p);
        await this.outbox.addEvents(em, events, { subject: p.state.id, county: p.state.countyCode });
      }
    }
    const sites: { site_code: string; county_code: string }[] = await em.query(`
      SELECT DISTINCT ON (site_code) site_code, county_code FROM (
        SELECT p.site_code, p.county_code FROM ${plan} pl JOIN project p ON p.id = pl.project_id
        WHERE pl.action IN ('insert', 'update') AND p.site_code IS NOT NULL
        UNION ALL
        SELECT pl.old_site, p.county_code FROM ${plan} pl JOIN project p ON p.id = pl.project_id
        WHERE pl.action = 'update' AND pl.old_site IS NOT NULL
      ) x ORDER BY site_code`);
    await this.sites.reassess(
      em,
      sites.map((s) => ({ siteCode: s.site_code, countyCode: s.county_code })),
      today,
    );
  }
}
