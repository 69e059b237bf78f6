import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { MILESTONE_KINDS, Project } from '../domain/project.js';
import { ProjectEntity, ProjectMilestoneEntity } from './project.entity.js';

function toDomain(row: ProjectEntity, milestones: ProjectMilestoneEntity[]): Project {
  return Project.restore({
    id: row.id,
    name: row.name,
    kind: row.kind,
    countyCode: row.countyCode,
    siteCode: row.siteCode,
    capacitySeats: row.capacitySeats,
    capacityBeds: row.capacityBeds,
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

function projectRow(p: Project): ProjectEntity {
  const s = p.state;
  return Object.assign(new ProjectEntity(), {
    id: s.id,
    name: s.name,
    kind: s.kind,
    countyCode: s.countyCode,
    siteCode: s.siteCode,
    capacitySeats: s.capacitySeats,
    capacityBeds: s.capacityBeds,
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

export interface ProjectFilter {
  county?: string;
  kind?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class ProjectRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(em: EntityManager, p: Project): Promise<void> {
    await em.getRepository(ProjectEntity).insert(projectRow(p));
    await em.getRepository(ProjectMilestoneEntity).insert(milestoneRows(p));
  }

  /** Saves what can change: the milestones' completion and overdue marks. */
  async save(em: EntityManager, p: Project): Promise<void> {
    const repo = em.getRepository(ProjectMilestoneEntity);
    for (const m of p.state.milestones) {
      await repo.update(m.id, { completedOn: m.completedOn, overdueRaisedOn: m.overdueRaisedOn });
    }
  }

  async findForUpdate(em: EntityManager, id: string): Promise<Project | null> {
    const row = await em
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .where('p.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? (await this.withMilestones(em, [row]))[0] : null;
  }

  async findById(id: string): Promise<Project | null> {
    const em = this.dataSource.manager;
    const row = await em.getRepository(ProjectEntity).findOneBy({ id });
    return row ? (await this.withMilestones(em, [row]))[0] : null;
  }

  /**
   * Projects with a milestone past its planned date, not completed and not yet reported,
   * locked so concurrent sweepers take different projects.
   */
  async claimOverdue(em: EntityManager, today: string, limit: number): Promise<Project[]> {
    const rows = await em
      .getRepository(ProjectEntity)
      .createQueryBuilder('p')
      .where(
        `EXISTS (SELECT 1 FROM project_milestone m WHERE m.project_id = p.id
           AND m.completed_on IS NULL AND m.overdue_raised_on IS NULL AND m.planned_date < :today)`,
        { today },
      )
      .orderBy('p.id')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return this.withMilestones(em, rows);
  }

  async list(filter: ProjectFilter): Promise<Project[]> {
    const qb = this.dataSource.getRepository(ProjectEntity).createQueryBuilder('p');
    if (filter.county) qb.andWhere('p.countyCode = :county', { county: filter.county });
    if (filter.kind) qb.andWhere('p.kind = :kind', { kind: filter.kind });
    const rows = await qb
      .orderBy('p.createdAt')
      .addOrderBy('p.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getMany();
    return this.withMilestones(this.dataSource.manager, rows);
  }

  private async withMilestones(em: EntityManager, rows: ProjectEntity[]): Promise<Project[]> {
    if (rows.length === 0) return [];
    const milestones = await em
      .getRepository(ProjectMilestoneEntity)
      .findBy({ projectId: In(rows.map((r) => r.id)) });
    return rows.map((r) =>
      toDomain(
        r,
        milestones.filter((m) => m.projectId === r.id),
      ),
    );
  }
}
