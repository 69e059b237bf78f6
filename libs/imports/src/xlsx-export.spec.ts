import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import ExcelJS from 'exceljs';
import { safeCell, writeXlsx } from './xlsx-export.js';

describe('XLSX export and formula injection', () => {
  it.each([
    '=HYPERLINK("http://evil.example","点击")',
    '+1+cmd|" /C calc"!A0',
    '-2+3',
    '@SUM(A1:A2)',
    '\t=1',
    '\r=1',
    '\n=1',
    '＝1+1',
    '＋1',
    '－1',
    '＠A1',
  ])('writes %j as text, prefixed with an apostrophe', (text) => {
    expect(safeCell(text)).toBe(`'${text}`);
  });

  it('leaves other text, numbers, dates and empties as they are', () => {
    expect(safeCell('五原县 = 150821')).toBe('五原县 = 150821');
    expect(safeCell(-5)).toBe(-5);
    expect(safeCell(null)).toBeNull();
    expect(safeCell(undefined)).toBeNull();
    const d = new Date('2020-06-30T00:00:00Z');
    expect(safeCell(d)).toBe(d);
  });

  it('writes no formula cell, whatever the rows hold', async () => {
    const out = new PassThrough();
    const written = buffer(out);
    await writeXlsx(out, 'rows', [{ header: 'name', value: (r: string) => r }], ['=1+1', '张三', '@x']);
    out.end();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await written) as unknown as ArrayBuffer);
    const cells: unknown[] = [];
    wb.getWorksheet('rows')!.eachRow((row) => row.eachCell((c) => cells.push(c.value)));
    expect(cells).toEqual(['name', "'=1+1", '张三', "'@x"]);
    expect(cells.some((c) => typeof c === 'object' && c !== null && 'formula' in c)).toBe(false);
  });
});
