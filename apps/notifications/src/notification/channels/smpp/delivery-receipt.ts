import type { SmsDeliveryReceipt } from '../sms-gateway.js';

/** SMPP message_state values (TLV 0x0427) to the stat words of the receipt text. */
const STATE_WORDS: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

const FINAL = new Set(['DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'REJECTD']);

/** esm_class bits 2-5 of a deliver_sm: 0001 is an SMSC delivery receipt. */
const MESSAGE_TYPE_MASK = 0x3c;
const DELIVERY_RECEIPT = 0x04;

export interface DeliverSm {
  [param: string]: unknown;
  esm_class?: unknown;
  short_message?: unknown;
  receipted_message_id?: unknown;
  message_state?: unknown;
}

function textOf(message: unknown): string {
  if (typeof message === 'string') return message;
  if (Buffer.isBuffer(message)) return message.toString('latin1');
  if (message && typeof message === 'object' && 'message' in message) return textOf(message.message);
  return '';
}

/**
 * Reads a delivery receipt from a deliver_sm: the id from the receipted_message_id TLV or the
 * `id:` field of the text, the outcome from the message_state TLV or the `stat:` field.
 * Returns null for anything that is not a final receipt (a mobile-originated message, an
 * intermediate state).
 */
export function parseDeliveryReceipt(pdu: DeliverSm): SmsDeliveryReceipt | null {
  if ((Number(pdu.esm_class ?? 0) & MESSAGE_TYPE_MASK) !== DELIVERY_RECEIPT) return null;
  const text = textOf(pdu.short_message);
  const tlvId = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id.trim() : '';
  const messageId = tlvId || /(?:^|\s)id:(\S+)/i.exec(text)?.[1];
  const state =
    typeof pdu.message_state === 'number' && STATE_WORDS[pdu.message_state]
      ? STATE_WORDS[pdu.message_state]
      : /(?:^|\s)stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
  if (!messageId || !state || !FINAL.has(state)) return null;
  return { messageId, state, delivered: state === 'DELIVRD' };
}

/** The receipt text SMS centres conventionally send (SMPP 3.4 appendix B). */
export function receiptText(messageId: string, state: string, at = new Date()): string {
  const stamp = at.toISOString().replace(/\D/g, '').slice(2, 12);
  const done = state === 'DELIVRD' ? '001' : '000';
  const err = state === 'DELIVRD' ? '000' : '001';
  return `id:${messageId} sub:001 dlvrd:${done} submit date:${stamp} done date:${stamp} stat:${state} err:${err} text:`;
}
