import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { NOTIFICATIONS_CONFIG, type NotificationsSettings } from '../../notifications.config.js';
import { HttpSmsGateway } from '../channels/http/http-sms-gateway.js';
import { SMS_GATEWAY, type SmsDeliveryReceipt, type SmsGateway } from '../channels/sms-gateway.js';
import { notificationError } from '../domain/notification.errors.js';
import { RecordSmsReceiptHandler } from './record-sms-receipt.handler.js';

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Delivery receipts pushed by an HTTP SMS provider (Aliyun SmsReport, Tencent status
 * callback). The push carries SMS_RECEIPT_TOKEN; anything else — a wrong token, another
 * provider than the one configured, no token configured — reads as not found. Every receipt
 * is stored before the provider gets its answer, so a push that fails is pushed again.
 */
@Injectable()
export class AcceptSmsReportsHandler {
  constructor(
    @Inject(SMS_GATEWAY) private readonly sms: SmsGateway,
    private readonly receipts: RecordSmsReceiptHandler,
    @Inject(NOTIFICATIONS_CONFIG) private readonly settings: NotificationsSettings,
  ) {}

  async execute(provider: string, token: string | undefined, body: unknown): Promise<unknown> {
    const expected = this.settings.smsReceiptToken;
    const gateway = this.sms;
    if (
      !expected ||
      !token ||
      !sameSecret(token, expected) ||
      !(gateway instanceof HttpSmsGateway) ||
      gateway.provider !== provider
    ) {
      throw notificationError.noReceiptEndpoint(provider);
    }
    let receipts: SmsDeliveryReceipt[];
    try {
      receipts = gateway.parseReports(body);
    } catch (e) {
      throw notificationError.invalidReceipts(provider, (e as Error).message);
    }
    for (const r of receipts) await this.receipts.record(r);
    return gateway.reportAnswer();
  }
}
