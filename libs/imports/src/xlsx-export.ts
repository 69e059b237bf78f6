import ExcelJS from 'exceljs';
import type { Writable } from 'node:stream';

export interface ExportColumn<R> {
  header: string;
  width?: number;
  value: (row: R) => string | number | boolean | Date | null | undefined;
}

/** Text a spreadsheet would run as a formula is written as plain text (CSV/formula injection). */
export function safeCell(
  value: string | number | boolean | Date | null | undefined,
): string | number | boolean | Date | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(value)) return `'${value}`;
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
