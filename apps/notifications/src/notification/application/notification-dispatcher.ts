import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { DispatchNotificationsHandler } from './dispatch-notifications.handler.js';
import { ExpireUnreceiptedSmsHandler } from './expire-unreceipted-sms.handler.js';
import { RecordSmsReceiptHandler } from './record-sms-receipt.handler.js';

/**
 * The dispatch worker: every DISPATCH_INTERVAL_MS, and at once when new messages are recorded,
 * sends what is due, applies waiting SMS receipts and fails SMS whose receipt never came. Runs never overlap; a wake-up during a
 * run starts another right after it. Stops (finishing the current run) before the channels
 * and the database close.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDispatcher.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private active = false;

  constructor(
    private readonly dispatch: DispatchNotificationsHandler,
    private readonly receipts: RecordSmsReceiptHandler,
    private readonly expiry: ExpireUnreceiptedSmsHandler,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  onApplicationBootstrap() {
    if (this.settings.dispatchIntervalMs <= 0) {
      this.logger.warn('DISPATCH_INTERVAL_MS is 0: this process records notices but sends none');
      return;
    }
    this.active = true;
    this.timer = setInterval(() => this.wake(), this.settings.dispatchIntervalMs);
    this.wake();
  }

  async beforeApplicationShutdown() {
    this.active = false;
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs a dispatch pass now (or right after the current one). */
  wake(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  private async pass(): Promise<void> {
    try {
      const r = await this.dispatch.execute();
      if (r.sent + r.failed + r.retry > 0) {
        this.logger.debug(`dispatched: ${r.sent} sent, ${r.retry} to retry, ${r.failed} failed`);
      }
    } catch (e) {
      this.logger.error(`dispatch pass failed: ${(e as Error).message}`);
    }
    try {
      await this.receipts.applyPending();
    } catch (e) {
      this.logger.error(`applying SMS receipts failed: ${(e as Error).message}`);
    }
    try {
      // Fallbacks it creates are due now: the next pass sends them.
      if ((await this.expiry.execute()) > 0) this.again = true;
    } catch (e) {
      this.logger.error(`expiring unreceipted SMS failed: ${(e as Error).message}`);
    }
  }
}
