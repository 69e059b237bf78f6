import ExcelJS from 'exceljs';
import { Readable } from 'node:stream';
import { readRows, type RowReaderOptions, type SourceRow } from './row-reader.js';
import type { TabularFormat } from './upload.js';

async function rows(
  file: string | Buffer,
  format: TabularFormat,
  required: readonly string[],
  options?: RowReaderOptions,
): Promise<SourceRow[]> {
  const out: SourceRow[] = [];
  for await (const r of readRows(Readable.from([Buffer.from(file)]), format, required, options)) out.push(r);
  return out;
}

async function xlsx(lines: ExcelJS.CellValue[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('s');
  for (const l of lines) sheet.addRow(l);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const CODES = { missingColumns: 'MINE_MISSING', malformed: 'MINE_MALFORMED' };

describe('readRows', () => {
  describe('by default (what the registry imports get)', () => {
    it('keys records by the header trimmed and in lower case, and drops fields beyond it', async () => {
      await expect(rows('\ufeff ID_Number ,Name\n1, a ,x\n2\n', 'csv', ['id_number'])).resolves.toEqual([
        { line: 2, record: { id_number: '1', name: 'a' } },
        { line: 3, record: { id_number: '2', name: '' } },
      ]);
    });

    it('refuses with its own codes', async () => {
      await expect(rows('name\n', 'csv', ['id_number'])).rejects.toMatchObject({
        code: 'IMPORT_MISSING_COLUMNS',
        message: 'line 1: missing columns id_number',
      });
      await expect(rows('a\n"x\n', 'csv', [])).rejects.toMatchObject({
        code: 'IMPORT_MALFORMED_FILE',
        message: 'line 2: a quoted field is not closed',
      });
    });
  });

  describe("with a caller's options", () => {
    const options: RowReaderOptions = {
      header: (h) => (h === '姓名' ? 'name' : h.toUpperCase()),
      codes: CODES,
      refuseExtraFields: true,
    };

    it('maps the header (given trimmed) its own way, in CSV and XLSX alike', async () => {
      await expect(rows(' 姓名 ,id\n王,1\n', 'csv', ['name', 'ID'], options)).resolves.toEqual([
        { line: 2, record: { name: '王', ID: '1' } },
      ]);
      const book = await xlsx([
        [' 姓名 ', 'id'],
        ['王', 1],
      ]);
      await expect(rows(book, 'xlsx', ['name', 'ID'], options)).resolves.toEqual([
        { line: 2, record: { name: '王', ID: '1' } },
      ]);
    });

    it('refuses a missing column and a malformed file with its codes', async () => {
      await expect(rows('id\n1\n', 'csv', ['name'], options)).rejects.toMatchObject({
        code: 'MINE_MISSING',
        message: 'line 1: missing columns name',
      });
      await expect(rows('姓名\nx"y\n', 'csv', [], options)).rejects.toMatchObject({
        code: 'MINE_MALFORMED',
        message: 'line 2: a quote inside an unquoted field (field 1)',
      });
      await expect(
        rows(Buffer.from('PK\x03\x04 and nothing else'), 'xlsx', [], options),
      ).rejects.toMatchObject({
        code: 'MINE_MALFORMED',
      });
      await expect(rows(await xlsx([]), 'xlsx', [], options)).rejects.toMatchObject({
        code: 'MINE_MALFORMED',
        message: 'the first worksheet is empty',
      });
    });

    it('refuses a CSV row with a value beyond the header, naming its line and field; empty ones pass', async () => {
      const text = 'a,b\n1,2,\n"x\ny",2,,\n3,4,5\n';
      await expect(rows(text, 'csv', [], options)).rejects.toMatchObject({
        code: 'MINE_MALFORMED',
        message: expect.stringMatching(/^line 5: field 3 has a value but the header has 2 columns/),
      });
      await expect(rows(text.slice(0, text.lastIndexOf('3,4,5')), 'csv', [], options)).resolves.toEqual([
        { line: 2, record: { A: '1', B: '2' } },
        { line: 4, record: { A: 'x\ny', B: '2' } },
      ]);
    });
  });
});
