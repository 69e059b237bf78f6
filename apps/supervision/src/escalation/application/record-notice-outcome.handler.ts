import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { InterviewNotices } from '../../interview/application/interview-notices.js';
import type { Breach } from '../domain/breach.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';
import { RecordBreachHandler } from './record-breach.handler.js';
import { SettleItemHandler } from './settle-item.handler.js';

/**
 * What became of the notices requested. An interview notice that could not be delivered on
 * any channel is itself a breach, escalated to the city (policy `notice_failure`); a later
 * delivery of the same request settles it. A failure on one channel while the other is
 * still being tried (`fallbackNotificationId`) is not a failure of the notice. What became of
 * an interview's minutes or follow-up reminder is recorded against the interview.
 */
@Injectable()
export class RecordNoticeOutcomeHandler {
  private readonly logger = new Logger(RecordNoticeOutcomeHandler.name);

  constructor(
    private readonly escalations: EscalationRepository,
    private readonly recordBreach: RecordBreachHandler,
    private readonly settleItem: SettleItemHandler,
    private readonly interviewNotices: InterviewNotices,
  ) {}

  async failed(em: EntityManager, event: EventEnvelope<'notification.failed.v1'>): Promise<void> {
    const d = event.data;
    // Only one channel failed: the notifications service is trying the other one.
    if (d.fallbackNotificationId) return;
    // The minutes or the follow-up reminder of an interview: recorded against it, nothing more.
    if (
      await this.interviewNotices.outcome(em, d.requestId, { failedAt: event.occurredAt, channel: d.channel })
    )
      return;
    if (d.kind !== undefined && d.kind !== 'interview_notice') return;
    const notice = await this.escalations.noticeForUpdate(em, d.requestId);
    // Not one of ours (or from before this service kept notices): nothing to escalate.
    if (!notice) return;
    await this.escalations.markNotice(em, d.requestId, { failedAt: event.occurredAt, channel: d.channel });
    if (notice.kind !== 'interview_notice' || notice.delivered_at) return;
    const source = await this.escalations.findById(notice.escalation_id, em);
    if (!source) return;
    const breach: Breach = {
      breachType: 'notice_failure',
      front: source.state.front,
      countyCode: source.state.countyCode,
      itemKey: `notification:${source.state.id}:${d.requestId}`,
      kind: 'interview_notice_undelivered',
      amountFen: 0,
      overdue: false,
    };
    this.logger.warn(
      `interview notice ${d.requestId} of escalation ${source.state.id} undelivered: escalated to the city`,
    );
    await this.recordBreach.record(em, [{ breach, eventId: event.id }], event);
  }

  async delivered(em: EntityManager, event: EventEnvelope<'notification.delivered.v1'>): Promise<void> {
    const d = event.data;
    if (await this.interviewNotices.outcome(em, d.requestId, { deliveredAt: d.deliveredAt })) return;
    const notice = await this.escalations.noticeForUpdate(em, d.requestId);
    if (!notice) return;
    await this.escalations.markNotice(em, d.requestId, { deliveredAt: d.deliveredAt });
    if (notice.failed_at && notice.kind === 'interview_notice')
      await this.settleItem.execute(em, `notification:${notice.escalation_id}:${d.requestId}`, event);
  }
}
