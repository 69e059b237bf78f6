import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Channel, NoticeKind } from '@edu/contracts';
import type { NotificationStatus } from '../domain/notification.js';

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
