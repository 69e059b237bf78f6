/** Yuan as text: up to ten digits and two decimals, e.g. "1250000.50". */
const YUAN = /^\d{1,10}(\.\d{1,2})?$/;

/** Yuan text to fen (integers keep sums exact); null when the text is not an amount. */
export function toFen(yuan: string): number | null {
  const text = yuan.trim();
  if (!YUAN.test(text)) return null;
  const [whole, part = ''] = text.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/** Fen to yuan text with two decimals, e.g. 12345 → "123.45". */
export function toYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
