import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Notification, type NotificationStatus, type PartReceipt } from '../domain/notification.js';
import { NotificationEntity, SmsReceiptEntity } from './notification.entity.js';

function toDomain(row: NotificationEntity): Notification {
  return Notification.restore({
    id: row.id,
    requestId: row.requestId,
    channel: row.channel,
    kind: row.kind,
    escalationId: row.escalationId,
    countyCode: row.countyCode,
    officialId: row.officialId,
    address: row.address,
    subject: row.subject,
    text: row.body,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lockedUntil: row.lockedUntil,
    leaseId: row.leaseId,
    lastError: row.lastError,
    providerMessageId: row.providerMessageId,
    providerPartIds: row.providerPartIds ?? [],
    receiptedPartIds: row.receiptedPartIds ?? [],
    correlationId: row.correlationId,
    causeEventId: row.causeEventId,
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    deliveredAt: row.deliveredAt,
    failedAt: row.failedAt,
  });
}

function toRow(n: Notification, now: Date): NotificationEntity {
  const { text, ...s } = n.state;
  return Object.assign(new NotificationEntity(), {
    ...s,
    body: text,
    providerPartIds: [...s.providerPartIds],
    receiptedPartIds: [...s.receiptedPartIds],
    updatedAt: now,
  });
}

export interface NotificationFilter {
  recipient?: string;
  escalationId?: string;
  status?: NotificationStatus;
  county?: string;
  limit: number;
  offset: number;
}

/** Receipts older than this that never matched a message are left alone. */
const RECEIPT_MATCH_WINDOW_MS = 24 * 3600 * 1000;

@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inserts unless the request already has a message on this channel; returns whether it did. */
  async insert(em: EntityManager, n: Notification, now: Date): Promise<boolean> {
    const result = await em
      .getRepository(NotificationEntity)
      .createQueryBuilder()
      .insert()
      .values(toRow(n, now))
      .orIgnore()
      .returning('id')
      .execute();
    return result.raw.length > 0;
  }

  /** Due messages (and ones whose sender's lease ran out), locked so other dispatchers skip them. */
  async claimDue(em: EntityManager, now: Date, limit: number): Promise<Notification[]> {
    const rows = await em
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where(
        "(n.status = 'pending' AND n.nextAttemptAt <= :now) OR (n.status = 'sending' AND n.lockedUntil < :now)",
        { now },
      )
      .orderBy('n.nextAttemptAt')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toDomain);
  }

  async findForUpdate(em: EntityManager, id: string): Promise<Notification | null> {
    const row = await em
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where('n.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
    return row ? toDomain(row) : null;
  }

  async save(em: EntityManager, n: Notification, now: Date): Promise<void> {
    const { id, ...row } = toRow(n, now);
    await em.getRepository(NotificationEntity).update(id, row);
  }

  /** Keeps a receipt once (the SMS centre may send it again). */
  async insertReceipt(em: EntityManager, r: PartReceipt, now: Date): Promise<void> {
    await em
      .getRepository(SmsReceiptEntity)
      .createQueryBuilder()
      .insert()
      .values({
        messageId: r.messageId,
        state: r.state,
        delivered: r.delivered,
        receivedAt: now,
        appliedAt: null,
      })
      .orIgnore()
      .execute();
  }

  /** Sent messages with receipts waiting to be applied, locked (SKIP LOCKED) for this transaction. */
  async claimWithPendingReceipts(em: EntityManager, now: Date, limit: number): Promise<Notification[]> {
    const ids: { id: string }[] = await em.query(
      `SELECT n.id FROM notification n
       WHERE n.id IN (
         SELECT m.id FROM sms_receipt r JOIN notification m ON m.provider_part_ids @> ARRAY[r.message_id]
         WHERE r.applied_at IS NULL AND r.received_at > $1)
       LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [new Date(now.getTime() - RECEIPT_MATCH_WINDOW_MS), limit],
    );
    if (ids.length === 0) return [];
    const rows = await em.getRepository(NotificationEntity).findBy({ id: In(ids.map((r) => r.id)) });
    return rows.map(toDomain);
  }

  async pendingReceipts(em: EntityManager, partIds: string[]): Promise<PartReceipt[]> {
    if (partIds.length === 0) return [];
    const rows = await em
      .getRepository(SmsReceiptEntity)
      .createQueryBuilder('r')
      .where('r.messageId IN (:...partIds) AND r.appliedAt IS NULL', { partIds })
      .orderBy('r.receivedAt')
      .getMany();
    return rows.map((r) => ({ messageId: r.messageId, state: r.state, delivered: r.delivered }));
  }

  async markReceiptsApplied(em: EntityManager, messageIds: string[], now: Date): Promise<void> {
    if (messageIds.length === 0) return;
    await em.getRepository(SmsReceiptEntity).update({ messageId: In(messageIds) }, { appliedAt: now });
  }

  async list(filter: NotificationFilter): Promise<Notification[]> {
    const qb = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n');
    if (filter.recipient) qb.andWhere('n.address = :recipient', { recipient: filter.recipient });
    if (filter.escalationId)
      qb.andWhere('n.escalationId = :escalationId', { escalationId: filter.escalationId });
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.county) qb.andWhere('n.countyCode = :county', { county: filter.county });
    const rows = await qb
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id')
      .limit(filter.limit)
      .offset(filter.offset)
      .getMany();
    return rows.map(toDomain);
  }
}
