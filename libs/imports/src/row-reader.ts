import { parse, CsvError } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { DomainError } from '@edu/contracts';
import type { TabularFormat } from './upload.js';

export enum RowReaderErrorCode {
  MissingColumns = 'IMPORT_MISSING_COLUMNS',
  Malformed = 'IMPORT_MALFORMED_FILE',
}

export interface SourceRow {
  /** Line (CSV) or row (XLSX) number in the file, the header being 1. */
  line: number;
  record: Record<string, string>;
}

function checkHeader(header: string[], required: readonly string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new DomainError(RowReaderErrorCode.MissingColumns, `line 1: missing columns ${missing.join(', ')}`);
  }
  return names;
}

async function* csvRows(stream: Readable, required: readonly string[]): AsyncGenerator<SourceRow> {
  const parser = stream.pipe(
    parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      columns: (header: string[]) => checkHeader(header, required),
    }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string | undefined>;
      info: { lines: number };
    }>) {
      const clean: Record<string, string> = {};
      for (const [k, v] of Object.entries(record)) clean[k] = v ?? '';
      yield { line: info.lines, record: clean };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const lines = (e as CsvError & { lines?: number }).lines;
      throw new DomainError(RowReaderErrorCode.Malformed, `line ${lines ?? '?'}: ${e.message}`);
    }
    throw e;
  }
}

/** A cell as the text a person sees; dates as YYYY-MM-DD. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return value.result === undefined ? '' : cellText(value.result);
    if ('error' in value) return '';
    return '';
  }
  return String(value).trim();
}

async function* xlsxRows(stream: Readable, required: readonly string[]): AsyncGenerator<SourceRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(stream, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of workbook) {
      let names: string[] | null = null;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!names) {
          names = checkHeader(values, required);
          continue;
        }
        if (values.every((v) => v === '')) continue;
        const record: Record<string, string> = {};
        names.forEach((n, i) => (record[n] = values[i] ?? ''));
        yield { line: row.number, record };
      }
      if (!names) throw new DomainError(RowReaderErrorCode.Malformed, 'the first worksheet is empty');
      return; // only the first worksheet
    }
    throw new DomainError(RowReaderErrorCode.Malformed, 'the workbook has no worksheet');
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw new DomainError(RowReaderErrorCode.Malformed, `not a readable XLSX file: ${(e as Error).message}`);
  }
}

/** Streams the rows of a CSV or XLSX file, checking the header has the required columns. */
export function readRows(
  stream: Readable,
  format: TabularFormat,
  required: readonly string[],
): AsyncGenerator<SourceRow> {
  return format === 'csv' ? csvRows(stream, required) : xlsxRows(stream, required);
}
