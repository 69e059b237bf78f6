import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NoticeRequest, type NoticeAttachmentFile } from '../domain/notice-request.js';
import {
  NotificationAttachmentEntity,
  NotificationRequestEntity,
  ResolvedEscalationEntity,
} from './notification.entity.js';

/** Notice requests (one per requestId), their attachments, and the escalations already resolved. */
@Injectable()
export class NoticeRequestRepository {
  /** Records a request unless its requestId is known; returns whether it did. */
  async insert(em: EntityManager, r: NoticeRequest, attachments: NoticeAttachmentFile[]): Promise<boolean> {
    const p = r.props;
    const result = await em
      .getRepository(NotificationRequestEntity)
      .createQueryBuilder()
      .insert()
      .values({ ...p, channels: [...p.channels], params: { ...p.params } as never })
      .orIgnore()
      .returning('request_id')
      .execute();
    if ((result.raw as unknown[]).length === 0) return false;
    if (attachments.length > 0) {
      await em.getRepository(NotificationAttachmentEntity).insert(
        attachments.map((a, position) => ({
          requestId: p.requestId,
          position,
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      );
    }
    return true;
  }

  /** The request, its row locked until the transaction ends (FOR UPDATE). */
  async findForUpdate(em: EntityManager, requestId: string): Promise<NoticeRequest | null> {
    const row = await em
      .getRepository(NotificationRequestEntity)
      .findOne({ where: { requestId }, lock: { mode: 'pessimistic_write' } });
    return row ? NoticeRequest.restore({ ...row }) : null;
  }

  async attachments(em: EntityManager, requestId: string): Promise<NoticeAttachmentFile[]> {
    const rows = await em
      .getRepository(NotificationAttachmentEntity)
      .find({ where: { requestId }, order: { position: 'ASC' } });
    return rows.map((r) => ({ filename: r.filename, contentType: r.contentType, content: r.content }));
  }

  /** Names and sizes only, for the API. */
  async attachmentSummaries(
    em: EntityManager,
    requestId: string,
  ): Promise<{ filename: string; contentType: string; size: number }[]> {
    const rows: { filename: string; content_type: string; size: number }[] = await em.query(
      `SELECT filename, content_type, octet_length(content)::int AS size
       FROM notification_attachment WHERE request_id = $1 ORDER BY position`,
      [requestId],
    );
    return rows.map((r) => ({ filename: r.filename, contentType: r.content_type, size: r.size }));
  }

  async markEscalationResolved(
    em: EntityManager,
    escalationId: string,
    resolvedAt: Date,
    now: Date,
  ): Promise<void> {
    await em
      .getRepository(ResolvedEscalationEntity)
      .createQueryBuilder()
      .insert()
      .values({ escalationId, resolvedAt, recordedAt: now })
      .orIgnore()
      .execute();
  }

  async isEscalationResolved(em: EntityManager, escalationId: string): Promise<boolean> {
    return em.getRepository(ResolvedEscalationEntity).existsBy({ escalationId });
  }

  /** Which of these escalations have resolved. */
  async resolvedAmong(em: EntityManager, escalationIds: string[]): Promise<Set<string>> {
    if (escalationIds.length === 0) return new Set();
    const rows: { escalation_id: string }[] = await em.query(
      'SELECT escalation_id FROM resolved_escalation WHERE escalation_id = ANY($1::uuid[])',
      [[...new Set(escalationIds)]],
    );
    return new Set(rows.map((r) => r.escalation_id));
  }
}
