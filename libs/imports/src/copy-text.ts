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

const TEXT_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Whether a value holds a backslash, tab or line end. A loop over the characters: cheaper
 * than a regular expression on the short values of a row, millions of times over.
 */
function needsEscape(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 92 || (c < 14 && (c === 9 || c === 10 || c === 13))) return true;
  }
  return false;
}

/**
 * One line of COPY ... (FORMAT text): the line number, then the values tab-separated, NULL
 * as `\N`, backslash, tab and line ends escaped. Cheaper to write and to parse than CSV:
 * most values go through untouched. Fills `values` in place.
 */
export function copyTextLine(line: number, values: CopyValue[]): string {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) values[i] = '\\N';
    else if (typeof v === 'string' && needsEscape(v)) {
      values[i] = v.replace(/[\\\t\n\r]/g, (c) => TEXT_ESCAPES[c]);
    }
  }
  return values.length === 0 ? `${line}\n` : `${line}\t${values.join('\t')}\n`;
}
