import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DropoutCase, type CaseState } from '../domain/dropout-case.js';
import { DropoutCaseEntity } from './dropout-case.entity.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const date = (s: string | null) => (s ? new Date(s) : null);

function toDomain(row: DropoutCaseEntity): DropoutCase {
  return DropoutCase.restore({
    id: row.id,
    studentKey: row.studentKey,
    studentIdNumber: row.studentIdNumber,
    name: row.studentName,
    countyCode: row.countyCode,
    schoolCode: row.schoolCode,
    registeredPoor: row.registeredPoor,
    reason: row.reason,
    state: row.state,
    stateEnteredOn: row.stateEnteredOn,
    deadline: row.deadline,
    overdueStates: row.overdueStates,
    persuaders: row.persuaders,
    resolution: row.resolution,
    resolutionSchoolCode: row.resolutionSchoolCode,
    exemptReason: row.exemptReason,
    closeEvidence: row.closeEvidence,
    openedAt: row.openedAt.toISOString(),
    verifiedAt: iso(row.verifiedAt),
    plannedAt: iso(row.plannedAt),
    resolvedAt: iso(row.resolvedAt),
    closedAt: iso(row.closedAt),
  });
}

function toRow(c: DropoutCase): DropoutCaseEntity {
  const s = c.state;
  return Object.assign(new DropoutCaseEntity(), {
    id: s.id,
    studentKey: s.studentKey,
    studentIdNumber: s.studentIdNumber,
    studentName: s.name,
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    registeredPoor: s.registeredPoor,
    reason: s.reason,
    state: s.state,
    stateEnteredOn: s.stateEnteredOn,
    deadline: s.deadline,
    overdueStates: [...s.overdueStates],
    persuaders: s.persuaders,
    resolution: s.resolution,
    resolutionSchoolCode: s.resolutionSchoolCode,
    exemptReason: s.exemptReason,
    closeEvidence: s.closeEvidence,
    openedAt: new Date(s.openedAt),
    verifiedAt: date(s.verifiedAt),
    plannedAt: date(s.plannedAt),
    resolvedAt: date(s.resolvedAt),
    closedAt: date(s.closedAt),
  });
}

export interface CaseFilter {
  county?: string;
  state?: CaseState;
  limit: number;
  offset: number;
}

@Injectable()
export class DropoutCaseRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts unless the child already has an open case (the partial unique index decides,
   * so two concurrent requests cannot both open one). Returns whether it was inserted.
   */
  async insertIfNoOpenCase(em: EntityManager, c: DropoutCase): Promise<boolean> {
    const result = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder()
      .insert()
      .values(toRow(c))
      .orIgnore()
      .returning('id')
      .execute();
    return result.raw.length > 0;
  }

  async findOpenByStudentKey(em: EntityManager, studentKey: string): Promise<DropoutCase | null> {
    const row = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where("c.studentKey = :studentKey AND c.state <> 'closed'", { studentKey })
      .getOne();
    return row ? toDomain(row) : null;
  }

  async findForUpdate(em: EntityManager, id: string): Promise<DropoutCase | null> {
    const row = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where('c.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? toDomain(row) : null;
  }

  async findById(id: string): Promise<DropoutCase | null> {
    const row = await this.dataSource.getRepository(DropoutCaseEntity).findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  /**
   * Cases whose current state's deadline has passed and whose breach is not yet reported,
   * locked so concurrent sweepers take different rows.
   */
  async claimOverdue(em: EntityManager, today: string, limit: number): Promise<DropoutCase[]> {
    const rows = await em
      .getRepository(DropoutCaseEntity)
      .createQueryBuilder('c')
      .where("c.state <> 'closed' AND c.deadline < :today", { today })
      .andWhere('NOT (c.state = ANY(c.overdueStates))')
      .orderBy('c.deadline')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toDomain);
  }

  async save(em: EntityManager, c: DropoutCase): Promise<void> {
    const row = toRow(c);
    await em.getRepository(DropoutCaseEntity).update(row.id, row);
  }

  async list(filter: CaseFilter): Promise<DropoutCase[]> {
    const qb = this.dataSource.getRepository(DropoutCaseEntity).createQueryBuilder('c');
    if (filter.county) qb.andWhere('c.countyCode = :county', { county: filter.county });
    if (filter.state) qb.andWhere('c.state = :state', { state: filter.state });
    const rows = await qb
      .orderBy('c.deadline', 'ASC', 'NULLS LAST')
      .addOrderBy('c.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getMany();
    return rows.map(toDomain);
  }
}
