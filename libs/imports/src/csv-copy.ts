import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { DomainError } from '@edu/contracts';
import { copyTextLine } from './copy-text.js';
import { CsvRecordSplitter, CsvSyntaxError } from './csv-records.js';
import type {
  CopyTextWriter,
  CsvLineBytes,
  ImportContext,
  ImportKind,
  RowEncoder,
  RowProblem,
} from './import-kind.js';
import { checkHeader, RowReaderErrorCode } from './row-reader.js';

const LF = 10;
const CR = 13;
const TAB = 9;
const QUOTE = 34;
const COMMA = 44;
const OUT_SIZE = 128 * 1024;
/** Bytes without a line end past which the first line is no longer waited for (the text path takes the file). */
const MAX_FIRST_LINE = 1 << 20;

/**
 * COPY text (FORMAT text) written into buffers: what the runner sends to COPY. Each row is
 * begun, then written, and may be dropped until the next one begins; a row never straddles
 * two buffers.
 */
export class CopyTextBuffer implements CopyTextWriter {
  private buf = Buffer.allocUnsafe(OUT_SIZE);
  private pos = 0;
  private rowStart = 0;
  private readonly done: Buffer[] = [];
  private doneLength = 0;

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.doneLength + this.pos;
  }

  begin(): void {
    this.rowStart = this.pos;
  }

  /** Drops what was written since `begin`. */
  drop(): void {
    this.pos = this.rowStart;
  }

  /** Room for `n` more bytes: the buffer so far is set aside, the row begun carried over. */
  private room(n: number): void {
    const row = this.pos - this.rowStart;
    const next = Buffer.allocUnsafe(Math.max(OUT_SIZE, 2 * (row + n)));
    this.buf.copy(next, 0, this.rowStart, this.pos);
    if (this.rowStart > 0) {
      this.done.push(this.buf.subarray(0, this.rowStart));
      this.doneLength += this.rowStart;
    }
    this.buf = next;
    this.rowStart = 0;
    this.pos = row;
  }

  tab(): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = TAB;
  }

  newline(): void {
    if (this.pos >= this.buf.length) this.room(1);
    this.buf[this.pos++] = LF;
  }

  bytes(src: Uint8Array, from: number, to: number): void {
    if (this.pos + to - from > this.buf.length) this.room(to - from);
    const b = this.buf;
    let p = this.pos;
    for (let i = from; i < to; i++) b[p++] = src[i];
    this.pos = p;
  }

  fields(src: Uint8Array, from: number, to: number): void {
    if (this.pos + 1 + to - from > this.buf.length) this.room(1 + to - from);
    const b = this.buf;
    let p = this.pos;
    b[p++] = TAB;
    for (let i = from; i < to; i++) {
      const c = src[i];
      b[p++] = c === COMMA ? TAB : c;
    }
    this.pos = p;
  }

  ascii(text: string): void {
    if (this.pos + text.length > this.buf.length) this.room(text.length);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** A line number: a whole number from 0, in decimal. */
  uint(n: number): void {
    if (this.pos + 16 > this.buf.length) this.room(16);
    const b = this.buf;
    let digits = 1;
    for (let v = n; v >= 10; v = Math.floor(v / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    let v = n;
    do {
      b[--p] = 48 + (v % 10);
      v = Math.floor(v / 10);
    } while (v > 0);
  }

  /** Any text, as UTF-8 (a line `copyTextLine` wrote). */
  text(text: string): void {
    const n = Buffer.byteLength(text);
    if (this.pos + n > this.buf.length) this.room(n);
    this.pos += this.buf.write(text, this.pos);
  }

  /** The rows written so far (call it between rows), and starts afresh. */
  take(): Buffer[] {
    if (this.pos > 0) {
      this.done.push(this.buf.subarray(0, this.pos));
      this.buf = Buffer.allocUnsafe(OUT_SIZE);
      this.pos = 0;
      this.rowStart = 0;
    }
    this.doneLength = 0;
    return this.done.splice(0);
  }
}

/** Whether a field may start with whitespace `trim` removes: ASCII blanks, or a lead byte of a Unicode space. */
function blankFirst(c: number): boolean {
  return (
    c === 32 || (c >= TAB && c <= CR) || c === 0xc2 || c === 0xe1 || c === 0xe2 || c === 0xe3 || c === 0xef
  );
}

/** Whether the field `from`-`to` (not empty) may end with whitespace `trim` removes. */
function blankLast(b: Uint8Array, from: number, to: number): boolean {
  const c = b[to - 1];
  if (c < 0x80) return c === 32 || (c >= TAB && c <= CR);
  // The Unicode spaces are two bytes from C2 or three from E1, E2, E3 or EF.
  if (to - from >= 2 && b[to - 2] === 0xc2) return true;
  if (to - from < 3) return false;
  const lead = b[to - 3];
  return lead === 0xe1 || lead === 0xe2 || lead === 0xe3 || lead === 0xef;
}

function countLineEnds(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (b[i] === LF) n++;
  return n;
}

/**
 * Where the record starting at `from` ends (just after its line end): the first line end
 * with an even number of quotes before it in the record, which is where the text parser
 * ends a record holding quotes. -1 when the bytes end before it.
 */
function quotedRecordEnd(b: Uint8Array, from: number, to: number): number {
  let inside = false;
  for (let i = from; i < to; i++) {
    const c = b[i];
    if (c === QUOTE) inside = !inside;
    else if (c === LF && !inside) return i + 1;
  }
  return -1;
}

/**
 * Reads a CSV upload for the import runner and writes the COPY text of its good rows into a
 * `CopyTextBuffer`, counting rows read, loaded and rejected and collecting the problems.
 *
 * When the kind has an `encoder`, it works on the file's bytes: a line with no quote, no
 * field to trim, as many fields as the header and valid UTF-8 goes to the encoder, which
 * checks it in place and writes its COPY text directly. Every other line, and every line
 * the encoder turns down, is decoded and split by `CsvRecordSplitter` and goes through
 * `parse` and `toRow` exactly as `readRowBatches` would give it; so does the whole file when
 * its lines end with a lone `\r`, or when the kind has no encoder. Same records, same line
 * numbers, same problems, same errors as the row reader.
 */
export class CsvCopyReader<T> {
  read = 0;
  loaded = 0;
  rejected = 0;
  private names: string[] | null = null;
  private encoder: RowEncoder | null = null;
  private line = 1;
  private tail: Buffer | null = null;
  /** Still looking for the first line end (to tell `\n` from `\r` files). */
  private starting = true;
  /** Set when the whole file goes through the text path. */
  private decoder: StringDecoder | null = null;
  private splitter: CsvRecordSplitter | null = null;
  private starts = new Int32Array(0);
  private ends = new Int32Array(0);
  private row: CsvLineBytes = { bytes: new Uint8Array(0), starts: this.starts, ends: this.ends };

  constructor(
    private readonly kind: ImportKind<T>,
    private readonly ctx: ImportContext,
    private readonly out: CopyTextBuffer,
    private readonly problems: RowProblem[],
  ) {}

  /** A record of the text path: the header, or a row through `parse` and `toRow`. */
  private readonly sink = (fields: string[], line: number): void => {
    const names = this.names;
    if (names === null) {
      this.names = checkHeader(fields, this.kind.columns);
      this.encoder = this.kind.encoder?.(this.names, this.ctx) ?? null;
      this.starts = new Int32Array(this.names.length);
      this.ends = new Int32Array(this.names.length);
      return;
    }
    this.read++;
    // Every column of the header, missing trailing fields as empty text; extra fields dropped.
    const record: Record<string, string> = {};
    for (let i = 0; i < names.length; i++) record[names[i]] = i < fields.length ? fields[i] : '';
    const parsed = this.kind.parse(record, line, this.ctx);
    if (Array.isArray(parsed)) {
      this.rejected++;
      for (const p of parsed) this.problems.push(p);
    } else {
      this.loaded++;
      this.out.begin();
      this.out.text(copyTextLine(line, this.kind.toRow(parsed)));
    }
  };

  push(chunk: Buffer): void {
    try {
      if (this.decoder !== null && this.splitter !== null) {
        this.splitter.push(this.decoder.write(chunk), this.sink);
        return;
      }
      const tail = this.tail;
      this.tail = null;
      if (tail !== null && !this.starting) {
        // The line begun in the last chunk ends in this one: joined alone, not with the whole chunk.
        const lf = chunk.indexOf(LF);
        if (lf < 0) {
          this.tail = Buffer.concat([tail, chunk]);
          return;
        }
        this.lines(Buffer.concat([tail, chunk.subarray(0, lf + 1)]), 0, false);
        const rest = this.tail as Buffer | null; // a quoted record that goes on
        this.tail = null;
        if (this.decoder !== null && this.splitter !== null) {
          // Not UTF-8: the text path took over.
          this.splitter.push(this.decoder.write(chunk.subarray(lf + 1)), this.sink);
        } else if (rest === null) this.lines(chunk, lf + 1, false);
        else this.lines(Buffer.concat([rest, chunk.subarray(lf + 1)]), 0, false);
        return;
      }
      const buf = tail ? Buffer.concat([tail, chunk]) : chunk;
      const from = this.starting ? this.start(buf, false) : 0;
      if (from >= 0) this.lines(buf, from, false);
    } catch (e) {
      throw malformed(e);
    }
  }

  /** The end of the file. */
  end(): void {
    try {
      if (this.decoder !== null && this.splitter !== null) {
        this.splitter.push(this.decoder.end(), this.sink);
        this.splitter.end(this.sink);
        return;
      }
      const buf = this.tail ?? Buffer.alloc(0);
      this.tail = null;
      const from = this.starting ? this.start(buf, true) : 0;
      if (from >= 0) this.lines(buf, from, true);
    } catch (e) {
      throw malformed(e);
    }
  }

  /**
   * The first bytes: once the first line end is in, whether lines end with `\n` (or `\r\n`)
   * as the byte path needs, decided as `CsvRecordSplitter` decides; otherwise, and for a
   * kind without encoder, the whole file goes through the text path. Where the byte path
   * starts (after a byte order mark), or -1.
   */
  private start(buf: Buffer, final: boolean): number {
    const lf = buf.indexOf(LF);
    const cr = buf.indexOf(CR);
    const loneCr = cr >= 0 && (lf < 0 || cr < lf - 1) && !(lf < 0 && cr === buf.length - 1 && !final);
    if (lf < 0 && !loneCr && !final && buf.length < MAX_FIRST_LINE) {
      this.tail = buf;
      return -1;
    }
    this.starting = false;
    if (lf < 0 || loneCr || !this.kind.encoder) {
      this.textPath(buf, final, null);
      return -1;
    }
    return buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  }

  /** The lines of `buf` from `from`; keeps an incomplete last one for the next chunk unless `final`. */
  private lines(buf: Buffer, from: number, final: boolean): void {
    const length = buf.length;
    const lastEnd = buf.lastIndexOf(LF);
    const upTo = final ? length : lastEnd + 1;
    if (upTo > from && !isUtf8(buf.subarray(from, upTo))) {
      // Not UTF-8: the rest of the file goes through the text path, whose decoder replaces
      // what is not (it starts clean here, after a line end, as the row reader's would be).
      this.textPath(buf.subarray(from), final, this.line);
      return;
    }
    let pos = from;
    // The next quote, looked for once whichever line it is on (length: none).
    let quote = buf.indexOf(QUOTE, pos);
    if (quote < 0) quote = length;
    while (pos < upTo) {
      let nl = buf.indexOf(LF, pos);
      if (nl < 0) nl = length;
      if (quote < pos) {
        quote = buf.indexOf(QUOTE, pos);
        if (quote < 0) quote = length;
      }
      if (this.encoder !== null && nl < length && quote > nl && this.fast(buf, pos, nl)) {
        this.line++;
        pos = nl + 1;
        continue;
      }
      let end = nl < length ? nl + 1 : length;
      if (quote < end) {
        const recordEnd = quotedRecordEnd(buf, pos, length);
        if (recordEnd < 0 && !final) break;
        end = recordEnd < 0 ? length : recordEnd;
      }
      this.slow(buf, pos, end, end === length && final);
      pos = end;
    }
    if (pos < length) this.tail = buf.subarray(pos);
  }

  /** From here on, the file goes through the text path (from its start when `line` is null). */
  private textPath(buf: Buffer, final: boolean, line: number | null): void {
    this.decoder = new StringDecoder('utf8');
    this.splitter = new CsvRecordSplitter(line === null ? undefined : { line, eol: '\n' });
    this.splitter.push(this.decoder.write(buf), this.sink);
    if (final) {
      this.splitter.push(this.decoder.end(), this.sink);
      this.splitter.end(this.sink);
    }
  }

  /** A line without quotes through the encoder, when it takes it. */
  private fast(buf: Buffer, pos: number, nl: number): boolean {
    const { starts, ends } = this;
    const count = starts.length;
    const end = nl > pos && buf[nl - 1] === CR ? nl - 1 : nl;
    let f = 0;
    let from = pos;
    for (let i = pos; i < end; i++) {
      if (buf[i] === COMMA) {
        if (f === count - 1) return false;
        starts[f] = from;
        ends[f++] = i;
        from = i + 1;
      }
    }
    // One field, empty: an empty line, which the text path skips.
    if (f !== count - 1 || (f === 0 && end === from)) return false;
    starts[f] = from;
    ends[f] = end;
    for (let i = 0; i < count; i++) {
      const s = starts[i];
      const e = ends[i];
      if (e > s && (blankFirst(buf[s]) || blankLast(buf, s, e))) return false;
    }
    if (this.row.bytes !== buf || this.row.starts !== starts) this.row = { bytes: buf, starts, ends };
    const out = this.out;
    out.begin();
    out.uint(this.line);
    if (!(this.encoder as RowEncoder).encode(this.row, out)) {
      out.drop();
      return false;
    }
    out.newline();
    this.read++;
    this.loaded++;
    return true;
  }

  /** Bytes `from`-`to` (whole records, or the end of the file) through the text path. */
  private slow(buf: Buffer, from: number, to: number, final: boolean): void {
    const splitter = new CsvRecordSplitter({ line: this.line, eol: '\n' });
    splitter.push(buf.toString('utf8', from, to), this.sink);
    if (final) splitter.end(this.sink);
    this.line += countLineEnds(buf, from, to);
  }
}

function malformed(e: unknown): unknown {
  return e instanceof CsvSyntaxError ? new DomainError(RowReaderErrorCode.Malformed, e.message) : e;
}
