import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Channel, NoticeKind } from '@edu/contracts';
import type { NotificationStatus } from '../domain/notification.js';
import type { SmsTemplateCall } from '../domain/render-notice.js';

@Entity('notification')
@Index(['requestId', 'channel'], { unique: true })
export class NotificationEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') requestId: string;
  @Column('text') channel: Channel;
  @Column('text') kind: NoticeKind;
  @Column('uuid') escalationId: string;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text') officialId: string;
  @Column('text') address: string;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text') body: string;
  @Column('uuid', { nullable: true }) templateId: string | null;
  @Column('jsonb', { nullable: true }) smsTemplate: SmsTemplateCall | null;
  @Column('boolean') urgent: boolean;
  @Column('uuid', { nullable: true }) fallbackOf: string | null;
  @Column('text', { nullable: true }) provider: string | null;
  @Column('text') status: NotificationStatus;
  @Column('int') attempts: number;
  @Column('timestamptz') nextAttemptAt: Date;
  @Column('timestamptz', { nullable: true }) lockedUntil: Date | null;
  @Column('uuid', { nullable: true }) leaseId: string | null;
  @Column('text', { nullable: true }) lastError: string | null;
  @Column('text', { nullable: true }) providerMessageId: string | null;
  @Column('text', { array: true }) providerPartIds: string[];
  @Column('text', { array: true }) receiptedPartIds: string[];
  @Column('text') correlationId: string;
  @Column('uuid') causeEventId: string;
  @Column('timestamptz') createdAt: Date;
  @Column('timestamptz') updatedAt: Date;
  @Column('timestamptz', { nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { nullable: true }) deliveredAt: Date | null;
  @Column('timestamptz', { nullable: true }) failedAt: Date | null;
  @Column('timestamptz', { nullable: true }) cancelledAt: Date | null;
}

/** A final SMS delivery receipt, kept until it is applied to its notification. */
@Entity('sms_receipt')
export class SmsReceiptEntity {
  @PrimaryColumn('text') messageId: string;
  @Column('text') state: string;
  @Column('boolean') delivered: boolean;
  @Column('timestamptz') receivedAt: Date;
  @Column('timestamptz', { nullable: true }) appliedAt: Date | null;
}

/** One send attempt: who took it, when, and what came of it. */
@Entity('notification_attempt')
export class NotificationAttemptEntity {
  @PrimaryColumn('uuid') notificationId: string;
  @PrimaryColumn('int') attempt: number;
  @Column('uuid') leaseId: string;
  @Column('text') provider: string;
  @Column('timestamptz') startedAt: Date;
  @Column('timestamptz', { nullable: true }) finishedAt: Date | null;
  /** sent, retry, failed, or abandoned (the sender's lease ran out with no outcome recorded). */
  @Column('text', { nullable: true }) outcome: string | null;
  @Column('text', { nullable: true }) providerMessageId: string | null;
  @Column('text', { nullable: true }) error: string | null;
}

/** The notice request a message came from, kept for fallback and attachments. */
@Entity('notification_request')
export class NotificationRequestEntity {
  @PrimaryColumn('uuid') requestId: string;
  @Column('text') kind: NoticeKind;
  @Column('uuid') escalationId: string;
  @Column('char', { length: 6 }) countyCode: string;
  @Column('text') officialId: string;
  @Column('text') recipientName: string;
  @Column('text') recipientTitle: string;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { array: true }) channels: Channel[];
  @Column('jsonb') params: Record<string, string | number | boolean>;
  @Column('boolean') urgent: boolean;
  @Column('text') correlationId: string;
  @Column('uuid') causeEventId: string;
  @Column('timestamptz') createdAt: Date;
}

@Entity('notification_attachment')
export class NotificationAttachmentEntity {
  @PrimaryColumn('uuid') requestId: string;
  @PrimaryColumn('int') position: number;
  @Column('text') filename: string;
  @Column('text') contentType: string;
  @Column('bytea') content: Buffer;
}

@Entity('provider_rate_window')
export class ProviderRateWindowEntity {
  @PrimaryColumn('text') provider: string;
  @Column('timestamptz') windowStart: Date;
  @Column('int') used: number;
}

@Entity('resolved_escalation')
export class ResolvedEscalationEntity {
  @PrimaryColumn('uuid') escalationId: string;
  @Column('timestamptz') resolvedAt: Date;
  @Column('timestamptz') recordedAt: Date;
}

@Entity('notice_template')
export class NoticeTemplateEntity {
  @PrimaryColumn('uuid') id: string;
  @Column('text') kind: NoticeKind;
  @Column('text') channel: Channel;
  @Column('int') version: number;
  @Column('timestamptz') effectiveFrom: Date;
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text') body: string;
  @Column('text', { nullable: true }) providerTemplateCode: string | null;
  @Column('text', { nullable: true }) signName: string | null;
  @Column('text', { nullable: true }) note: string | null;
  @Column('text') createdBy: string;
  @Column('timestamptz') createdAt: Date;
}

/** Every entity of the service, for the DataSource and the tests. */
export const NOTIFICATION_ENTITIES = [
  NotificationEntity,
  SmsReceiptEntity,
  NotificationAttemptEntity,
  NotificationRequestEntity,
  NotificationAttachmentEntity,
  ProviderRateWindowEntity,
  ResolvedEscalationEntity,
  NoticeTemplateEntity,
];
