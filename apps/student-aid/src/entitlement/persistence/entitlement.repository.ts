import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Entitlement } from '../domain/entitlement.js';
import { EntitlementEntity, PaymentEntity } from './entitlement.entity.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toDomain(row: EntitlementEntity): Entitlement {
  return Entitlement.restore({
    id: row.id,
    studentKey: row.studentKey,
    countyCode: row.countyCode,
    schoolCode: row.schoolCode,
    policyCode: row.policyCode,
    policyVersion: row.policyVersion,
    runId: row.runId,
    term: row.term,
    amountDue: Number(row.amountDueFen),
    amountPaid: Number(row.amountPaidFen),
    paidOnTime: Number(row.paidOnTimeFen),
    dueDate: row.dueDate,
    status: row.status,
    preparedBy: row.preparedBy,
    approvedBy: row.approvedBy,
    approvedAt: iso(row.approvedAt),
    overdueSince: row.overdueSince,
    shortSince: row.shortSince,
    settledAt: iso(row.settledAt),
    settledOn: row.settledOn,
    dropoutCaseId: row.dropoutCaseId,
  });
}

function toRow(e: Entitlement): EntitlementEntity {
  const s = e.state;
  return Object.assign(new EntitlementEntity(), {
    id: s.id,
    studentKey: s.studentKey,
    countyCode: s.countyCode,
    schoolCode: s.schoolCode,
    policyCode: s.policyCode,
    policyVersion: s.policyVersion,
    runId: s.runId,
    term: s.term,
    amountDueFen: String(s.amountDue),
    amountPaidFen: String(s.amountPaid),
    paidOnTimeFen: String(s.paidOnTime),
    dueDate: s.dueDate,
    status: s.status,
    preparedBy: s.preparedBy,
    approvedBy: s.approvedBy,
    approvedAt: s.approvedAt ? new Date(s.approvedAt) : null,
    overdueSince: s.overdueSince,
    shortSince: s.shortSince,
    settledAt: s.settledAt ? new Date(s.settledAt) : null,
    settledOn: s.settledOn,
    dropoutCaseId: s.dropoutCaseId,
  });
}

export interface EntitlementFilter {
  id?: string;
  county?: string;
  status?: string;
  term?: string;
  studentKey?: string;
  runId?: string;
  limit: number;
  offset: number;
}

@Injectable()
export class EntitlementRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findForUpdate(
    em: EntityManager,
    key: { studentKey: string; policyCode: string; term: string },
  ): Promise<Entitlement | null> {
    const row = await em
      .getRepository(EntitlementEntity)
      .createQueryBuilder('e')
      .where('e.studentKey = :studentKey AND e.policyCode = :policyCode AND e.term = :term', key)
      .setLock('pessimistic_write')
      .getOne();
    return row ? toDomain(row) : null;
  }

  async byIdForUpdate(em: EntityManager, id: string): Promise<Entitlement | null> {
    const row = await em
      .getRepository(EntitlementEntity)
      .createQueryBuilder('e')
      .where('e.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? toDomain(row) : null;
  }

  /** A student's approved entitlements not paid in full, locked (dropout link). */
  async openOfStudentForUpdate(em: EntityManager, studentKey: string): Promise<Entitlement[]> {
    const rows = await em
      .getRepository(EntitlementEntity)
      .createQueryBuilder('e')
      .where("e.studentKey = :studentKey AND e.status IN ('due', 'overdue')", { studentKey })
      .orderBy('e.id')
      .setLock('pessimistic_write')
      .getMany();
    return rows.map(toDomain);
  }

  async insert(em: EntityManager, e: Entitlement): Promise<void> {
    await em.getRepository(EntitlementEntity).insert(toRow(e));
  }

  async save(em: EntityManager, e: Entitlement): Promise<void> {
    const row = toRow(e);
    await em.getRepository(EntitlementEntity).update(row.id, row);
  }

  async insertPayment(em: EntityManager, payment: PaymentEntity): Promise<boolean> {
    const result = await em
      .getRepository(PaymentEntity)
      .createQueryBuilder()
      .insert()
      .values(payment)
      .orIgnore()
      .returning('id')
      .execute();
    return result.raw.length > 0;
  }

  /** A page of the entitlements the filter selects, by due date and id, and how many it selects. */
  async list(filter: EntitlementFilter): Promise<{ items: Entitlement[]; total: number }> {
    const qb = this.dataSource.getRepository(EntitlementEntity).createQueryBuilder('e');
    if (filter.id) qb.andWhere('e.id = :id', { id: filter.id });
    if (filter.county) qb.andWhere('e.countyCode = :county', { county: filter.county });
    if (filter.status) qb.andWhere('e.status = :status', { status: filter.status });
    if (filter.term) qb.andWhere('e.term = :term', { term: filter.term });
    if (filter.studentKey) qb.andWhere('e.studentKey = :studentKey', { studentKey: filter.studentKey });
    if (filter.runId) qb.andWhere('e.runId = :runId', { runId: filter.runId });
    const [rows, total] = await qb
      .orderBy('e.dueDate')
      .addOrderBy('e.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getManyAndCount();
    return { items: rows.map(toDomain), total };
  }
}
