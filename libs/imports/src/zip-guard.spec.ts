import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { DomainError } from '@edu/contracts';
import { readRows } from './row-reader.js';
import { DEFAULT_ZIP_LIMITS, guardXlsx } from './zip-guard.js';

interface Entry {
  name: string;
  data: Buffer;
  /** Sizes after the data (flag bit 3), as streaming writers do. */
  descriptor?: boolean;
  /** Claim this uncompressed size in the header instead of the true one. */
  claimedSize?: number;
  flags?: number;
}

/** A ZIP container written by hand, deflated entries, local headers and a central directory. */
function zip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const packed = deflateRawSync(e.data);
    const name = Buffer.from(e.name);
    const crc = crc32(e.data);
    const flags = (e.descriptor ? 8 : 0) | (e.flags ?? 0);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.descriptor ? 0 : crc, 14);
    local.writeUInt32LE(e.descriptor ? 0 : packed.length, 18);
    local.writeUInt32LE(e.descriptor ? 0 : (e.claimedSize ?? e.data.length), 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, packed);
    let length = 30 + name.length + packed.length;
    if (e.descriptor) {
      const d = Buffer.alloc(16);
      d.writeUInt32LE(0x08074b50, 0);
      d.writeUInt32LE(crc, 4);
      d.writeUInt32LE(packed.length, 8);
      d.writeUInt32LE(e.data.length, 12);
      parts.push(d);
      length += 16;
    }
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(flags, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc, 16);
    c.writeUInt32LE(packed.length, 20);
    c.writeUInt32LE(e.data.length, 24);
    c.writeUInt16LE(name.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, name);
    offset += length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, dir, end]);
}

/** In chunks of 64 KiB, as an upload arrives. */
const chunked = (b: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < b.length; i += 65536) yield b.subarray(i, i + 65536);
    })(),
  );

async function through(b: Buffer, limits = DEFAULT_ZIP_LIMITS) {
  const guard = guardXlsx(chunked(b), limits);
  const out = await buffer(guard);
  return { out, failure: guard.failure };
}

const SHEET_HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';

async function registryXlsx(rows: number, streaming: boolean): Promise<Buffer> {
  const header = ['id_number', 'name', 'county_code', 'school_code', 'grade'];
  const row = (i: number) => [
    `15082120100101${String(i % 1000).padStart(3, '0')}X`,
    `学生${i}`,
    '150821',
    `WY-${i % 40}`,
    String(1 + (i % 9)),
  ];
  if (streaming) {
    const chunks: Buffer[] = [];
    const sink = new (await import('node:stream')).PassThrough();
    sink.on('data', (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: sink,
      useSharedStrings: false,
      useStyles: false,
    });
    const sheet = wb.addWorksheet('s');
    sheet.addRow(header).commit();
    for (let i = 0; i < rows; i++) sheet.addRow(row(i)).commit();
    sheet.commit();
    await wb.commit();
    return Buffer.concat(chunks);
  }
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('s');
  sheet.addRow(header);
  for (let i = 0; i < rows; i++) sheet.addRow(row(i));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('ZipGuard in front of the XLSX reader', () => {
  it.each([
    ['streamed (sizes after the data)', true],
    ['written whole (sizes in the headers)', false],
  ])('passes a real workbook %s through byte for byte', async (_, streaming) => {
    const file = await registryXlsx(5000, streaming);
    const { out, failure } = await through(file);
    expect(failure).toBeNull();
    expect(out.equals(file)).toBe(true);
    let n = 0;
    for await (const r of readRows(chunked(file), 'xlsx', ['id_number', 'name'])) {
      n++;
      expect(r.record.county_code).toBe('150821');
    }
    expect(n).toBe(5000);
  });

  it.each([
    ['that declares its size', false],
    ['whose sizes follow the data', true],
  ])('cuts off a zip bomb %s', async (_, descriptor) => {
    // 40 MB of one repeated cell unpacked from a few dozen kB.
    const bomb = Buffer.alloc(40 * 1024 * 1024, '<row><c t="inlineStr"><is><t>x</t></is></c></row>');
    const file = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.concat([Buffer.from(SHEET_HEAD), bomb]), descriptor },
    ]);
    expect(file.length).toBeLessThan(1024 * 1024);
    const { out, failure } = await through(file);
    expect(failure).toBeInstanceOf(DomainError);
    expect((failure as DomainError).code).toBe('IMPORT_XLSX_TOO_EXPANSIVE');
    expect(failure?.message).toMatch(/xl\/worksheets\/sheet1\.xml unpacks .*times its size/);
    expect(out.length).toBeLessThan(file.length);
  });

  it('cuts off a file that lies about its size and one whose entries together unpack too far', async () => {
    const data = Buffer.alloc(6 * 1024 * 1024, 'ab');
    const liar = zip([{ name: 'xl/worksheets/sheet1.xml', data, claimedSize: 10 }]);
    const limits = { ...DEFAULT_ZIP_LIMITS, maxRatio: 100 };
    expect((await through(liar, limits)).failure?.message).toMatch(/unpacks more than 100 times/);
    const many = zip(
      Array.from({ length: 5 }, (_, i) => ({
        name: `xl/media/m${i}.bin`,
        data: Buffer.alloc(1024 * 1024, i),
      })),
    );
    const total = { ...DEFAULT_ZIP_LIMITS, maxTotalBytes: 3 * 1024 * 1024 };
    expect((await through(many, total)).failure?.message).toMatch(/unpack to more than 3145728 bytes/);
  });

  it('refuses encrypted entries and what is no ZIP', async () => {
    const encrypted = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<x/>'), flags: 1 }]);
    expect(((await through(encrypted)).failure as DomainError).code).toBe('IMPORT_XLSX_UNSUPPORTED');
    expect((await through(Buffer.from('id_number,name\n1,2\n'))).failure?.message).toMatch(/not a ZIP/);
  });

  it('makes the row reader fail with the reason, not hang or read on', async () => {
    const bomb = zip([
      {
        name: 'xl/worksheets/sheet1.xml',
        data: Buffer.concat([Buffer.from(SHEET_HEAD), Buffer.alloc(40 * 1024 * 1024, '<row r="1"></row>')]),
        descriptor: true,
      },
    ]);
    const rows = async () => {
      for await (const _ of readRows(chunked(bomb), 'xlsx', ['id_number'])) void _;
    };
    await expect(rows()).rejects.toMatchObject({ code: 'IMPORT_XLSX_TOO_EXPANSIVE' });
  });
});
