import { Injectable, Logger } from '@nestjs/common';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { KINDS_ENDING_WITH_ESCALATION } from '../domain/notice-kinds.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import { NotificationRepository } from '../persistence/notification.repository.js';

const CONSUMER = 'notifications.escalation-resolved';

/**
 * An escalation resolved: its messages still waiting (held for quiet hours, waiting for a
 * retry) are cancelled, and the escalation is remembered so that a late request for it, or
 * a fallback, sends nothing. A message already with a sender finishes. The minutes of an
 * interview and the reminder of its follow-up are not the escalation's to cancel.
 */
@Injectable()
export class CancelEscalationNotificationsHandler {
  private readonly logger = new Logger(CancelEscalationNotificationsHandler.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly notifications: NotificationRepository,
    private readonly requests: NoticeRequestRepository,
    private readonly clock: Clock,
  ) {}

  async execute(event: EventEnvelope<'supervision.escalation.resolved.v1'>): Promise<{ cancelled: number }> {
    const { escalationId, resolvedAt } = event.data;
    let cancelled = 0;
    await this.inbox.handle(CONSUMER, event, async (em) => {
      const now = this.clock.now();
      await this.requests.markEscalationResolved(em, escalationId, new Date(resolvedAt), now);
      for (const n of await this.notifications.pendingOfEscalation(
        em,
        escalationId,
        KINDS_ENDING_WITH_ESCALATION,
      )) {
        if (!n.cancel(now)) continue;
        await this.notifications.save(em, n, now);
        cancelled += 1;
      }
    });
    if (cancelled > 0) {
      this.logger.log(`escalation ${escalationId} resolved: ${cancelled} pending message(s) cancelled`);
    }
    return { cancelled };
  }
}
