import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { endsWithEscalation } from '../domain/notice-kinds.js';
import { effectiveTemplate } from '../domain/notice-template.js';
import { withFallback, type Notification } from '../domain/notification.js';
import { renderTemplate } from '../domain/render-notice.js';
import { SendWindow } from '../domain/send-window.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { outboxEntries } from './notification-events.js';

/**
 * Saves a message's new state with the events it caused, in the caller's transaction. When
 * the message failed for good it first tries the other channel: the same notice, rendered
 * from the template in effect now, to the official's other address — unless the request
 * already has a message there or its escalation has resolved (for the kinds that end with it).
 * The failure event then names
 * the fallback, so supervision knows the notice is still on its way.
 */
@Injectable()
export class NotificationSettlement {
  private readonly logger = new Logger(NotificationSettlement.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly requests: NoticeRequestRepository,
    private readonly templates: NoticeTemplateRepository,
    private readonly outbox: Outbox,
    private readonly window: SendWindow,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  async save(em: EntityManager, n: Notification, events: DomainEvent[], now: Date): Promise<void> {
    await this.notifications.save(em, n, now);
    let out = events;
    if (events.some((e) => e.key === 'notification.failed.v1')) {
      const fallback = await this.fallback(em, n, now);
      if (fallback) out = withFallback(events, fallback.state.id);
    }
    await this.outbox.addMany(em, outboxEntries(n, out));
  }

  /** Records the fallback message for `failed`, if there is one to make. */
  async fallback(em: EntityManager, failed: Notification, now: Date): Promise<Notification | null> {
    const s = failed.state;
    const request = await this.requests.find(em, s.requestId);
    if (!request) return null;
    if (endsWithEscalation(s.kind) && (await this.requests.isEscalationResolved(em, s.escalationId)))
      return null;
    const target = request.fallbackFor(
      s.channel,
      await this.notifications.channelsOfRequest(em, s.requestId),
    );
    if (!target) return null;
    const templates = await this.templates.list({ kind: s.kind, channel: target.channel }, em);
    const template = effectiveTemplate(templates, s.kind, target.channel, now);
    if (!template) {
      this.logger.warn(
        `notification ${s.id}: no ${s.kind}/${target.channel} template in effect; no fallback`,
      );
      return null;
    }
    let rendered;
    try {
      rendered = renderTemplate(template, request.values(this.settings.smsSignName));
    } catch (e) {
      this.logger.warn(
        `notification ${s.id}: fallback to ${target.channel} not rendered: ${(e as Error).message}`,
      );
      return null;
    }
    const next = failed.fallback({
      id: randomUUID(),
      channel: target.channel,
      address: target.address,
      subject: rendered.subject,
      text: rendered.text,
      templateId: template.id,
      smsTemplate: rendered.sms,
      now,
      dueAt: target.channel === 'sms' && !s.urgent ? this.window.earliest(now) : now,
    });
    if (!(await this.notifications.insert(em, next, now))) return null;
    this.logger.log(`notification ${s.id} (${s.channel}) failed for good; falling back to ${target.channel}`);
    return next;
  }
}
