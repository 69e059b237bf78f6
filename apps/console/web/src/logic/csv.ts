export type Cell = string | number | null | undefined;

/** One CSV field, quoted when it must be; a leading = + - @ is defused so a spreadsheet does not run it. */
function field(value: Cell): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file (with a byte-order mark, so Excel reads the Chinese headings as UTF-8). */
export function toCsv(headings: string[], rows: Cell[][]): string {
  return '\ufeff' + [headings, ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
