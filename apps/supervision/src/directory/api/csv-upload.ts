import { UnsupportedMediaTypeException } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { capBytes, uploadLimit } from '@edu/imports';

/** As large as the largest multipart upload supervision takes (the rectification ledger's). */
const RAW_CSV_LIMIT = 20 * 1024 * 1024;

/** The CSV of an upload: the multipart field `file`, or a `text/csv` body streamed as it arrives. */
export function csvSource(req: Request, file?: { buffer: Buffer }): Readable {
  if (file) return Readable.from(file.buffer);
  if (req.is('text/csv') || req.is('text/plain'))
    return capBytes(req, Math.min(uploadLimit(req), RAW_CSV_LIMIT));
  throw new UnsupportedMediaTypeException('send the CSV as a text/csv body or as the multipart field "file"');
}
