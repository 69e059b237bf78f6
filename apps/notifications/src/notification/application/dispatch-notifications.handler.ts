import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { CHANNELS, type Channel } from '@edu/contracts';
import { counter, histogram } from '@edu/observability';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { EMAIL_SENDER, type EmailSender } from '../channels/email-sender.js';
import { SMS_GATEWAY, type SmsGateway } from '../channels/sms-gateway.js';
import { asDeliveryFailure, type DeliveryFailure } from '../domain/delivery-failure.js';
import { endsWithEscalation } from '../domain/notice-kinds.js';
import type { Notification, SentReceipt } from '../domain/notification.js';
import { rateAllowance } from '../domain/rate-window.js';
import { emailHtml } from '../domain/render-notice.js';
import type { RetryPolicy } from '../domain/retry-policy.js';
import { SendWindow } from '../domain/send-window.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { ProviderRateRepository } from '../persistence/provider-rate.repository.js';
import { NotificationSettlement } from './notification-settlement.js';

/** Small batches: a claim holds its rows only for one short transaction, the sends run after it. */
const BATCH = 10;
const MAX_BATCHES_PER_RUN = 20;

type Outcome = 'sent' | 'retry' | 'failed' | 'lease_lost';

interface Claimed {
  notification: Notification;
  leaseId: string;
}

const dispatched = counter('notifications_dispatched_total', 'Send attempts, by channel and outcome', [
  'channel',
  'outcome',
]);
const sendSeconds = histogram('notification_send_seconds', 'Time to hand one message to its server', [
  'channel',
]);
const heldByLimit = counter(
  'notifications_rate_limited_total',
  'Dispatch passes that stopped at a provider rate limit, by channel',
  ['channel'],
);

/**
 * Sends due messages. Per batch: claim (mark `sending` with a lease and open an attempt, one
 * short transaction), send with no transaction open, then record each outcome in its own
 * transaction with its events. A sender that dies mid-way leaves its rows leased; when the
 * lease runs out another dispatcher sends them again — a message may repeat, it is never lost.
 *
 * A claim takes no more than the provider's rate limit allows in the current second (the
 * window is a row every replica locks), and outside the SMS send window only urgent SMS.
 * A due message of a kind that ends with its escalation is cancelled instead when the
 * escalation has resolved: a request (or fallback) recorded while the resolution was being
 * handled saw no resolution, and the resolution did not see its message.
 */
@Injectable()
export class DispatchNotificationsHandler {
  private readonly logger = new Logger(DispatchNotificationsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly requests: NoticeRequestRepository,
    private readonly rates: ProviderRateRepository,
    private readonly settlement: NotificationSettlement,
    private readonly clock: Clock,
    private readonly window: SendWindow,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    @Inject(EMAIL_SENDER) private readonly email: EmailSender,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  private get policy(): RetryPolicy {
    return {
      maxAttempts: this.settings.maxAttempts,
      baseDelayMs: this.settings.retryBaseMs,
      maxDelayMs: this.settings.retryMaxMs,
    };
  }

  providerOf(channel: Channel): string {
    switch (channel) {
      case 'sms':
        return this.sms.provider;
      case 'email':
        return 'smtp';
    }
  }

  async execute(): Promise<Record<Outcome, number>> {
    const totals: Record<Outcome, number> = { sent: 0, retry: 0, failed: 0, lease_lost: 0 };
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const { toSend, failed, more } = await this.claim();
      const outcomes = await Promise.all(
        toSend.map(({ notification, leaseId }) => this.deliver(notification, leaseId)),
      );
      for (const o of outcomes) totals[o] += 1;
      totals.failed += failed;
      if (!more) break;
    }
    return totals;
  }

  private claim(): Promise<{ toSend: Claimed[]; failed: number; more: boolean }> {
    const now = this.clock.now();
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      const toSend: Claimed[] = [];
      let failed = 0;
      let more = false;
      // Always in the same order, so dispatchers lock the rate windows in the same order.
      for (const channel of CHANNELS) {
        const r = await this.claimChannel(em, channel, now);
        toSend.push(...r.toSend);
        failed += r.failed;
        more ||= r.full;
      }
      return { toSend, failed, more };
    });
  }

  private async claimChannel(
    em: EntityManager,
    channel: Channel,
    now: Date,
  ): Promise<{ toSend: Claimed[]; failed: number; full: boolean }> {
    const provider = this.providerOf(channel);
    const perSecond = channel === 'sms' ? this.settings.smsRatePerSecond : this.settings.emailRatePerSecond;
    const key = `${channel}:${provider}`;
    const rate = perSecond > 0 ? rateAllowance(await this.rates.lock(em, key), now, perSecond) : undefined;
    const limit = Math.min(BATCH, rate?.allowance ?? BATCH);
    const urgentOnly = channel === 'sms' && !this.window.isOpen(now);
    const due = await this.notifications.claimDue(em, now, limit, { channel, urgentOnly });
    const resolved = await this.requests.resolvedAmong(
      em,
      due.filter((n) => endsWithEscalation(n.state.kind)).map((n) => n.state.escalationId),
    );
    const toSend: Claimed[] = [];
    let failed = 0;
    for (const notification of due) {
      // Recorded while its escalation's resolution was being handled, neither saw the other.
      const s = notification.state;
      if (endsWithEscalation(s.kind) && resolved.has(s.escalationId) && notification.cancel(now)) {
        await this.notifications.save(em, notification, now);
        this.logger.log(`notification ${s.id}: escalation ${s.escalationId} resolved; cancelled`);
        continue;
      }
      const leaseId = randomUUID();
      const { send, events } = notification.claim(leaseId, now, this.settings.leaseMs, this.policy, provider);
      if (send) {
        await this.notifications.startAttempt(em, notification, leaseId, provider, now);
        toSend.push({ notification, leaseId });
      } else {
        await this.notifications.abandonOpenAttempts(em, notification.state.id, now);
        failed += 1;
        this.logger.warn(`notification ${notification.state.id} failed: ${notification.state.lastError}`);
      }
      await this.settlement.save(em, notification, events, now);
    }
    if (rate && toSend.length > 0) {
      rate.window.used += toSend.length;
      await this.rates.save(em, key, rate.window);
    }
    if (rate && limit < BATCH && due.length === limit) heldByLimit.inc({ channel });
    return { toSend, failed, full: due.length === BATCH };
  }

  private async deliver(n: Notification, leaseId: string): Promise<Outcome> {
    const { id, channel, attempts } = n.state;
    const stop = sendSeconds.startTimer({ channel });
    let receipt: SentReceipt | undefined;
    let failure: DeliveryFailure | undefined;
    try {
      receipt = await this.send(n);
    } catch (e) {
      failure = asDeliveryFailure(e);
    }
    stop();
    const now = this.clock.now();
    const outcome = await this.dataSource.transaction('READ COMMITTED', async (em): Promise<Outcome> => {
      const current = await this.notifications.findForUpdate(em, id);
      if (!current?.holds(leaseId)) {
        // Another sender took the message over; our attempt's outcome is still worth keeping.
        await this.notifications.finishAttempt(
          em,
          id,
          leaseId,
          {
            outcome: receipt ? 'sent' : 'failed',
            providerMessageId: receipt?.messageId,
            error: failure?.message,
          },
          now,
        );
        return 'lease_lost';
      }
      const events = receipt
        ? current.recordSent(leaseId, receipt, now)
        : current.recordFailure(leaseId, failure ?? asDeliveryFailure('no outcome'), now, this.policy);
      const result = this.outcomeOf(current);
      await this.notifications.finishAttempt(
        em,
        id,
        leaseId,
        { outcome: result, providerMessageId: receipt?.messageId, error: failure?.message },
        now,
      );
      await this.settlement.save(em, current, events, now);
      return result;
    });
    dispatched.inc({ channel, outcome });
    if (outcome === 'lease_lost') {
      this.logger.warn(`notification ${id}: lease ran out before the outcome was recorded`);
    } else if (failure) {
      const next = outcome === 'retry' ? 'will retry' : 'gave up';
      this.logger.warn(
        `notification ${id} (${channel}) attempt ${attempts} failed, ${next}: ${failure.message}`,
      );
    }
    return outcome;
  }

  private outcomeOf(n: Notification): Exclude<Outcome, 'lease_lost'> {
    switch (n.state.status) {
      case 'sent':
      case 'delivered':
        return 'sent';
      case 'failed':
      case 'cancelled':
        return 'failed';
      case 'pending':
      case 'sending':
        return 'retry';
    }
  }

  private async send(n: Notification): Promise<SentReceipt> {
    const s = n.state;
    switch (s.channel) {
      case 'sms':
        return this.sms.send(s.address, s.text, { template: s.smsTemplate, reference: s.id });
      case 'email': {
        const subject = s.subject ?? '';
        const attachments = await this.requests.attachments(this.dataSource.manager, s.requestId);
        return this.email.send({
          to: s.address,
          subject,
          text: s.text,
          html: emailHtml(subject, s.text),
          messageId: `<${s.id}@edu-supervision>`,
          attachments,
        });
      }
    }
  }
}
