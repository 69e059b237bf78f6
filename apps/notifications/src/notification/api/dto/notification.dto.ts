import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { CHANNELS, NOTICE_KINDS } from '@edu/contracts';
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

  @ApiPropertyOptional({
    example: '150821',
    description: 'County operators always see their own county only',
  })
  @IsOptional()
  @Matches(COUNTY, { message: 'county must be a 6-digit GB/T 2260 code' })
  county?: string;

  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit = 100;
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
  @ApiProperty({ nullable: true, type: String, description: 'SMS centre message id or email Message-ID' })
  providerMessageId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Email subject' }) subject: string | null;
  @ApiProperty({ description: 'The text as sent' }) text: string;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'When the next attempt is due (pending only)' })
  nextAttemptAt: string | null;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({ nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: String }) failedAt: string | null;
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
    subject: s.subject,
    text: s.text,
    createdAt: s.createdAt.toISOString(),
    nextAttemptAt: s.status === 'pending' ? s.nextAttemptAt.toISOString() : null,
    sentAt: iso(s.sentAt),
    deliveredAt: iso(s.deliveredAt),
    failedAt: iso(s.failedAt),
  };
}
