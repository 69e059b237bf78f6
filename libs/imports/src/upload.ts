import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { DomainError } from '@edu/contracts';

export type TabularFormat = 'csv' | 'xlsx';

export interface Upload {
  stream: Readable;
  filename: string | null;
  format: TabularFormat;
}

export enum UploadErrorCode {
  Unsupported = 'UPLOAD_UNSUPPORTED',
  MissingFile = 'UPLOAD_MISSING_FILE',
  TooLarge = 'UPLOAD_TOO_LARGE',
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function formatOf(contentType: string | undefined, filename: string | null): TabularFormat | null {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === XLSX_TYPE || filename?.toLowerCase().endsWith('.xlsx')) return 'xlsx';
  if (
    ['text/csv', 'text/plain', 'application/csv'].includes(type) ||
    filename?.toLowerCase().endsWith('.csv')
  ) {
    return 'csv';
  }
  return null;
}

/**
 * The uploaded file as a stream, never buffered whole: the multipart field `file`, or the
 * raw body (`text/csv` or the XLSX content type).
 */
export function readUpload(req: IncomingMessage, maxBytes = 512 * 1024 * 1024): Promise<Upload> {
  const contentType = req.headers['content-type'];
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    const format = formatOf(contentType, null);
    if (!format) {
      return Promise.reject(
        new DomainError(
          UploadErrorCode.Unsupported,
          `send CSV (text/csv), XLSX (${XLSX_TYPE}) or multipart field "file"`,
        ),
      );
    }
    return Promise.resolve({ stream: req, filename: null, format });
  }
  return new Promise((resolve, reject) => {
    const bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes } });
    let found = false;
    bb.on('file', (field, stream, info) => {
      if (field !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      const format = formatOf(info.mimeType, info.filename ?? null);
      if (!format) {
        stream.resume();
        reject(new DomainError(UploadErrorCode.Unsupported, 'the file must be .csv or .xlsx'));
        return;
      }
      stream.on('limit', () =>
        stream.destroy(
          new DomainError(UploadErrorCode.TooLarge, `the file is larger than ${maxBytes} bytes`),
        ),
      );
      resolve({ stream, filename: info.filename ?? null, format });
    });
    bb.on('close', () => {
      if (!found)
        reject(new DomainError(UploadErrorCode.MissingFile, 'multipart upload without a "file" field'));
    });
    bb.on('error', (e) => reject(e instanceof Error ? e : new Error('malformed multipart upload')));
    req.pipe(bb);
  });
}
