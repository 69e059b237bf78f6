import { RESIDENT_ID_PATTERN, type Channel, type DomainEvent, type NoticeKind } from '@edu/contracts';
import { scrubReason, type DeliveryFailure } from './delivery-failure.js';
import type { SmsTemplateCall } from './render-notice.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

export const NOTIFICATION_STATUSES = [
  'pending',
  'sending',
  'sent',
  'delivered',
  'failed',
  'cancelled',
] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export interface NotificationProps {
  id: string;
  requestId: string;
  channel: Channel;
  kind: NoticeKind;
  escalationId: string;
  countyCode: string;
  officialId: string;
  /** Phone number or email address. */
  address: string;
  /** Email only. */
  subject: string | null;
  text: string;
  /** The template version the text was rendered from (null: rendered before templates were rows). */
  templateId: string | null;
  /** SMS: the provider template, signature and parameters, for HTTP SMS providers. */
  smsTemplate: SmsTemplateCall | null;
  /** An interview notice marked urgent: an SMS may go out in quiet hours. */
  urgent: boolean;
  /** Set on a fallback: the message on the other channel that failed for good. */
  fallbackOf: string | null;
  /** Who took the last attempt: smpp, aliyun, tencent or smtp. */
  provider: string | null;
  status: NotificationStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: the claim's lease; after it a crashed sender's message is claimable again. */
  lockedUntil: Date | null;
  leaseId: string | null;
  lastError: string | null;
  providerMessageId: string | null;
  /** SMS: the SMS centre's id of every part; delivered once each part has its receipt. */
  providerPartIds: string[];
  receiptedPartIds: string[];
  /** Of the request event, carried into the events this notification causes. */
  correlationId: string;
  causeEventId: string;
  createdAt: Date;
  sentAt: Date | null;
  deliveredAt: Date | null;
  failedAt: Date | null;
  cancelledAt: Date | null;
}

export interface SentReceipt {
  messageId: string;
  partIds?: string[];
}

/** A final delivery receipt for one SMS part. */
export interface PartReceipt {
  messageId: string;
  state: string;
  delivered: boolean;
}

/**
 * One message to one official over one channel: recorded before anything is sent, then
 * claimed, sent and settled by the dispatcher. A claim is a lease: if the sender dies the
 * message becomes claimable again when the lease runs out (it may then go out twice; it is
 * never lost). Every attempt counts, a crashed one too, so nothing retries forever.
 */
export class Notification {
  private constructor(private props: NotificationProps) {}

  static request(p: {
    id: string;
    requestId: string;
    channel: Channel;
    kind: NoticeKind;
    escalationId: string;
    countyCode: string;
    officialId: string;
    address: string;
    subject: string | null;
    text: string;
    correlationId: string;
    causeEventId: string;
    now: Date;
    templateId?: string | null;
    smsTemplate?: SmsTemplateCall | null;
    urgent?: boolean;
    fallbackOf?: string | null;
    /** When it may first go out (quiet hours); default now. */
    dueAt?: Date;
  }): Notification {
    const { now, dueAt, templateId, smsTemplate, urgent, fallbackOf, ...rest } = p;
    return new Notification({
      ...rest,
      templateId: templateId ?? null,
      smsTemplate: smsTemplate ?? null,
      urgent: urgent ?? false,
      fallbackOf: fallbackOf ?? null,
      provider: null,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: dueAt && dueAt > now ? dueAt : now,
      lockedUntil: null,
      leaseId: null,
      lastError: null,
      providerMessageId: null,
      providerPartIds: [],
      receiptedPartIds: [],
      createdAt: now,
      sentAt: null,
      deliveredAt: null,
      failedAt: null,
      cancelledAt: null,
    });
  }

  static restore(props: NotificationProps): Notification {
    return new Notification({ ...props });
  }

  get state(): Readonly<NotificationProps> {
    return this.props;
  }

  isDue(now: Date): boolean {
    const p = this.props;
    if (p.status === 'pending') return p.nextAttemptAt <= now;
    return this.senderGone(now);
  }

  /** Handed to a sender whose lease has run out: the sender is gone. */
  private senderGone(now: Date): boolean {
    const p = this.props;
    return p.status === 'sending' && p.lockedUntil !== null && p.lockedUntil < now;
  }

  /**
   * Reserves the message for one send attempt under `leaseId`. A message whose earlier
   * claim expired with no attempts left is failed instead (`send` false).
   */
  claim(
    leaseId: string,
    now: Date,
    leaseMs: number,
    policy: RetryPolicy,
    provider: string | null = null,
  ): { send: boolean; events: DomainEvent[] } {
    if (!this.isDue(now)) return { send: false, events: [] };
    const p = this.props;
    if (p.attempts >= policy.maxAttempts) {
      return {
        send: false,
        events: this.fail(`no answer from attempt ${p.attempts} (sender lease expired)`, now),
      };
    }
    p.status = 'sending';
    p.attempts += 1;
    p.provider = provider ?? p.provider;
    p.leaseId = leaseId;
    p.lockedUntil = new Date(now.getTime() + leaseMs);
    return { send: true, events: [] };
  }

  /** Whether `leaseId` still holds this message (else another sender took it over: ignore our outcome). */
  holds(leaseId: string): boolean {
    return this.props.status === 'sending' && this.props.leaseId === leaseId;
  }

  recordSent(leaseId: string, receipt: SentReceipt, now: Date): DomainEvent[] {
    if (!this.holds(leaseId)) return [];
    const p = this.props;
    p.status = 'sent';
    p.sentAt = now;
    p.providerMessageId = receipt.messageId;
    p.providerPartIds = receipt.partIds ?? [];
    p.receiptedPartIds = [];
    this.release();
    // An Aliyun BizId is 18 digits and a caret: shaped like a resident ID number, which no
    // event may carry. The message keeps it (the API shows it); the event goes without.
    const providerMessageId = RESIDENT_ID_PATTERN.test(receipt.messageId) ? undefined : receipt.messageId;
    return [
      {
        key: 'notification.sent.v1',
        data: { ...this.ref(), ...(providerMessageId ? { providerMessageId } : {}), attempt: p.attempts },
      },
    ];
  }

  /** A permanent failure or the last attempt fails the message; otherwise it waits for a retry. */
  recordFailure(
    leaseId: string,
    failure: Pick<DeliveryFailure, 'message' | 'permanent'>,
    now: Date,
    policy: RetryPolicy,
    random: () => number = Math.random,
  ): DomainEvent[] {
    if (!this.holds(leaseId)) return [];
    const p = this.props;
    if (failure.permanent || p.attempts >= policy.maxAttempts) {
      const why = failure.permanent ? failure.message : `${failure.message} (after ${p.attempts} attempts)`;
      return this.fail(why, now);
    }
    p.status = 'pending';
    p.lastError = scrubReason(failure.message);
    p.nextAttemptAt = new Date(now.getTime() + retryDelayMs(p.attempts, policy, random));
    this.release();
    return [];
  }

  /**
   * Applies final SMS delivery receipts: delivered once every part is, failed on the first
   * part the SMS centre could not deliver. Receipts for other messages are ignored.
   */
  recordReceipts(receipts: PartReceipt[], now: Date): DomainEvent[] {
    const p = this.props;
    if (p.status !== 'sent') return [];
    for (const r of receipts) {
      if (!p.providerPartIds.includes(r.messageId)) continue;
      if (!r.delivered) return this.fail(`delivery receipt: ${r.state}`, now);
      if (!p.receiptedPartIds.includes(r.messageId)) p.receiptedPartIds.push(r.messageId);
    }
    if (p.providerPartIds.length === 0 || p.providerPartIds.some((id) => !p.receiptedPartIds.includes(id))) {
      return [];
    }
    p.status = 'delivered';
    p.deliveredAt = now;
    return [{ key: 'notification.delivered.v1', data: { ...this.ref(), deliveredAt: now.toISOString() } }];
  }

  /**
   * Its escalation resolved: a message still waiting is not sent, nor is one whose sender's
   * lease ran out (the sender is gone; it would otherwise be sent again). One a sender holds,
   * or sent, is left to finish; returns whether it was cancelled.
   */
  cancel(now: Date): boolean {
    const p = this.props;
    if (p.status !== 'pending' && !this.senderGone(now)) return false;
    p.status = 'cancelled';
    p.cancelledAt = now;
    this.release();
    return true;
  }

  /** An SMS with no final receipt `timeoutMs` after it was sent counts as failed. */
  expireReceipt(now: Date, timeoutMs: number): DomainEvent[] {
    const p = this.props;
    if (p.channel !== 'sms' || p.status !== 'sent' || !p.sentAt || timeoutMs <= 0) return [];
    if (now.getTime() - p.sentAt.getTime() < timeoutMs) return [];
    return this.fail(`no delivery receipt within ${Math.round(timeoutMs / 60_000)} min`, now);
  }

  /**
   * The same notice on the other channel, after this message failed for good: same request,
   * kind, escalation and official, rendered anew for its channel.
   */
  fallback(p: {
    id: string;
    channel: Channel;
    address: string;
    subject: string | null;
    text: string;
    templateId: string;
    smsTemplate: SmsTemplateCall | null;
    now: Date;
    dueAt?: Date;
  }): Notification {
    const s = this.props;
    return Notification.request({
      ...p,
      requestId: s.requestId,
      kind: s.kind,
      escalationId: s.escalationId,
      countyCode: s.countyCode,
      officialId: s.officialId,
      correlationId: s.correlationId,
      causeEventId: s.causeEventId,
      urgent: s.urgent,
      fallbackOf: s.id,
    });
  }

  private fail(reason: string, now: Date): DomainEvent[] {
    const p = this.props;
    const clean = scrubReason(reason);
    p.status = 'failed';
    p.failedAt = now;
    p.lastError = clean;
    this.release();
    return [
      {
        key: 'notification.failed.v1',
        data: {
          ...this.ref(),
          attempt: Math.max(1, p.attempts),
          reason: clean,
          kind: p.kind,
          escalationId: p.escalationId,
          countyCode: p.countyCode,
        },
      },
    ];
  }

  private release(): void {
    this.props.leaseId = null;
    this.props.lockedUntil = null;
  }

  private ref() {
    const p = this.props;
    return { notificationId: p.id, requestId: p.requestId, channel: p.channel, officialId: p.officialId };
  }
}

/**
 * Whether a message may still reach its official: waiting, with a sender, or sent with no final
 * outcome yet (an email's outcome is never known after the mail server took it).
 */
export function isUnderway(status: NotificationStatus): boolean {
  return status === 'pending' || status === 'sending' || status === 'sent';
}

/** The failure events with the message that now carries the notice (the other channel) named in them. */
export function withFallback(events: DomainEvent[], fallbackNotificationId: string): DomainEvent[] {
  return events.map((e) =>
    e.key === 'notification.failed.v1' ? { ...e, data: { ...e.data, fallbackNotificationId } } : e,
  );
}
