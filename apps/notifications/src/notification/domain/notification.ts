import type { Channel, DomainEvent, NoticeKind } from '@edu/contracts';
import { scrubReason, type DeliveryFailure } from './delivery-failure.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'delivered', 'failed'] as const;
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
  }): Notification {
    const { now, ...rest } = p;
    return new Notification({
      ...rest,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
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
    return [
      {
        key: 'notification.sent.v1',
        data: { ...this.ref(), providerMessageId: receipt.messageId, attempt: p.attempts },
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
        data: { ...this.ref(), attempt: Math.max(1, p.attempts), reason: clean },
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
