import type { SmsTemplateCall } from '../domain/render-notice.js';

export interface SmsSendResult {
  /** The provider's id of the (first) part: SMPP message_id, Aliyun BizId, Tencent SerialNo. */
  messageId: string;
  /** Every part's id, in order; delivery receipts come per part (HTTP providers: one id). */
  partIds: string[];
}

/** A final delivery receipt for one message part. */
export interface SmsDeliveryReceipt {
  messageId: string;
  /** DELIVRD, UNDELIV, EXPIRED, DELETED or REJECTD (SMPP); the provider's status code (HTTP). */
  state: string;
  delivered: boolean;
}

/** Called per receipt; the receipt is acknowledged to the provider only once the promise resolves. */
export type SmsReceiptListener = (receipt: SmsDeliveryReceipt) => Promise<void>;

export const SMS_PROVIDERS = ['smpp', 'aliyun', 'tencent'] as const;
export type SmsProvider = (typeof SMS_PROVIDERS)[number];

export interface SmsExtras {
  /** The registered template to send it as; HTTP providers accept nothing else. */
  template?: SmsTemplateCall | null;
  /** Our id for the message (Aliyun OutId, Tencent SessionContext). */
  reference?: string;
}

/**
 * Sends text messages. Throws DeliveryFailure: permanent when retrying cannot help (bad
 * number, unregistered template), transient otherwise.
 */
export interface SmsGateway {
  readonly provider: SmsProvider;
  /** Starts connecting in the background; sends before the link is up wait briefly, then fail transiently. */
  start(): void;
  /** SMPP sends `text`; HTTP providers send `extras.template` (the text is what it renders to). */
  send(to: string, text: string, extras?: SmsExtras): Promise<SmsSendResult>;
  onReceipt(listener: SmsReceiptListener): void;
  close(): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');
