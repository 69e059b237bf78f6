import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@edu/contracts';
import { Inbox, OnEvent } from '@edu/messaging';
import { RecordNoticeOutcomeHandler } from '../application/record-notice-outcome.handler.js';

/** Failed and delivered notices: an interview notice that reached nobody is escalated to the city. */
@Controller()
export class NoticeOutcomeConsumer {
  constructor(
    private readonly inbox: Inbox,
    private readonly outcome: RecordNoticeOutcomeHandler,
  ) {}

  @OnEvent('notification.failed.v1')
  onFailed(@Payload() e: EventEnvelope<'notification.failed.v1'>) {
    return this.inbox.handle('supervision.notice-outcome', e, (em) => this.outcome.failed(em, e));
  }

  @OnEvent('notification.delivered.v1')
  onDelivered(@Payload() e: EventEnvelope<'notification.delivered.v1'>) {
    return this.inbox.handle('supervision.notice-outcome', e, (em) => this.outcome.delivered(em, e));
  }
}
