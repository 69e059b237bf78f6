import type { CopyValue } from './import-kind.js';

/** One line of COPY ... (FORMAT csv): NULL unquoted-empty, everything else quoted. */
export function copyLine(values: CopyValue[]): string {
  return (
    values
      .map((v) => {
        if (v === null) return '';
        const s = typeof v === 'string' ? v : String(v);
        return `"${s.replace(/"/g, '""')}"`;
      })
      .join(',') + '\n'
  );
}
