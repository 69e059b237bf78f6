import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { MonitoringPolicy } from '../../monitoring-policy/domain/monitoring-policy.js';
import { FUNDING_SOURCES, MILESTONE_KINDS, Project, type ProgressReportProps } from '../domain/project.js';
import {
  ProgressReportEntity,
  ProjectEntity,
  ProjectFundingEntity,
  ProjectMilestoneEntity,
} from './project.entity.js';

export const PROJECT_STATUSES = ['active', 'completed', 'overdue', 'stalled', 'overrun', 'breach'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export interface ProjectFilter {
  county?: string;
  kind?: string;
  siteCode?: string;
  priority?: boolean;
  status?: ProjectStatus;
  /** Part of the name or code. */
  q?: string;
  limit: number;
  offset: number;
}

const IN_USE = `EXISTS (SELECT 1 FROM project_milestone u WHERE u.project_id = p.id AND u.kind = 'in_use' AND u.completed_on IS NOT NULL)`;
const OVERDUE = `EXISTS (SELECT 1 FROM project_milestone o WHERE o.project_id = p.id AND o.overdue_raised_on IS NOT NULL AND o.completed_on IS NULL)`;
const BUDGET = `(SELECT coalesce(sum(f.amount_fen), 0) FROM project_funding f WHERE f.project_id = p.id)`;

function toDomain(
  row: ProjectEntity,
  milestones: ProjectMilestoneEntity[],
  funding: ProjectFundingEntity[],
): Project {
  return Project.restore({
    id: row.id,
    code: row.code,
    name: row.name,
    kind: row.kind,
    countyCode: row.countyCode,
    siteCode: row.siteCode,
    priority: row.priority,
    funding: funding
      .map((f) => ({ source: f.source, amountFen: Number(f.amountFen) }))
      .sort((a, b) => FUNDING_SOURCES.indexOf(a.source) - FUNDING_SOURCES.indexOf(b.source)),
    spentFen: Number(row.spentFen),
    seats: { preschool: row.seatsPreschool, primary: row.seatsPrimary, junior: row.seatsJunior },
    capacitySeats: row.capacitySeats,
    capacityBeds: row.capacityBeds,
    registeredOn: row.registeredOn,
    percentComplete: row.percentComplete,
    lastReportOn: row.lastReportOn,
    stalledSince: row.stalledSince,
    overrunSince: row.overrunSince,
    milestones: milestones
      .sort((a, b) => a.position - b.position)
      .map((m) => ({
        id: m.id,
        kind: m.kind,
        plannedDate: m.plannedDate,
        completedOn: m.completedOn,
        overdueRaisedOn: m.overdueRaisedOn,
      })),
  });
}

/** The columns that change after registration. */
function mutableColumns(p: Project): Partial<ProjectEntity> {
  const s = p.state;
  return {
    name: s.name,
    siteCode: s.siteCode,
    priority: s.priority,
    spentFen: String(s.spentFen),
    seatsPreschool: s.seats.preschool,
    seatsPrimary: s.seats.primary,
    seatsJunior: s.seats.junior,
    capacitySeats: s.capacitySeats,
    capacityBeds: s.capacityBeds,
    percentComplete: s.percentComplete,
    lastReportOn: s.lastReportOn,
    stalledSince: s.stalledSince,
    overrunSince: s.overrunSince,
  };
}

function projectRow(p: Project): ProjectEntity {
  const s = p.state;
  return Object.assign(new ProjectEntity(), {
    ...mutableColumns(p),
    id: s.id,
    code: s.code,
    kind: s.kind,
    countyCode: s.countyCode,
    registeredOn: s.registeredOn,
  });
}

function milestoneRows(p: Project): ProjectMilestoneEntity[] {
  return p.state.milestones.map((m) =>
    Object.assign(new ProjectMilestoneEntity(), {
      id: m.id,
      projectId: p.state.id,
      kind: m.kind,
      position: MILESTONE_KINDS.indexOf(m.kind),
      plannedDate: m.plannedDate,
      completedOn: m.completedOn,
      overdueRaisedOn: m.overdueRaisedOn,
    }),
  );
}

function applyFilter(qb: SelectQueryBuilder<ProjectEntity>, f: Omit<ProjectFilter, 'limit' | 'offset'>) {
  if (f.county) qb.andWhere('p.county_code = :county', { county: f.county });
  if (f.kind) qb.andWhere('p.kind = :kind', { kind: f.kind });
  if (f.siteCode) qb.andWhere('p.site_code = :siteCode', { siteCode: f.siteCode });
  if (f.priority !== undefined) qb.andWhere('p.priority = :priority', { priority: f.priority });
  if (f.q) {
    qb.andWhere(
      new Brackets((w) =>
        w
          .where('strpos(lower(p.name), lower(:q)) > 0', { q: f.q })
          .orWhere('strpos(lower(p.code), lower(:q)) > 0', { q: f.q }),
      ),
    );
  }
  switch (f.status) {
    case undefined:
      break;
    case 'active':
      qb.andWhere(`NOT ${IN_USE}`);
      break;
    case 'completed':
      qb.andWhere(IN_USE);
      break;
    case 'overdue':
      qb.andWhere(OVERDUE);
      break;
    case 'stalled':
      qb.andWhere('p.stalled_since IS NOT NULL');
      break;
    case 'overrun':
      qb.andWhere('p.overrun_since IS NOT NULL');
      break;
    case 'breach':
      qb.andWhere(`(${OVERDUE} OR p.stalled_since IS NOT NULL OR p.overrun_since IS NOT NULL)`);
      break;
  }
  return qb;
}

@Injectable()
export class ProjectRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, p: Project): Promise<void> {
    await em.getRepository(ProjectEntity).insert(projectRow(p));
    await em.getRepository(ProjectMilestoneEntity).insert(milestoneRows(p));
    await this.saveFunding(em, p);
  }

  /** Saves what can change: the project's own columns, milestones and funding. */
  async save(em: EntityManager, p: Project): Promise<void> {
    const s = p.state;
    await em.getRepository(ProjectEntity).update(s.id, mutableColumns(p));
    await em.query(
      `UPDATE project_milestone m SET planned_date = v.planned, completed_on = v.completed,
         overdue_raised_on = v.raised
       FROM unnest($1::uuid[], $2::date[], $3::date[], $4::date[]) AS v(id, planned, completed, raised)
       WHERE m.id = v.id`,
      [
        s.milestones.map((m) => m.id),
        s.milestones.map((m) => m.plannedDate),
        s.milestones.map((m) => m.completedOn),
        s.milestones.map((m) => m.overdueRaisedOn),
      ],
    );
    await em.query('DELETE FROM project_funding WHERE project_id = $1', [s.id]);
    await this.saveFunding(em, p);
  }

  private async saveFunding(em: EntityManager, p: Project): Promise<void> {
    const lines = p.state.funding;
    if (lines.length === 0) return;
    await em.query(
      `INSERT INTO project_funding (project_id, source, amount_fen)
       SELECT $1, * FROM unnest($2::text[], $3::bigint[])`,
      [p.state.id, lines.map((l) => l.source), lines.map((l) => l.amountFen)],
    );
  }

  async findForUpdate(em: EntityManager, id: string): Promise<Project | null> {
    const row = await em
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? (await this.withDetails(em, [row]))[0] : null;
  }

  async findById(id: string): Promise<Project | null> {
    const em = this.dataSource.manager;
    const row = await em.getRepository(ProjectEntity).findOneBy({ id });
    return row ? (await this.withDetails(em, [row]))[0] : null;
  }

  /** Several projects in `em`'s transaction, locked, in id order. */
  async findManyForUpdate(em: EntityManager, ids: string[]): Promise<Project[]> {
    if (ids.length === 0) return [];
    const rows = await em
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .where('p.id IN (:...ids)', { ids })
      .orderBy('p.id')
      .setLock('pessimistic_write')
      .getMany();
    return this.withDetails(em, rows);
  }

  /**
   * Projects a sweep has something to report on, locked so concurrent sweepers take
   * different projects: a milestone past its planned date not completed nor yet reported; no
   * progress report within the policy's days and no stall reported yet; a budget overrun not
   * yet reported, or one reported that has ended. The same rules as Project.review.
   */
  async claimForReview(
    em: EntityManager,
    today: string,
    policy: MonitoringPolicy,
    limit: number,
  ): Promise<Project[]> {
    const rows = await em
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .where(
        `EXISTS (SELECT 1 FROM project_milestone m WHERE m.project_id = p.id
           AND m.completed_on IS NULL AND m.overdue_raised_on IS NULL AND m.planned_date < :today)`,
      )
      .orWhere(
        `(p.stalled_since IS NULL AND NOT ${IN_USE}
           AND coalesce(p.last_report_on, p.registered_on) + :days::int < :today::date)`,
      )
      .orWhere(
        `((${BUDGET} > 0 AND p.spent_fen * 100 > ${BUDGET} * (100 + :tolerance::int))
           <> (p.overrun_since IS NOT NULL))`,
      )
      .setParameters({ today, days: policy.stalledAfterDays, tolerance: policy.overrunTolerancePercent })
      .orderBy('p.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return this.withDetails(em, rows);
  }

  /** A page of the projects the filter selects, oldest first, and how many it selects. */
  async list(filter: ProjectFilter): Promise<{ items: Project[]; total: number }> {
    const [rows, total] = await applyFilter(
      this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p'),
      filter,
    )
      .orderBy('p.createdAt')
      .addOrderBy('p.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getManyAndCount();
    return { items: await this.withDetails(this.dataSource.manager, rows), total };
  }

  /** Every project the filter selects, a page at a time (for exports: memory stays flat). */
  async *iterate(filter: Omit<ProjectFilter, 'limit' | 'offset'>, pageSize = 500): AsyncGenerator<Project> {
    let after: { county: string; id: string } | undefined;
    for (;;) {
      const qb = applyFilter(this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p'), filter);
      if (after)
        qb.andWhere('(p.county_code, p.id) > (:afterCounty, :afterId)', {
          afterCounty: after.county,
          afterId: after.id,
        });
      const rows = await qb.orderBy('p.county_code').addOrderBy('p.id').limit(pageSize).getMany();
      yield* await this.withDetails(this.dataSource.manager, rows);
      if (rows.length < pageSize) return;
      const last = rows[rows.length - 1];
      after = { county: last.countyCode, id: last.id };
    }
  }

  async insertReport(em: EntityManager, r: ProgressReportProps): Promise<void> {
    await em.getRepository(ProgressReportEntity).insert({
      ...r,
      spentFen: r.spentFen === null ? null : String(r.spentFen),
    });
  }

  async reports(projectId: string, limit: number, offset: number): Promise<ProgressReportProps[]> {
    const rows = await this.dataSource.getRepository(ProgressReportEntity).find({
      where: { projectId },
      order: { reportedOn: 'DESC', createdAt: 'DESC' },
      take: limit,
      skip: offset,
    });
    return rows.map((r) => ({
      id: r.id,
      projectId: r.projectId,
      reportedOn: r.reportedOn,
      percentComplete: r.percentComplete,
      narrative: r.narrative,
      documents: r.documents,
      spentFen: r.spentFen === null ? null : Number(r.spentFen),
      reportedBy: r.reportedBy,
    }));
  }

  private async withDetails(em: EntityManager, rows: ProjectEntity[]): Promise<Project[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const milestones = await em.getRepository(ProjectMilestoneEntity).findBy({ projectId: In(ids) });
    const funding = await em.getRepository(ProjectFundingEntity).findBy({ projectId: In(ids) });
    const group = <T extends { projectId: string }>(items: T[]) => {
      const by = new Map<string, T[]>();
      for (const item of items) by.set(item.projectId, [...(by.get(item.projectId) ?? []), item]);
      return by;
    };
    const milestonesOf = group(milestones);
    const fundingOf = group(funding);
    return rows.map((r) => toDomain(r, milestonesOf.get(r.id) ?? [], fundingOf.get(r.id) ?? []));
  }
}
