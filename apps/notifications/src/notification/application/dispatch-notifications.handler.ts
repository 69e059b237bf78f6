import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Outbox } from '@edu/messaging';
import { counter, histogram } from '@edu/observability';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { EMAIL_SENDER, type EmailSender } from '../channels/email-sender.js';
import { SMS_GATEWAY, type SmsGateway } from '../channels/sms-gateway.js';
import { asDeliveryFailure, type DeliveryFailure } from '../domain/delivery-failure.js';
import type { Notification, SentReceipt } from '../domain/notification.js';
import { emailHtml } from '../domain/render-notice.js';
import type { RetryPolicy } from '../domain/retry-policy.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { outboxEntries } from './notification-events.js';

/** Small batches: a claim holds its rows only for one short transaction, the sends run after it. */
const BATCH = 10;
const MAX_BATCHES_PER_RUN = 20;

type Outcome = 'sent' | 'retry' | 'failed' | 'lease_lost';

const dispatched = counter('notifications_dispatched_total', 'Send attempts, by channel and outcome', [
  'channel',
  'outcome',
]);
const sendSeconds = histogram('notification_send_seconds', 'Time to hand one message to its server', [
  'channel',
]);

/**
 * Sends due messages. Per batch: claim (mark `sending` with a lease, one short transaction),
 * send with no transaction open, then record each outcome in its own transaction with its
 * events. A sender that dies mid-way leaves its rows leased; when the lease runs out another
 * dispatcher sends them again — a message may repeat, it is never lost. Safe on every replica.
 */
@Injectable()
export class DispatchNotificationsHandler {
  private readonly logger = new Logger(DispatchNotificationsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
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

  async execute(): Promise<Record<Outcome, number>> {
    const totals: Record<Outcome, number> = { sent: 0, retry: 0, failed: 0, lease_lost: 0 };
    for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
      const { toSend, claimed } = await this.claim();
      const outcomes = await Promise.all(
        toSend.map(({ notification, leaseId }) => this.deliver(notification, leaseId)),
      );
      for (const o of outcomes) totals[o] += 1;
      totals.failed += claimed - toSend.length;
      if (claimed < BATCH) break;
    }
    return totals;
  }

  private claim(): Promise<{ toSend: { notification: Notification; leaseId: string }[]; claimed: number }> {
    const now = this.clock.now();
    return this.dataSource.transaction('READ COMMITTED', async (em) => {
      const due = await this.notifications.claimDue(em, now, BATCH);
      const toSend: { notification: Notification; leaseId: string }[] = [];
      for (const notification of due) {
        const leaseId = randomUUID();
        const { send, events } = notification.claim(leaseId, now, this.settings.leaseMs, this.policy);
        await this.notifications.save(em, notification, now);
        await this.outbox.addMany(em, outboxEntries(notification, events));
        if (send) toSend.push({ notification, leaseId });
        else
          this.logger.warn(`notification ${notification.state.id} failed: ${notification.state.lastError}`);
      }
      return { toSend, claimed: due.length };
    });
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
      if (!current?.holds(leaseId)) return 'lease_lost';
      const events = receipt
        ? current.recordSent(leaseId, receipt, now)
        : current.recordFailure(leaseId, failure ?? asDeliveryFailure('no outcome'), now, this.policy);
      await this.notifications.save(em, current, now);
      await this.outbox.addMany(em, outboxEntries(current, events));
      switch (current.state.status) {
        case 'sent':
        case 'delivered':
          return 'sent';
        case 'failed':
          return 'failed';
        case 'pending':
        case 'sending':
          return 'retry';
      }
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

  private async send(n: Notification): Promise<SentReceipt> {
    const s = n.state;
    switch (s.channel) {
      case 'sms':
        return this.sms.send(s.address, s.text);
      case 'email': {
        const subject = s.subject ?? '';
        return this.email.send({
          to: s.address,
          subject,
          text: s.text,
          html: emailHtml(subject, s.text),
          messageId: `<${s.id}@edu-supervision>`,
        });
      }
    }
  }
}
