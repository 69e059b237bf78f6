/** Amounts in fen (1/100 yuan) as integers, so sums are exact. */
export type Fen = number;

const MONEY = /^(\d{1,10})(?:\.(\d{1,2}))?$/;

export function parseYuan(value: string | number): Fen | null {
  const text = typeof value === 'number' ? value.toFixed(2) : value.trim();
  const m = MONEY.exec(text);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

export function formatYuan(fen: Fen): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
