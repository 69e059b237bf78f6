import { DeliveryFailure } from '../../domain/delivery-failure.js';

/** UCS-2 (data_coding 8): 140 octets a message, 70 characters; 67 when a 6-octet UDH is needed. */
export const SINGLE_PART_UNITS = 70;
export const CONCAT_PART_UNITS = 67;
const MAX_PARTS = 255;

/** Data coding and ESM class bits used for Chinese text. */
export const DATA_CODING_UCS2 = 0x08;
export const ESM_CLASS_UDHI = 0x40;

/**
 * Splits text into the parts it goes out in: one part of up to 70 UTF-16 units, or parts of
 * up to 67 units, never splitting a surrogate pair across parts.
 */
export function splitForUcs2(text: string): string[] {
  if (text.length <= SINGLE_PART_UNITS) return [text];
  const parts: string[] = [];
  let at = 0;
  while (at < text.length) {
    let end = Math.min(at + CONCAT_PART_UNITS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(text.slice(at, end));
    at = end;
  }
  if (parts.length > MAX_PARTS) throw new DeliveryFailure(`text needs ${parts.length} SMS parts`, true);
  return parts;
}

export function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/**
 * The `short_message` octets of every part: UTF-16BE text, preceded when there are several
 * parts by a concatenation UDH (IEI 0x00, 8-bit reference, total, sequence from 1).
 */
export function ucs2Payloads(text: string, reference: number): Buffer[] {
  const parts = splitForUcs2(text);
  if (parts.length === 1) return [ucs2(parts[0])];
  const ref = reference & 0xff;
  return parts.map((part, i) =>
    Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, parts.length, i + 1]), ucs2(part)]),
  );
}
