import type { CopyValue } from './import-kind.js';

/** One field of COPY ... (FORMAT csv): NULL unquoted-empty, text quoted, numbers and booleans bare. */
function csvField(v: CopyValue): string {
  if (v === null) return '';
  if (typeof v !== 'string') return String(v);
  return v.indexOf('"') < 0 ? `"${v}"` : `"${v.replace(/"/g, '""')}"`;
}

/** One line of COPY ... (FORMAT csv): NULL unquoted-empty, text quoted. */
export function copyLine(values: CopyValue[]): string {
  if (values.length === 0) return '\n';
  let out = csvField(values[0]);
  for (let i = 1; i < values.length; i++) out += ',' + csvField(values[i]);
  return out + '\n';
}

const TEXT_SPECIAL = /[\\\t\n\r]/;
const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * One line of COPY ... (FORMAT text): the line number, then the values tab-separated, NULL
 * as `\N`, backslash, tab and line ends escaped. Cheaper to write and to parse than CSV:
 * most values go through untouched. Fills `values` in place.
 */
export function copyTextLine(line: number, values: CopyValue[]): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) values[i] = '\\N';
    else if (typeof v === 'string' && TEXT_SPECIAL.test(v)) {
      values[i] = v.replace(/[\\\t\n\r]/g, (c) => TEXT_ESCAPES[c]);
    }
  }
  return values.length === 0 ? `${line}\n` : `${line}\t${values.join('\t')}\n`;
}
