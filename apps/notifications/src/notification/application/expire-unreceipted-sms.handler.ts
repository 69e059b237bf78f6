import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { NotificationSettlement } from './notification-settlement.js';

const BATCH = 50;

/**
 * An SMS that got no final delivery receipt within SMS_RECEIPT_TIMEOUT_MS of being sent
 * counts as failed — and so falls back to email. Claims with SKIP LOCKED: safe on every
 * replica. A receipt arriving later is still kept (and shown), but changes nothing.
 */
@Injectable()
export class ExpireUnreceiptedSmsHandler {
  private readonly logger = new Logger(ExpireUnreceiptedSmsHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly settlement: NotificationSettlement,
    private readonly clock: Clock,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  /** Returns how many messages it failed. */
  async execute(): Promise<number> {
    const timeoutMs = this.settings.smsReceiptTimeoutMs;
    if (timeoutMs <= 0) return 0;
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction('READ COMMITTED', async (em) => {
        const now = this.clock.now();
        const batch = await this.notifications.claimAwaitingReceipt(
          em,
          new Date(now.getTime() - timeoutMs),
          BATCH,
        );
        for (const notification of batch) {
          const events = notification.expireReceipt(now, timeoutMs);
          await this.settlement.save(em, notification, events, now);
          this.logger.warn(`notification ${notification.state.id}: ${notification.state.lastError}`);
        }
        return batch.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
