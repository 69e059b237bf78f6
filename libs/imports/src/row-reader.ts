import ExcelJS from 'exceljs';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DomainError } from '@edu/contracts';
import { CsvRecordSplitter, CsvSyntaxError } from './csv-records.js';
import type { TabularFormat } from './upload.js';
import { guardXlsx } from './zip-guard.js';

export enum RowReaderErrorCode {
  MissingColumns = 'IMPORT_MISSING_COLUMNS',
  Malformed = 'IMPORT_MALFORMED_FILE',
}

export interface SourceRow {
  /** Line (CSV) or row (XLSX) number in the file, the header being 1. */
  line: number;
  record: Record<string, string>;
}

/** A caller's own ways of reading its tables; left out, each is what the registry imports get. */
export interface RowReaderOptions {
  /** A header's name (trimmed) as the record's key; by default in lower case. */
  header?: (name: string) => string;
  /** The caller's own error codes for a header lacking required columns and for a malformed file. */
  codes?: { missingColumns?: string; malformed?: string };
  /**
   * Refuse a CSV at the first row with a value beyond the header's columns (a value cut by an
   * unquoted comma would otherwise be lost without a word); by default such values are dropped.
   */
  refuseExtraFields?: boolean;
}

const lowerCase = (name: string) => name.toLowerCase();

/**
 * The header's names (trimmed, then in lower case or as `options.header` maps them), once
 * every required column is there.
 */
export function checkHeader(
  header: string[],
  required: readonly string[],
  options: RowReaderOptions = {},
): string[] {
  const map = options.header ?? lowerCase;
  const names = header.map((h) => map(h.trim()));
  const missing = required.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new DomainError(
      options.codes?.missingColumns ?? RowReaderErrorCode.MissingColumns,
      `line 1: missing columns ${missing.join(', ')}`,
    );
  }
  return names;
}

const malformed = (options: RowReaderOptions, message: string) =>
  new DomainError(options.codes?.malformed ?? RowReaderErrorCode.Malformed, message);

async function* csvRows(
  stream: Readable,
  required: readonly string[],
  options: RowReaderOptions,
): AsyncGenerator<SourceRow[]> {
  const decoder = new StringDecoder('utf8');
  const splitter = new CsvRecordSplitter();
  let names: string[] | null = null;
  let batch: SourceRow[] = [];
  const sink = (fields: string[], line: number) => {
    if (names === null) {
      names = checkHeader(fields, required, options);
      return;
    }
    if (options.refuseExtraFields) {
      for (let i = names.length; i < fields.length; i++) {
        if (fields[i] !== '') {
          throw new CsvSyntaxError(
            line,
            `field ${i + 1} has a value but the header has ${names.length} columns (quote a value holding a comma)`,
          );
        }
      }
    }
    // Every column of the header, missing trailing fields as empty text; extra fields dropped.
    const record: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) record[names[i]] = i < fields.length ? fields[i] : '';
    batch.push({ line, record });
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      splitter.push(typeof chunk === 'string' ? chunk : decoder.write(chunk), sink);
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    splitter.push(decoder.end(), sink);
    splitter.end(sink);
    if (batch.length > 0) yield batch;
  } catch (e) {
    if (e instanceof CsvSyntaxError) throw malformed(options, e.message);
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

const XLSX_BATCH = 256;

async function* xlsxRows(
  stream: Readable,
  required: readonly string[],
  options: RowReaderOptions,
): AsyncGenerator<SourceRow[]> {
  // Zip bombs are cut off before the reader unpacks them (ZipGuard).
  const guard = guardXlsx(stream);
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(guard, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of workbook) {
      let names: string[] | null = null;
      let batch: SourceRow[] = [];
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map(cellText);
        if (!names) {
          names = checkHeader(values, required, options);
          continue;
        }
        if (values.every((v) => v === '')) continue;
        const record: Record<string, string> = {};
        names.forEach((n, i) => (record[n] = values[i] ?? ''));
        batch.push({ line: row.number, record });
        if (batch.length >= XLSX_BATCH) {
          yield batch;
          batch = [];
        }
      }
      if (guard.failure) throw guard.failure;
      if (batch.length > 0) yield batch;
      if (!names) throw malformed(options, 'the first worksheet is empty');
      return; // only the first worksheet
    }
    throw guard.failure ?? malformed(options, 'the workbook has no worksheet');
  } catch (e) {
    if (guard.failure) throw guard.failure;
    if (e instanceof DomainError) throw e;
    throw malformed(options, `not a readable XLSX file: ${(e as Error).message}`);
  }
}

/**
 * Streams the rows of a CSV or XLSX file in batches (as many as each chunk of the file
 * holds), checking the header has the required columns. A record has every column of the
 * header, lower case (or as `options.header` maps it), values trimmed, a missing field as
 * empty text.
 */
export function readRowBatches(
  stream: Readable,
  format: TabularFormat,
  required: readonly string[],
  options: RowReaderOptions = {},
): AsyncGenerator<SourceRow[]> {
  return format === 'csv' ? csvRows(stream, required, options) : xlsxRows(stream, required, options);
}

/** Streams the rows of a CSV or XLSX file one by one (see `readRowBatches`). */
export async function* readRows(
  stream: Readable,
  format: TabularFormat,
  required: readonly string[],
  options: RowReaderOptions = {},
): AsyncGenerator<SourceRow> {
  for await (const batch of readRowBatches(stream, format, required, options)) yield* batch;
}
