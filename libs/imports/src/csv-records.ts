/**
 * Splits CSV text into records, chunk by chunk, with the line each record ends on (the
 * first line being 1). What `csv-parse` did for imports (`bom`, `trim`, `skip_empty_lines`,
 * `relax_column_count`, auto-detected `\n`, `\r\n` or `\r` line ends, RFC 4180 quotes with
 * `""` inside), in a form fast enough for million-row files: a line without a quote is cut
 * at its commas; only a record holding a quote goes through the character-level parser.
 * Errors name the line and what is wrong, never a value (it may be an ID number).
 */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

const QUOTE = 34; // "
const COMMA = 44; // ,
const LF = 10;
const CR = 13;

/** Whitespace as `String.prototype.trim` sees it, except the line ends (they end records). */
function isBlank(c: number): boolean {
  return (
    c === 32 ||
    c === 9 ||
    c === 11 ||
    c === 12 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

export interface CsvRecordSink {
  (fields: string[], line: number): void;
}

export class CsvRecordSplitter {
  private text = '';
  /** Line number of the start of `text`. */
  private line = 1;
  private first = true;
  /** The record delimiter, once seen: `\n` (also for `\r\n`) or a lone `\r`. */
  private eol: '\n' | '\r' | null = null;

  /**
   * A splitter for the whole text by default; or, given where it starts, for a piece of a
   * file from `line` on whose line ends are known (no byte order mark is looked for).
   */
  constructor(from?: { line: number; eol: '\n' | '\r' }) {
    if (from) {
      this.line = from.line;
      this.eol = from.eol;
      this.first = false;
    }
  }

  /** Splits every complete record of the text so far; keeps an incomplete last one. */
  push(chunk: string, sink: CsvRecordSink): void {
    if (this.first) {
      if (chunk.length === 0) return;
      this.first = false;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    this.text = this.text.length === 0 ? chunk : this.text + chunk;
    this.split(sink, false);
  }

  /** The last record, when the text does not end with a line end. */
  end(sink: CsvRecordSink): void {
    this.split(sink, true);
    this.text = '';
  }

  private detectEol(text: string): void {
    const lf = text.indexOf('\n');
    const cr = text.indexOf('\r');
    if (cr >= 0 && (lf < 0 || cr < lf - 1)) this.eol = '\r';
    else if (lf >= 0) this.eol = '\n';
  }

  private split(sink: CsvRecordSink, final: boolean): void {
    const text = this.text;
    if (this.eol === null) {
      this.detectEol(text);
      // A lone `\r` at the very end may still be the first half of `\r\n`.
      if (this.eol === '\r' && !final && text.indexOf('\r') === text.length - 1) this.eol = null;
    }
    const eol = this.eol ?? '\n';
    let pos = 0;
    let quote = text.indexOf('"');
    let comma = text.indexOf(',');
    const length = text.length;
    while (pos < length) {
      let end = text.indexOf(eol, pos);
      if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
      if (quote >= 0 && (end < 0 || quote < end)) {
        const consumed = this.quoted(text, pos, final, sink);
        if (consumed < 0) break; // the record goes on in the next chunk
        pos = consumed;
        continue;
      }
      if (end < 0) {
        if (!final) break;
        end = length;
      }
      // Field by field between the commas (the next comma is looked for once, whichever line it is on).
      const fields: string[] = [];
      let blank = true;
      for (let from = pos; ;) {
        if (comma >= 0 && comma < from) comma = text.indexOf(',', from);
        const to = comma < 0 || comma > end ? end : comma;
        const f = text.slice(from, to).trim();
        if (f.length > 0) blank = false;
        fields.push(f);
        if (to === end) break;
        from = to + 1;
      }
      if (!blank || fields.length > 1) sink(fields, this.line);
      this.line++;
      pos = end + 1;
    }
    this.text = pos >= length ? '' : text.slice(pos);
  }

  /**
   * Parses one record holding a quote, from `start`. Returns where the next record starts,
   * or -1 when the text ends before the record does (and more may come).
   */
  private quoted(text: string, start: number, final: boolean, sink: CsvRecordSink): number {
    const fields: string[] = [];
    const eol = this.eol ?? '\n';
    const eolCode = eol === '\n' ? LF : CR;
    const length = text.length;
    let newlines = 0;
    let i = start;
    for (;;) {
      // One field, from i.
      while (i < length && isBlank(text.charCodeAt(i))) i++;
      if (i < length && text.charCodeAt(i) === QUOTE) {
        let value = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0 || (q === length - 1 && !final)) {
            if (!final) return -1;
            throw new CsvSyntaxError(this.line + newlines, 'a quoted field is not closed');
          }
          newlines += count(text, eolCode, from, q);
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(from, q + 1);
            from = q + 2;
            continue;
          }
          value += text.slice(from, q);
          i = q + 1;
          break;
        }
        while (i < length && (isBlank(text.charCodeAt(i)) || (eol === '\n' && text.charCodeAt(i) === CR)))
          i++;
        if (i >= length && !final) return -1;
        fields.push(value);
        const c = i < length ? text.charCodeAt(i) : -1;
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === -1 || c === eolCode) break;
        throw new CsvSyntaxError(this.line + newlines, 'a closing quote is followed by other characters');
      }
      // Unquoted: up to the next comma or line end; a quote inside is an error.
      let j = i;
      while (j < length) {
        const c = text.charCodeAt(j);
        if (c === COMMA || c === eolCode) break;
        if (c === QUOTE) {
          throw new CsvSyntaxError(
            this.line + newlines,
            `a quote inside an unquoted field (field ${fields.length + 1})`,
          );
        }
        j++;
      }
      if (j >= length && !final) return -1;
      fields.push(text.slice(i, j).trim());
      if (j < length && text.charCodeAt(j) === COMMA) {
        i = j + 1;
        continue;
      }
      i = j;
      break;
    }
    sink(fields, this.line + newlines);
    this.line += newlines + 1;
    return i + 1;
  }
}

function count(text: string, code: number, from: number, to: number): number {
  let n = 0;
  let i = text.indexOf(code === LF ? '\n' : '\r', from);
  while (i >= 0 && i < to) {
    n++;
    i = text.indexOf(code === LF ? '\n' : '\r', i + 1);
  }
  return n;
}
