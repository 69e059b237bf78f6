import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not, type EntityManager } from 'typeorm';
import type { Channel, NoticeKind } from '@edu/contracts';
import { Notification, type NotificationStatus, type PartReceipt } from '../domain/notification.js';
import { NotificationAttemptEntity, NotificationEntity, SmsReceiptEntity } from './notification.entity.js';

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
    templateId: row.templateId,
    smsTemplate: row.smsTemplate,
    urgent: row.urgent,
    fallbackOf: row.fallbackOf,
    provider: row.provider,
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
    cancelledAt: row.cancelledAt,
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
  channel?: Channel;
  county?: string;
  /** Created at or after. */
  from?: Date;
  /** Created before. */
  to?: Date;
  limit: number;
  offset: number;
}

export interface AttemptRecord {
  attempt: number;
  provider: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: string | null;
  providerMessageId: string | null;
  error: string | null;
}

export interface ReceiptRecord {
  messageId: string;
  state: string;
  delivered: boolean;
  receivedAt: Date;
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

  /**
   * Due messages of one channel (and ones whose sender's lease ran out), locked so other
   * dispatchers skip them. `urgentOnly`: quiet hours, only urgent messages may go.
   */
  async claimDue(
    em: EntityManager,
    now: Date,
    limit: number,
    options: { channel?: Channel; urgentOnly?: boolean } = {},
  ): Promise<Notification[]> {
    if (limit <= 0) return [];
    const qb = em
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where(
        "((n.status = 'pending' AND n.nextAttemptAt <= :now) OR (n.status = 'sending' AND n.lockedUntil < :now))",
        { now },
      );
    if (options.channel) qb.andWhere('n.channel = :channel', { channel: options.channel });
    if (options.urgentOnly) qb.andWhere('n.urgent');
    const rows = await qb
      .orderBy('n.nextAttemptAt')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toDomain);
  }

  /** SMS sent before `sentBefore` still waiting for their receipt, locked (SKIP LOCKED). */
  async claimAwaitingReceipt(em: EntityManager, sentBefore: Date, limit: number): Promise<Notification[]> {
    const rows = await em
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where("n.status = 'sent' AND n.channel = 'sms' AND n.sentAt < :sentBefore", { sentBefore })
      .orderBy('n.sentAt')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
    return rows.map(toDomain);
  }

  /**
   * Messages of these kinds of an escalation still waiting to be sent, locked (a sender
   * holding one is waited for).
   */
  async pendingOfEscalation(
    em: EntityManager,
    escalationId: string,
    kinds: readonly NoticeKind[],
  ): Promise<Notification[]> {
    if (kinds.length === 0) return [];
    const rows = await em
      .getRepository(NotificationEntity)
      .createQueryBuilder('n')
      .where("n.escalationId = :escalationId AND n.status = 'pending' AND n.kind IN (:...kinds)", {
        escalationId,
        kinds,
      })
      .setLock('pessimistic_write')
      .getMany();
    return rows.map(toDomain);
  }

  /** The request's other messages (one per channel at most), as committed now. */
  async othersOfRequest(
    em: EntityManager,
    requestId: string,
    exceptId: string,
  ): Promise<{ id: string; channel: Channel; status: NotificationStatus }[]> {
    return em.getRepository(NotificationEntity).find({
      select: { id: true, channel: true, status: true },
      where: { requestId, id: Not(exceptId) },
    });
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

  async list(filter: NotificationFilter): Promise<{ items: Notification[]; total: number }> {
    const qb = this.dataSource.getRepository(NotificationEntity).createQueryBuilder('n');
    if (filter.recipient) qb.andWhere('n.address = :recipient', { recipient: filter.recipient });
    if (filter.escalationId)
      qb.andWhere('n.escalationId = :escalationId', { escalationId: filter.escalationId });
    if (filter.status) qb.andWhere('n.status = :status', { status: filter.status });
    if (filter.channel) qb.andWhere('n.channel = :channel', { channel: filter.channel });
    if (filter.county) qb.andWhere('n.countyCode = :county', { county: filter.county });
    if (filter.from) qb.andWhere('n.createdAt >= :from', { from: filter.from });
    if (filter.to) qb.andWhere('n.createdAt < :to', { to: filter.to });
    const [rows, total] = await qb
      .orderBy('n.createdAt', 'DESC')
      .addOrderBy('n.id')
      .take(filter.limit)
      .skip(filter.offset)
      .getManyAndCount();
    return { items: rows.map(toDomain), total };
  }

  async findById(id: string): Promise<Notification | null> {
    const row = await this.dataSource.getRepository(NotificationEntity).findOneBy({ id });
    return row ? toDomain(row) : null;
  }

  /** Messages that are fallbacks of `id`. */
  async fallbacksOf(id: string): Promise<Notification[]> {
    const rows = await this.dataSource.getRepository(NotificationEntity).findBy({ fallbackOf: id });
    return rows.map(toDomain);
  }

  // --- attempts ---

  /**
   * Opens the record of attempt `n.attempts` just claimed under `leaseId`; an earlier attempt
   * left open (its sender's lease ran out) is closed as abandoned.
   */
  async startAttempt(em: EntityManager, n: Notification, leaseId: string, provider: string, now: Date) {
    const repo = em.getRepository(NotificationAttemptEntity);
    await repo
      .createQueryBuilder()
      .update()
      .set({ outcome: 'abandoned', finishedAt: now, error: 'sender lease ran out; outcome unknown' })
      .where('notificationId = :id AND outcome IS NULL', { id: n.state.id })
      .execute();
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        notificationId: n.state.id,
        attempt: n.state.attempts,
        leaseId,
        provider,
        startedAt: now,
        finishedAt: null,
        outcome: null,
        providerMessageId: null,
        error: null,
      })
      .orIgnore()
      .execute();
  }

  /** Closes the open attempt of a message (the one `leaseId` took). */
  async finishAttempt(
    em: EntityManager,
    id: string,
    leaseId: string,
    outcome: { outcome: string; providerMessageId?: string | null; error?: string | null },
    now: Date,
  ): Promise<void> {
    await em.getRepository(NotificationAttemptEntity).update(
      { notificationId: id, leaseId },
      {
        outcome: outcome.outcome,
        providerMessageId: outcome.providerMessageId ?? null,
        error: outcome.error ?? null,
        finishedAt: now,
      },
    );
  }

  /** Closes attempts left open when a message is failed without a send (no attempts left). */
  async abandonOpenAttempts(em: EntityManager, id: string, now: Date): Promise<void> {
    await em
      .getRepository(NotificationAttemptEntity)
      .createQueryBuilder()
      .update()
      .set({ outcome: 'abandoned', finishedAt: now, error: 'sender lease ran out; outcome unknown' })
      .where('notificationId = :id AND outcome IS NULL', { id })
      .execute();
  }

  async attemptsOf(id: string): Promise<AttemptRecord[]> {
    const rows = await this.dataSource
      .getRepository(NotificationAttemptEntity)
      .find({ where: { notificationId: id }, order: { attempt: 'ASC' } });
    return rows.map(({ notificationId: _, leaseId: __, ...rest }) => rest);
  }

  async receiptsOf(partIds: string[]): Promise<ReceiptRecord[]> {
    if (partIds.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(SmsReceiptEntity)
      .find({ where: { messageId: In(partIds) }, order: { receivedAt: 'ASC' } });
    return rows.map((r) => ({
      messageId: r.messageId,
      state: r.state,
      delivered: r.delivered,
      receivedAt: r.receivedAt,
    }));
  }
}
