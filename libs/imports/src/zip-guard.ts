import { Transform, type TransformCallback } from 'node:stream';
import { createInflateRaw, type InflateRaw } from 'node:zlib';
import { DomainError } from '@edu/contracts';

export enum ZipGuardErrorCode {
  Bomb = 'IMPORT_XLSX_TOO_EXPANSIVE',
  Unsupported = 'IMPORT_XLSX_UNSUPPORTED',
}

export interface ZipLimits {
  /** All entries together, uncompressed. */
  maxTotalBytes: number;
  /** Uncompressed bytes per compressed byte of one entry (a sheet of real data is 5-50). */
  maxRatio: number;
  /** An entry may reach this size before its ratio is judged. */
  ratioFloorBytes: number;
  maxEntries: number;
}

/** An XLSX of a million registry rows unpacks to well under 1 GiB. */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxTotalBytes: 2 * 1024 ** 3,
  maxRatio: 200,
  ratioFloorBytes: 4 * 1024 * 1024,
  maxEntries: 10_000,
};

const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

type State =
  | { kind: 'header' }
  | { kind: 'data'; left: number } // sizes known from the local header
  | { kind: 'scan'; seen: number } // sizes follow the data (flag bit 3): look for the descriptor
  | { kind: 'done' }; // the central directory: nothing more to inflate

/**
 * Sits in front of the XLSX reader and reads the ZIP container as it streams by: each entry's
 * compressed bytes are inflated once more, only to be counted, before they pass on. A file
 * whose entries unpack beyond the limits (a zip bomb), that is encrypted or uses another
 * compression is cut off there: the reader sees the file end, and `failure` says why (the
 * reader must check it, since a truncated ZIP may look merely short to it).
 */
export class ZipGuard extends Transform {
  failure: Error | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private state: State = { kind: 'header' };
  private inflater: InflateRaw | null = null;
  private entryOut = 0;
  private entryIn = 0;
  private totalOut = 0;
  private entries = 0;
  private entryName = '';

  constructor(private readonly limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
    // Once refused, the rest of the upload is read and dropped.
    if (this.failure) return done();
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.drain()
      .then(() => {
        this.push(chunk);
        done();
      })
      .catch((e: unknown) => {
        this.abort(
          e instanceof DomainError ? e : new DomainError(ZipGuardErrorCode.Bomb, 'the XLSX file is corrupt'),
        );
        done();
      });
  }

  /** The upload failed (too large, cut off): the reader sees the file end, `failure` says why. */
  abort(e: Error) {
    if (this.failure) return;
    this.failure = e;
    this.buffer = Buffer.alloc(0);
    this.inflater?.destroy();
    this.inflater = null;
    this.push(null);
  }

  override _flush(done: TransformCallback) {
    this.inflater?.destroy();
    done();
  }

  private fail(message: string): never {
    throw new DomainError(ZipGuardErrorCode.Bomb, `the XLSX file was refused: ${message}`);
  }

  /** Parses as far as the buffered bytes allow. */
  private async drain(): Promise<void> {
    for (;;) {
      const s = this.state;
      if (s.kind === 'done') {
        this.buffer = Buffer.alloc(0);
        return;
      }
      if (s.kind === 'header') {
        if (this.buffer.length < 4) return;
        const sig = this.buffer.readUInt32LE(0);
        if (sig === CENTRAL || sig === END) {
          this.state = { kind: 'done' };
          continue;
        }
        if (sig !== LOCAL) this.fail('it is not a ZIP container');
        if (this.buffer.length < 30) return;
        const flags = this.buffer.readUInt16LE(6);
        const method = this.buffer.readUInt16LE(8);
        const compressed = this.buffer.readUInt32LE(18);
        const size = this.buffer.readUInt32LE(22);
        const header = 30 + this.buffer.readUInt16LE(26) + this.buffer.readUInt16LE(28);
        if (this.buffer.length < header) return;
        this.entryName = this.buffer.subarray(30, 30 + this.buffer.readUInt16LE(26)).toString('utf8');
        if (++this.entries > this.limits.maxEntries) this.fail(`more than ${this.limits.maxEntries} entries`);
        if (flags & 1) {
          throw new DomainError(
            ZipGuardErrorCode.Unsupported,
            'the XLSX file is encrypted; save it without a password',
          );
        }
        if (method !== 0 && method !== 8) {
          throw new DomainError(
            ZipGuardErrorCode.Unsupported,
            `the XLSX file uses compression method ${method}`,
          );
        }
        const sizesFollow = (flags & 8) !== 0 || compressed === 0xffffffff;
        if (!sizesFollow) this.checkDeclared(size, compressed);
        this.buffer = this.buffer.subarray(header);
        this.entryIn = 0;
        this.entryOut = 0;
        this.inflater = method === 8 ? this.counter() : null;
        this.state = sizesFollow ? { kind: 'scan', seen: 0 } : { kind: 'data', left: compressed };
        continue;
      }
      if (s.kind === 'data') {
        if (this.buffer.length === 0 && s.left > 0) return;
        const take = Math.min(s.left, this.buffer.length);
        await this.consume(this.buffer.subarray(0, take));
        this.buffer = this.buffer.subarray(take);
        s.left -= take;
        if (s.left > 0) return;
        await this.endEntry();
        this.state = { kind: 'header' };
        continue;
      }
      // Sizes follow the data: the entry ends at a descriptor whose compressed size matches.
      const at = this.descriptorAt(s.seen);
      if (at < 0) {
        // Keep the last 15 bytes: a descriptor may straddle two chunks.
        const keep = Math.max(0, this.buffer.length - 15);
        await this.consume(this.buffer.subarray(0, keep));
        s.seen += keep;
        this.buffer = this.buffer.subarray(keep);
        return;
      }
      await this.consume(this.buffer.subarray(0, at));
      this.buffer = this.buffer.subarray(at + 16);
      await this.endEntry();
      this.state = { kind: 'header' };
    }
  }

  /** Offset in the buffer of the data descriptor ending this entry, or -1. */
  private descriptorAt(seen: number): number {
    for (
      let i = this.buffer.indexOf(0x50);
      i >= 0 && i + 16 <= this.buffer.length;
      i = this.buffer.indexOf(0x50, i + 1)
    ) {
      if (this.buffer.readUInt32LE(i) === DESCRIPTOR && this.buffer.readUInt32LE(i + 8) === seen + i)
        return i;
    }
    return -1;
  }

  private checkDeclared(size: number, compressed: number) {
    if (this.totalOut + size > this.limits.maxTotalBytes)
      this.fail(`its entries unpack to more than ${this.limits.maxTotalBytes} bytes`);
    if (size > this.limits.ratioFloorBytes && size > compressed * this.limits.maxRatio)
      this.fail(`${this.entryNameOr()} unpacks ${Math.round(size / Math.max(1, compressed))} times its size`);
  }

  private entryNameOr() {
    return this.entryName ? `entry ${this.entryName.slice(0, 60)}` : 'an entry';
  }

  private counter(): InflateRaw {
    const inflater = createInflateRaw();
    inflater.on('data', (out: Buffer) => {
      this.entryOut += out.length;
      this.totalOut += out.length;
    });
    inflater.on('error', () => undefined);
    return inflater;
  }

  /** Inflates (to count) the compressed bytes of the current entry, then checks the limits. */
  private async consume(data: Buffer) {
    if (data.length === 0) return;
    this.entryIn += data.length;
    const inflater = this.inflater;
    if (!inflater) {
      this.entryOut += data.length;
      this.totalOut += data.length;
    } else {
      await new Promise<void>((resolve, reject) => {
        inflater.write(data, (e) =>
          e ? reject(new DomainError(ZipGuardErrorCode.Bomb, 'the XLSX file is corrupt')) : resolve(),
        );
      });
      // Let the inflater hand over what it produced for this input.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.checkCounts();
  }

  private checkCounts() {
    if (this.totalOut > this.limits.maxTotalBytes)
      this.fail(`its entries unpack to more than ${this.limits.maxTotalBytes} bytes`);
    if (this.entryOut > this.limits.ratioFloorBytes && this.entryOut > this.entryIn * this.limits.maxRatio)
      this.fail(`${this.entryNameOr()} unpacks more than ${this.limits.maxRatio} times its size`);
  }

  private async endEntry() {
    const inflater = this.inflater;
    this.inflater = null;
    if (inflater) {
      await new Promise<void>((resolve) => {
        inflater.once('end', resolve);
        inflater.once('error', () => resolve());
        inflater.end();
        inflater.resume();
      });
      this.checkCounts();
    }
  }
}

/** The stream with a ZipGuard in front (check its `failure` once the reader is done). */
export function guardXlsx(stream: NodeJS.ReadableStream, limits?: ZipLimits): ZipGuard {
  const guard = new ZipGuard(limits);
  // Pumped by hand rather than piped: a failing upload (too large, cut off) must end what the
  // reader sees, not destroy it under the reader, and `failure` keeps why for it to throw.
  stream.on('error', (e: Error) => guard.abort(e));
  stream.on('data', (chunk: Buffer) => {
    if (!guard.write(chunk)) stream.pause();
  });
  guard.on('drain', () => stream.resume());
  stream.on('end', () => guard.end());
  return guard;
}
