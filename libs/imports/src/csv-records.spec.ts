import { parse } from 'csv-parse/sync';
import { CsvRecordSplitter, CsvSyntaxError } from './csv-records.js';

type Rec = [number, string[]];

/** Splits `text` fed in the given chunks. */
function split(chunks: string[]): Rec[] {
  const out: Rec[] = [];
  const s = new CsvRecordSplitter();
  const sink = (fields: string[], line: number) => out.push([line, fields]);
  for (const c of chunks) s.push(c, sink);
  s.end(sink);
  return out;
}

/** What csv-parse gives with the options imports used before. */
function reference(text: string): Rec[] | 'error' {
  try {
    const rows = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
    return rows.map((r) => [r.info.lines, r.record]);
  } catch {
    return 'error';
  }
}

function mine(chunks: string[]): Rec[] | 'error' {
  try {
    return split(chunks);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return 'error';
    throw e;
  }
}

/** The text whole, in every two pieces, and one character at a time. */
function chunkings(text: string): string[][] {
  const out = [[text], [...text]];
  for (let i = 1; i < text.length; i++) out.push([text.slice(0, i), text.slice(i)]);
  return out;
}

const CASES: Record<string, string> = {
  basic: 'a,b\n1,2\n3,4\n',
  'no final line end': 'a,b\n1,2\n3,4',
  'empty lines counted, not returned': 'a,b\n\n1,2\n\n\n3,4',
  crlf: 'a,b\r\n1,2\r\n\r\n3,4\r\n',
  'lone cr': 'a,b\r1,2\r3,4\r',
  'quoted field over two lines': 'a,b\n"x\ny",2\n3,4\n',
  'blank line and spaces': 'a,b\n  \n 1 , " 2 " \n',
  'doubled quotes': 'a,b\n"he said ""hi""",2\n',
  'quoted empty and quote at the end': 'a,b\n"",""""\n',
  bom: '\ufeffa,b\n1,2\n',
  'short and long rows': 'a,b,c\n1\n1,2,3,4\n',
  'space after a closing quote': 'a,b\n"x" ,2\n',
  'trailing comma': 'a,b\n1,\n',
  'commas only': 'a,b\n,,\n',
  'unicode spaces trimmed': 'a,b\n\u3000王\u3000,\u00a0x\n',
  'quote after leading spaces': 'a,b\n  "x,y" ,z\n',
  'quoted last field then crlf': 'a,b\r\n1,"2"\r\n',
  'chinese text': '姓名,学校\n王小明,第一小学\n"李,红",二小\n',
};

describe('CsvRecordSplitter', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(`splits like csv-parse: ${name}, however the text is chunked`, () => {
      const expected = reference(text);
      expect(expected).not.toBe('error');
      for (const chunks of chunkings(text)) expect(mine(chunks)).toEqual(expected);
    });
  }

  it('counts a CRLF inside quotes as one line (csv-parse counted two)', () => {
    expect(split(['a,b\r\n"x\r\ny",2\r\n3,4\r\n'])).toEqual([
      [1, ['a', 'b']],
      [3, ['x\r\ny', '2']],
      [4, ['3', '4']],
    ]);
  });

  it.each([
    ['a,b\n"x,2\n', 2, 'a quoted field is not closed'],
    ['a,b\n1,2\nx"y,2\n', 3, 'a quote inside an unquoted field (field 1)'],
    ['a,b\n"x"y,2\n', 2, 'a closing quote is followed by other characters'],
    ['a,b\n"x\n\n"y,2\n', 4, 'a closing quote is followed by other characters'],
  ])('refuses %j at line %i, naming no value', (text, line, reason) => {
    expect(reference(text)).toBe('error');
    for (const chunks of chunkings(text)) {
      let error: unknown;
      try {
        split(chunks);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).message).toBe(`line ${line}: ${reason}`);
    }
  });

  it('agrees with csv-parse on random text, records and errors alike', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pieces = ['a', 'bc', ' ', ',', ',', '"', '""', 'EOL', 'EOL', '王', '\t', '1'];
    for (let round = 0; round < 3000; round++) {
      // One kind of line end per file, as csv-parse expects.
      const eol = ['\n', '\r\n', '\r'][round % 3];
      let text = '';
      const n = 1 + Math.floor(random() * 30);
      for (let i = 0; i < n; i++) {
        const piece = pieces[Math.floor(random() * pieces.length)];
        text += piece === 'EOL' ? eol : piece;
      }
      // csv-parse takes `"" ""` for an empty field; this splitter refuses it (text after a closing quote).
      if (/""[ \t]+""/.test(text)) continue;
      // csv-parse counts a CRLF inside quotes as two lines: with CRLF, compare the fields only.
      const strip = (r: Rec[] | 'error') => (r === 'error' || eol !== '\r\n' ? r : r.map(([, f]) => f));
      const expected = strip(reference(text));
      const cut = Math.floor(random() * text.length);
      for (const chunks of [[text], [text.slice(0, cut), text.slice(cut)]]) {
        const got = strip(mine(chunks));
        if (got !== expected && JSON.stringify(got) !== JSON.stringify(expected)) {
          throw new Error(
            `differs on ${JSON.stringify(chunks)}: ${JSON.stringify(got)} vs ${JSON.stringify(expected)}`,
          );
        }
      }
    }
  });
});
