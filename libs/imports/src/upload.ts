import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
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
  Malformed = 'UPLOAD_MALFORMED',
}

/** The upload cap the service's bootstrap gave the request, else the default. */
export function uploadLimit(req: IncomingMessage, fallback = 512 * 1024 * 1024): number {
  return (req as { uploadMaxBytes?: number }).uploadMaxBytes ?? fallback;
}

/**
 * A request body that fails once it has carried more than `maxBytes`. It reads the request
 * only as it is read itself, so the failure reaches whoever reads it, whenever they start;
 * and it hands the failure to what it is piped into (pipe() alone would leave that waiting).
 */
class CappedBody extends Readable {
  private seen = 0;
  private failed = false;

  constructor(
    private readonly source: Readable,
    maxBytes: number,
  ) {
    super();
    source.on('data', (chunk: Buffer) => {
      // Past the cap the rest of the request is read and dropped, so that its connection
      // stays usable for the answer and the next request.
      if (this.failed) return;
      this.seen += chunk.length;
      if (this.seen > maxBytes) {
        this.failed = true;
        this.destroy(new DomainError(UploadErrorCode.TooLarge, `the file is larger than ${maxBytes} bytes`));
        return;
      }
      if (!this.push(chunk)) source.pause();
    });
    source.on('end', () => {
      if (!this.failed) this.push(null);
    });
    source.on('error', (e) => this.destroy(e));
    // Nothing flows until this stream is read.
    source.pause();
  }

  override _read() {
    this.source.resume();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void) {
    // Whoever stops reading (the cap, a reader giving up on a bad file), the rest of the
    // request is read and dropped rather than left paused on its connection.
    this.failed = true;
    this.source.resume();
    callback(error);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    this.once('error', (e) => (destination as unknown as { destroy?(e: Error): void }).destroy?.(e));
    return super.pipe(destination, options);
  }
}

/** A body stream that fails once it has carried more than `maxBytes`. */
export function capBytes(stream: Readable, maxBytes: number): Readable {
  return new CappedBody(stream, maxBytes);
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
 * raw body (`text/csv` or the XLSX content type); either fails beyond `maxBytes`.
 */
export function readUpload(req: IncomingMessage, maxBytes = uploadLimit(req)): Promise<Upload> {
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
    return Promise.resolve({ stream: capBytes(req, maxBytes), filename: null, format });
  }
  return new Promise((resolve, reject) => {
    // Browsers send a file name as raw UTF-8 (not RFC 5987); busboy reads it as Latin-1 unless told.
    const bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      limits: { files: 1, fileSize: maxBytes },
    });
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
    // busboy's complaints (a broken boundary, a truncated part) are the client's fault: 400.
    bb.on('error', (e) =>
      reject(
        new DomainError(
          UploadErrorCode.Malformed,
          `malformed multipart upload: ${e instanceof Error ? e.message : 'unreadable'}`,
        ),
      ),
    );
    req.pipe(bb);
  });
}
