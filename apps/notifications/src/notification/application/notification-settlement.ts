import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Channel, DomainEvent } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { endsWithEscalation } from '../domain/notice-kinds.js';
import { effectiveTemplate } from '../domain/notice-template.js';
import type { NoticeRequest } from '../domain/notice-request.js';
import { isUnderway, withFallback, type Notification } from '../domain/notification.js';
import { renderTemplate } from '../domain/render-notice.js';
import { SendWindow } from '../domain/send-window.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import { NoticeTemplateRepository } from '../persistence/notice-template.repository.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { outboxEntries } from './notification-events.js';

/**
 * Saves a message's new state with the events it caused, in the caller's transaction. A
 * message that failed for good is the notice's failure only if nothing else may still reach
 * the official: when the request's message on the other channel is still underway (asked for
 * from the start, not yet failed), or a fallback to the other channel is made now — the same
 * notice, rendered from the template in effect now, to the official's other address, unless
 * the request already has a message there or its escalation has resolved (for the kinds that
 * end with it) — the failure event names that message, so supervision knows the notice is
 * still on its way.
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
      const carrier = await this.carrierAfter(em, n, now);
      if (carrier) out = withFallback(events, carrier);
    }
    await this.outbox.addMany(em, outboxEntries(n, out));
  }

  /**
   * The id of the message that carries the notice now that `failed` failed for good, or null.
   * The request's row is locked first, so the failures of one request's messages take turns:
   * two failing at once (two dispatchers) would each see the other still underway, and neither
   * event would say the notice failed. Each failure holds its own message's row before it
   * waits here, and reads the other's only after, so two of them cannot deadlock. (A pass that
   * fails messages of several requests in one transaction can, rarely, meet another taking them
   * the other way round: Postgres rolls one back and its pass runs again.)
   */
  private async carrierAfter(em: EntityManager, failed: Notification, now: Date): Promise<string | null> {
    const s = failed.state;
    const request = await this.requests.findForUpdate(em, s.requestId);
    const others = await this.notifications.othersOfRequest(em, s.requestId, s.id);
    const underway = others.find((o) => isUnderway(o.status));
    if (underway) {
      this.logger.log(
        `notification ${s.id} (${s.channel}) failed for good; ${underway.channel} message ${underway.id} still ${underway.status}`,
      );
      return underway.id;
    }
    if (!request) return null;
    const next = await this.fallback(
      em,
      failed,
      request,
      others.map((o) => o.channel),
      now,
    );
    return next?.state.id ?? null;
  }

  /** Records the fallback message for `failed`, if there is one to make. */
  private async fallback(
    em: EntityManager,
    failed: Notification,
    request: NoticeRequest,
    channelsInUse: Channel[],
    now: Date,
  ): Promise<Notification | null> {
    const s = failed.state;
    if (endsWithEscalation(s.kind) && (await this.requests.isEscalationResolved(em, s.escalationId)))
      return null;
    const target = request.fallbackFor(s.channel, channelsInUse);
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
