import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Channel, EventEnvelope } from '@edu/contracts';
import { Inbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { endsWithEscalation } from '../domain/notice-kinds.js';
import { decodeAttachments, NoticeRequest } from '../domain/notice-request.js';
import { effectiveTemplate } from '../domain/notice-template.js';
import { Notification } from '../domain/notification.js';
import { notificationError } from '../domain/notification.errors.js';
import { renderTemplate } from '../domain/render-notice.js';
import { SendWindow } from '../domain/send-window.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { NoticeTemplateSeeder } from './notice-template-seeder.js';
import { NotificationDispatcher } from './notification-dispatcher.js';

const CONSUMER = 'notifications.notification-requested';

/**
 * Records a notice request and the messages it asks for — one per channel the official has an
 * address for, rendered now from the template versions in effect — in the inbox's transaction;
 * the dispatcher sends them. A requested channel the official has no address for falls back
 * to the other one. A redelivered event, or another event with the same requestId, adds
 * nothing. A request for an escalation already resolved is recorded with its messages
 * cancelled, unless its kind outlives the escalation (the minutes, the follow-up reminder).
 * Non-urgent SMS are due when the send window next opens.
 */
@Injectable()
export class AcceptNotificationRequestHandler {
  private readonly logger = new Logger(AcceptNotificationRequestHandler.name);

  constructor(
    private readonly inbox: Inbox,
    private readonly notifications: NotificationRepository,
    private readonly requests: NoticeRequestRepository,
    private readonly templates: NoticeTemplateRepository,
    private readonly seeder: NoticeTemplateSeeder,
    private readonly clock: Clock,
    private readonly window: SendWindow,
    private readonly dispatcher: NotificationDispatcher,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  async execute(event: EventEnvelope<'notification.requested.v1'>): Promise<{ recorded: number }> {
    const d = event.data;
    await this.seeder.ready();
    const attachments = decodeAttachments(d.attachments ?? []);
    let recorded = 0;
    await this.inbox.handle(CONSUMER, event, async (em) => {
      const now = this.clock.now();
      const request = NoticeRequest.accept({
        requestId: d.requestId,
        kind: d.kind,
        escalationId: d.escalationId,
        countyCode: d.countyCode,
        officialId: d.recipient.officialId,
        recipientName: d.recipient.name,
        recipientTitle: d.recipient.title,
        phone: d.recipient.phone ?? null,
        email: d.recipient.email ?? null,
        channels: [...new Set(d.channels)],
        params: d.params,
        correlationId: event.correlationId,
        causeEventId: event.id,
        createdAt: now,
      });
      if (!(await this.requests.insert(em, request, attachments))) {
        this.logger.log(`request ${d.requestId} was recorded before; nothing more to send`);
        return;
      }
      const resolved = await this.requests.isEscalationResolved(em, d.escalationId);
      const templates = await this.templates.list({ kind: d.kind }, em);
      for (const channel of this.channelsToUse(request)) {
        const address = request.addressFor(channel);
        if (!address) continue;
        const template = effectiveTemplate(templates, d.kind, channel, now);
        if (!template) throw notificationError.unknownTemplate(`${d.kind}/${channel} in effect now`);
        const rendered = renderTemplate(template, request.values(this.settings.smsSignName));
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
          templateId: template.id,
          smsTemplate: rendered.sms,
          urgent: request.props.urgent,
          correlationId: event.correlationId,
          causeEventId: event.id,
          now,
          dueAt: channel === 'sms' && !request.props.urgent ? this.window.earliest(now) : now,
        });
        if (resolved && endsWithEscalation(d.kind)) notification.cancel(now);
        if (await this.notifications.insert(em, notification, now)) recorded += 1;
      }
    });
    if (recorded > 0) this.dispatcher.wake();
    return { recorded };
  }

  /** The requested channels the official can be reached on, the other one standing in for one that cannot. */
  private channelsToUse(request: NoticeRequest): Channel[] {
    const { channels, requestId, officialId } = request.props;
    const use = new Set<Channel>();
    for (const channel of channels) {
      if (request.addressFor(channel)) {
        use.add(channel);
        continue;
      }
      const other = request.fallbackFor(channel, [...channels, ...use]);
      this.logger.warn(
        `request ${requestId}: official ${officialId} has no ${channel} address; ` +
          (other ? `sending by ${other.channel} instead` : `${channel} skipped`),
      );
      if (other) use.add(other.channel);
    }
    return [...use];
  }
}
