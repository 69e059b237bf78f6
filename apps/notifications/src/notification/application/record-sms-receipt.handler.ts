import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { counter } from '@edu/observability';
import { Clock } from '@edu/service';
import { SMS_GATEWAY, type SmsDeliveryReceipt, type SmsGateway } from '../channels/sms-gateway.js';
import { NotificationRepository } from '../persistence/notification.repository.js';
import { NotificationSettlement } from './notification-settlement.js';

const BATCH = 50;

const receipts = counter('sms_receipts_total', 'Final SMS delivery receipts received, by state', ['state']);

/**
 * Records SMS delivery receipts, then applies them: a message is delivered once every part
 * is; an undeliverable one fails it (and falls back to email). A receipt is stored before it is acknowledged, so one that arrives before its send was
 * recorded (or while the message is locked) is applied by a later pass — the dispatcher runs
 * one on every tick.
 */
@Injectable()
export class RecordSmsReceiptHandler implements OnModuleInit {
  private readonly logger = new Logger(RecordSmsReceiptHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notifications: NotificationRepository,
    private readonly settlement: NotificationSettlement,
    private readonly clock: Clock,
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
  ) {}

  onModuleInit() {
    this.sms.onReceipt((r) => this.record(r));
  }

  async record(receipt: SmsDeliveryReceipt): Promise<void> {
    await this.dataSource.transaction((em) =>
      this.notifications.insertReceipt(em, receipt, this.clock.now()),
    );
    receipts.inc({ state: receipt.state });
    try {
      await this.applyPending();
    } catch (e) {
      this.logger.warn(`receipt ${receipt.messageId} stored, not applied yet: ${(e as Error).message}`);
    }
  }

  /** Applies stored receipts to their messages; returns how many messages it looked at. */
  async applyPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.dataSource.transaction('READ COMMITTED', async (em) => {
        const now = this.clock.now();
        const batch = await this.notifications.claimWithPendingReceipts(em, now, BATCH);
        for (const notification of batch) {
          const pending = await this.notifications.pendingReceipts(em, notification.state.providerPartIds);
          const events = notification.recordReceipts(pending, now);
          await this.settlement.save(em, notification, events, now);
          await this.notifications.markReceiptsApplied(
            em,
            pending.map((r) => r.messageId),
            now,
          );
        }
        return batch.length;
      });
      total += n;
      if (n < BATCH) return total;
    }
  }
}
