import { crc32, deflateRawSync } from 'node:zlib';

/**
 * An XLSX-shaped zip bomb: one worksheet entry of `megabytes` MB of repeated rows, deflated
 * to a few dozen kB, its sizes after the data as streaming writers put them.
 */
export function xlsxBomb(megabytes = 40): Buffer {
  const head =
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const data = Buffer.concat([
    Buffer.from(head),
    Buffer.alloc(megabytes * 1024 * 1024, '<row r="2"><c t="inlineStr"><is><t>x</t></is></c></row>'),
  ]);
  const packed = deflateRawSync(data);
  const name = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(name.length, 26);
  const descriptor = Buffer.alloc(16);
  descriptor.writeUInt32LE(0x08074b50, 0);
  descriptor.writeUInt32LE(crc32(data), 4);
  descriptor.writeUInt32LE(packed.length, 8);
  descriptor.writeUInt32LE(data.length, 12);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([local, name, packed, descriptor, end]);
}
