import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Notification } from '../domain/notification.js';
import { notificationError } from '../domain/notification.errors.js';
import { NoticeRequestRepository } from '../persistence/notice-request.repository.js';
import {
  NotificationRepository,
  type AttemptRecord,
  type ReceiptRecord,
} from '../persistence/notification.repository.js';

export interface NotificationDetail {
  notification: Notification;
  attempts: AttemptRecord[];
  receipts: ReceiptRecord[];
  attachments: { filename: string; contentType: string; size: number }[];
  fallbacks: Notification[];
}

/** One message with its attempts, receipts, attachments and fallbacks; another county's reads as not found. */
@Injectable()
export class GetNotificationHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly requests: NoticeRequestRepository,
  ) {}

  async execute(id: string, county: string | undefined): Promise<NotificationDetail> {
    const notification = await this.notifications.findById(id);
    if (!notification || (county !== undefined && notification.state.countyCode !== county)) {
      throw notificationError.notFound(id);
    }
    const s = notification.state;
    const [attempts, receipts, attachments, fallbacks] = await Promise.all([
      this.notifications.attemptsOf(id),
      this.notifications.receiptsOf(s.providerPartIds),
      s.channel === 'email' ? this.requests.attachmentSummaries(this.dataSource.manager, s.requestId) : [],
      this.notifications.fallbacksOf(id),
    ]);
    return { notification, attempts, receipts, attachments, fallbacks };
  }
}
