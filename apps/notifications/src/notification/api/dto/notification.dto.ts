import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { CHANNELS, NOTICE_KINDS, type Channel } from '@edu/contracts';
import type { AttemptRecord, ReceiptRecord } from '../../persistence/notification.repository.js';
import {
  NOTIFICATION_STATUSES,
  type Notification,
  type NotificationStatus,
} from '../../domain/notification.js';

const COUNTY = /^\d{6}$/;

export class ListNotificationsQuery {
  @ApiPropertyOptional({
    description: 'Phone number or email address the notice went to',
    example: '13900000003',
  })
  @IsOptional()
  @IsString()
  @Length(3, 254)
  recipient?: string;

  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID() escalationId?: string;

  @ApiPropertyOptional({ enum: NOTIFICATION_STATUSES })
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  @ApiPropertyOptional({ enum: CHANNELS }) @IsOptional() @IsIn(CHANNELS) channel?: Channel;

  @ApiPropertyOptional({
    example: '150821',
    description: 'County operators always see their own county only',
  })
  @IsOptional()
  @Matches(COUNTY, { message: 'county must be a 6-digit GB/T 2260 code' })
  county?: string;

  @ApiPropertyOptional({
    description: 'Created at or after (ISO 8601)',
    example: '2020-06-01T00:00:00+08:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601)', example: '2020-07-01T00:00:00+08:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({ description: 'Page size; the total is in the X-Total-Count header' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}

/** One message as the API shows it. */
export class NotificationView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) requestId: string;
  @ApiProperty({ enum: CHANNELS }) channel: string;
  @ApiProperty({ enum: NOTICE_KINDS }) kind: string;
  @ApiProperty({ format: 'uuid' }) escalationId: string;
  @ApiProperty({ example: '150821' }) countyCode: string;
  @ApiProperty() officialId: string;
  @ApiProperty({ description: 'Phone number or email address' }) recipient: string;
  @ApiProperty({ enum: NOTIFICATION_STATUSES }) status: string;
  @ApiProperty({ description: 'Sends tried so far' }) attempts: number;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'SMS centre / provider message id or email Message-ID',
  })
  providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'smpp, aliyun, tencent or smtp' })
  provider: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Email subject' }) subject: string | null;
  @ApiProperty({ description: 'The text as sent' }) text: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The template version used' })
  templateId: string | null;
  @ApiProperty({ description: 'An urgent interview notice: SMS may go out in quiet hours' }) urgent: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'Set on a fallback: the message on the other channel that failed',
  })
  fallbackOf: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the next attempt is due (pending only)' })
  nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt: string | null;
}

export class AttemptView {
  @ApiProperty() attempt: number;
  @ApiProperty({ description: 'smpp, aliyun, tencent or smtp' }) provider: string;
  @ApiProperty() startedAt: string;
  @ApiProperty({ nullable: true, type: String }) finishedAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['sent', 'retry', 'failed', 'abandoned'],
    description: 'null while the send is in progress',
  })
  outcome: string | null;
  @ApiProperty({ nullable: true, type: String }) providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
}

export class ReceiptView {
  @ApiProperty({ description: 'The provider id of the part the receipt is for' }) messageId: string;
  @ApiProperty({ example: 'DELIVRD' }) state: string;
  @ApiProperty() delivered: boolean;
  @ApiProperty() receivedAt: string;
}

export class AttachmentView {
  @ApiProperty() filename: string;
  @ApiProperty() contentType: string;
  @ApiProperty({ description: 'Bytes' }) size: number;
}

/** One message with everything that happened to it. */
export class NotificationDetailView extends NotificationView {
  @ApiProperty({ type: [AttemptView] }) attemptLog: AttemptView[];
  @ApiProperty({ type: [ReceiptView], description: 'Delivery receipts of its parts (SMS)' })
  receipts: ReceiptView[];
  @ApiProperty({ type: [AttachmentView], description: 'Documents attached (email)' })
  attachments: AttachmentView[];
  @ApiProperty({ type: [String], description: 'Messages sent on the other channel after this one failed' })
  fallbacks: string[];
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function notificationView(n: Notification): NotificationView {
  const s = n.state;
  return {
    id: s.id,
    requestId: s.requestId,
    channel: s.channel,
    kind: s.kind,
    escalationId: s.escalationId,
    countyCode: s.countyCode,
    officialId: s.officialId,
    recipient: s.address,
    status: s.status,
    attempts: s.attempts,
    lastError: s.lastError,
    providerMessageId: s.providerMessageId,
    provider: s.provider,
    subject: s.subject,
    text: s.text,
    templateId: s.templateId,
    urgent: s.urgent,
    fallbackOf: s.fallbackOf,
    createdAt: s.createdAt.toISOString(),
    nextAttemptAt: s.status === 'pending' ? s.nextAttemptAt.toISOString() : null,
    sentAt: iso(s.sentAt),
    deliveredAt: iso(s.deliveredAt),
    failedAt: iso(s.failedAt),
    cancelledAt: iso(s.cancelledAt),
  };
}

export function notificationDetailView(
  n: Notification,
  more: {
    attempts: AttemptRecord[];
    receipts: ReceiptRecord[];
    attachments: AttachmentView[];
    fallbacks: Notification[];
  },
): NotificationDetailView {
  return {
    ...notificationView(n),
    attemptLog: more.attempts.map((a) => ({
      ...a,
      startedAt: a.startedAt.toISOString(),
      finishedAt: iso(a.finishedAt),
    })),
    receipts: more.receipts.map((r) => ({ ...r, receivedAt: r.receivedAt.toISOString() })),
    attachments: more.attachments,
    fallbacks: more.fallbacks.map((f) => f.state.id),
  };
}
