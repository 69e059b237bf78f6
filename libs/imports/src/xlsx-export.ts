import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';

export interface ExportColumn<R> {
  header: string;
  width?: number;
  value: (row: R) => string | number | boolean | Date | null | undefined;
}

/*
 * What a spreadsheet may take for the start of a formula when the text is pasted or saved as
 * CSV: = + - @, tab, carriage return and line feed, and their full-width forms (＝＋－＠),
 * which an IME types and some versions of Excel accept.
 */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Text a spreadsheet would run as a formula is written as plain text (CSV/formula injection):
 * prefixed with an apostrophe, as OWASP recommends. An XLSX string cell is never evaluated,
 * but the file may be re-saved as CSV or its cells pasted elsewhere.
 */
export function safeCell(
  value: string | number | boolean | Date | null | undefined,
): string | number | boolean | Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && FORMULA_START.test(value)) return `'${value}`;
  return value;
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Streams rows into an XLSX workbook of one sheet, written as it goes (memory stays flat). */
export async function writeXlsx<R>(
  out: Writable,
  sheetName: string,
  columns: ExportColumn<R>[],
  rows: AsyncIterable<R> | Iterable<R>,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName.slice(0, 31));
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 16 }));
  for await (const row of rows) {
    sheet.addRow(columns.map((c) => safeCell(c.value(row)))).commit();
  }
  sheet.commit();
  await workbook.commit();
}
