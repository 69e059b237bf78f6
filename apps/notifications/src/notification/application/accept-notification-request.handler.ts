import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Channel, EventEnvelope, NoticeRecipient } from '@edu/contracts';
import { Inbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { Notification } from '../domain/notification.js';
import { renderNotice, type NoticeValues } from '../domain/render-notice.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { NotificationDispatcher } from './notification-dispatcher.js';

const CONSUMER = 'notifications.notification-requested';

function addressOf(channel: Channel, recipient: NoticeRecipient): string | undefined {
  switch (channel) {
    case 'sms':
      return recipient.phone;
    case 'email':
      return recipient.email;
  }
}

/**
 * Records the messages a notice request asks for — one per channel the official has an
 * address for, rendered now — in the inbox's transaction; the dispatcher sends them. A
 * redelivered event, or another event with the same requestId, adds nothing.
 */
@Injectable()
export class AcceptNotificationRequestHandler {
  private readonly logger = new Logger(AcceptNotificationRequestHandler.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly notifications: NotificationRepository,
    private readonly clock: Clock,
    private readonly dispatcher: NotificationDispatcher,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  async execute(event: EventEnvelope<'notification.requested.v1'>): Promise<{ recorded: number }> {
    const d = event.data;
    const values: NoticeValues = {
      ...d.params,
      escalationId: d.escalationId,
      recipientName: d.recipient.name,
      recipientTitle: d.recipient.title,
      signName: this.settings.smsSignName,
    };
    let recorded = 0;
    await this.inbox.handle(CONSUMER, event, async (em) => {
      const now = this.clock.now();
      for (const channel of new Set(d.channels)) {
        const address = addressOf(channel, d.recipient);
        if (!address) {
          this.logger.warn(
            `request ${d.requestId}: official ${d.recipient.officialId} has no ${channel} address; ${channel} skipped`,
          );
          continue;
        }
        const rendered = renderNotice(d.kind, channel, values);
        const notification = Notification.request({
          id: randomUUID(),
          requestId: d.requestId,
          channel,
          kind: d.kind,
          escalationId: d.escalationId,
          countyCode: d.countyCode,
          officialId: d.recipient.officialId,
          address,
          subject: rendered.subject,
          text: rendered.text,
          correlationId: event.correlationId,
          causeEventId: event.id,
          now,
        });
        if (await this.notifications.insert(em, notification, now)) recorded += 1;
      }
    });
    if (recorded > 0) this.dispatcher.wake();
    return { recorded };
  }
}
