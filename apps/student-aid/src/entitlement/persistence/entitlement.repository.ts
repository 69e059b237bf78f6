import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Entitlement } from '../domain/entitlement.js';
import { EntitlementEntity, PaymentEntity } from './entitlement.entity.js';

function toDomain(row: EntitlementEntity): Entitlement {
  return Entitlement.restore({
    id: row.id,
    studentKey: row.studentKey,
    countyCode: row.countyCode,
    schoolCode: row.schoolCode,
    policyCode: row.policyCode,
    term: row.term,
    amountDue: Number(row.amountDueFen),
    amountPaid: Number(row.amountPaidFen),
    dueDate: row.dueDate,
    status: row.status,
    overdueSince: row.overdueSince,
    settledAt: row.settledAt ? row.settledAt.toISOString() : null,
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
    term: s.term,
    amountDueFen: String(s.amountDue),
    amountPaidFen: String(s.amountPaid),
    dueDate: s.dueDate,
    status: s.status,
    overdueSince: s.overdueSince,
    settledAt: s.settledAt ? new Date(s.settledAt) : null,
  });
}

export interface EntitlementFilter {
  county?: string;
  status?: string;
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

  /** Due entitlements whose date has passed, locked so concurrent sweepers take different rows. */
  async claimPastDue(em: EntityManager, today: string, limit: number): Promise<Entitlement[]> {
    const rows = await em
      .getRepository(EntitlementEntity)
      .createQueryBuilder('e')
      .where("e.status = 'due' AND e.dueDate < :today", { today })
      .orderBy('e.dueDate')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
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

  async list(filter: EntitlementFilter): Promise<Entitlement[]> {
    const qb = this.dataSource.getRepository(EntitlementEntity).createQueryBuilder('e');
    if (filter.county) qb.andWhere('e.countyCode = :county', { county: filter.county });
    if (filter.status) qb.andWhere('e.status = :status', { status: filter.status });
    const rows = await qb
      .orderBy('e.dueDate')
      .addOrderBy('e.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getMany();
    return rows.map(toDomain);
  }
}
