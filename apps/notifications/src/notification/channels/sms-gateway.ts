export interface SmsSendResult {
  /** The SMS centre's id of the (first) part. */
  messageId: string;
  /** Every part's id, in order; delivery receipts come per part. */
  partIds: string[];
}

/** A final delivery receipt for one message part. */
export interface SmsDeliveryReceipt {
  messageId: string;
  /** DELIVRD, UNDELIV, EXPIRED, DELETED or REJECTD. */
  state: string;
  delivered: boolean;
}

/** Called per receipt; the receipt is acknowledged to the SMS centre only once the promise resolves. */
export type SmsReceiptListener = (receipt: SmsDeliveryReceipt) => Promise<void>;

/**
 * Sends text messages. Throws DeliveryFailure: permanent when retrying cannot help (bad
 * number), transient otherwise.
 */
export interface SmsGateway {
  /** Starts connecting in the background; sends before the link is up wait briefly, then fail transiently. */
  start(): void;
  send(to: string, text: string): Promise<SmsSendResult>;
  onReceipt(listener: SmsReceiptListener): void;
  close(): Promise<void>;
}

export const SMS_GATEWAY = Symbol('SMS_GATEWAY');
