import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { DomainError } from '@edu/contracts';
import { guardXlsx } from '@edu/imports';

export type TableFormat = 'csv' | 'xlsx';

export interface TableRow {
  /** 1-based line (CSV) or row (XLSX) number, the header being 1. */
  line: number;
  record: Record<string, string>;
}

/** A cell as text: dates as YYYY-MM-DD, rich text and formulas by their text. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result);
    return '';
  }
  return String(v);
}

/** Columns a file must have (after `header` maps them), and the error code naming the ones missing. */
export interface RequiredColumns {
  columns: readonly string[];
  code: string;
}

/**
 * The rows of an uploaded table, streamed (memory stays flat), keyed by the header row's
 * names after `header` maps them (unknown names are kept as they are). With `required`, a
 * header lacking one of its columns refuses the file before any row, naming what is missing.
 * A malformed CSV fails with csv-parse's CsvError.
 */
export async function* tableRows(
  source: Readable,
  format: TableFormat,
  header: (name: string) => string,
  required?: RequiredColumns,
): AsyncGenerator<TableRow> {
  const checkHeader = (names: string[]) => {
    if (!required) return;
    const missing = required.columns.filter((c) => !names.includes(c));
    if (missing.length > 0)
      throw new DomainError(required.code, `line 1: missing columns ${missing.join(', ')}`);
  };
  if (format === 'csv') {
    const parser = source.pipe(
      parse({
        bom: true,
        trim: true,
        skip_empty_lines: true,
        info: true,
        columns: (names: string[]) => {
          const mapped = names.map((h) => header(h.trim()));
          checkHeader(mapped);
          return mapped;
        },
      }),
    );
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      yield { line: info.lines, record };
    }
    return;
  }
  // Zip bombs are cut off before the reader unpacks them.
  const guard = guardXlsx(source);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(guard, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      let names: string[] | null = null;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!names) {
          names = values.map((h) => header(h.trim()));
          checkHeader(names);
          continue;
        }
        if (values.every((v) => v.trim() === '')) continue;
        yield {
          line: row.number,
          record: Object.fromEntries(names.map((n, i) => [n, (values[i] ?? '').trim()])),
        };
      }
      if (guard.failure) throw guard.failure;
      // The first sheet is the ledger.
      return;
    }
  } catch (e) {
    // A refused or cut-off upload makes the reader fail its own way: say why.
    throw guard.failure ?? e;
  }
  if (guard.failure) throw guard.failure;
}
