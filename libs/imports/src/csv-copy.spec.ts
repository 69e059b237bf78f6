import { Readable } from 'node:stream';
import { copyTextLine } from './copy-text.js';
import { CopyTextBuffer, CsvCopyReader } from './csv-copy.js';
import type { CsvLineBytes, ImportContext, ImportKind, RowProblem } from './import-kind.js';
import { readRowBatches } from './row-reader.js';

const ctx: ImportContext = { by: { sub: 'tester', roles: ['city_admin'] } as never, scope: undefined };

interface Outcome {
  read: number;
  loaded: number;
  rejected: number;
  problems: RowProblem[];
  copy: string;
}

/**
 * A kind that loads its columns as they are, and refuses a row whose a is `bad` (to show
 * problems). Its encoder writes a line only when no value needs escaping, so any
 * difference in how the two paths cut, trim or number lines shows in the COPY text.
 */
function kind(withEncoder: boolean, columns = ['a', 'b']): ImportKind<{ values: string[] }> {
  return {
    kind: 'test',
    columns,
    staging: [],
    parse: (r, line) =>
      r.a === 'bad' ? [{ line, field: 'a', reason: 'is bad' }] : { values: columns.map((c) => r[c]) },
    toRow: (v) => v.values,
    encoder: withEncoder
      ? (header) => {
          const at = columns.map((c) => header.lastIndexOf(c));
          return {
            encode({ bytes, starts, ends }: CsvLineBytes, out) {
              for (const i of at) {
                for (let k = starts[i]; k < ends[i]; k++) if (bytes[k] < 32 || bytes[k] === 92) return false;
                out.tab();
                out.bytes(bytes, starts[i], ends[i]);
              }
              // "bad" is left to parse.
              const a = at[0];
              return Buffer.from(bytes.subarray(starts[a], ends[a])).toString() !== 'bad';
            },
          };
        }
      : undefined,
    apply: () => Promise.resolve({ inserted: 0, updated: 0, unchanged: 0 }),
  };
}

/** What the runner did before CsvCopyReader: the row reader, parse, toRow, copyTextLine. */
async function before(chunks: Buffer[], columns?: string[]): Promise<Outcome | string> {
  const k = kind(false, columns);
  const out: Outcome = { read: 0, loaded: 0, rejected: 0, problems: [], copy: '' };
  try {
    for await (const batch of readRowBatches(Readable.from(chunks), 'csv', k.columns)) {
      for (const { line, record } of batch) {
        out.read++;
        const parsed = k.parse(record, line, ctx);
        if (Array.isArray(parsed)) {
          out.rejected++;
          out.problems.push(...parsed);
        } else {
          out.loaded++;
          out.copy += copyTextLine(line, k.toRow(parsed));
        }
      }
    }
  } catch (e) {
    return (e as Error).message;
  }
  return out;
}

function after(chunks: Buffer[], withEncoder = true, columns?: string[]): Outcome | string {
  const copy = new CopyTextBuffer();
  const problems: RowProblem[] = [];
  const reader = new CsvCopyReader(kind(withEncoder, columns), ctx, copy, problems);
  const taken: Buffer[] = [];
  try {
    for (const c of chunks) {
      reader.push(c);
      if (copy.length > 100) taken.push(...copy.take());
    }
    reader.end();
  } catch (e) {
    return (e as Error).message;
  }
  taken.push(...copy.take());
  const text = Buffer.concat(taken).toString('utf8');
  return { read: reader.read, loaded: reader.loaded, rejected: reader.rejected, problems, copy: text };
}

/** `bytes` cut at the given positions. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...at, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

let seed = 11;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};

describe('CsvCopyReader', () => {
  it('writes the COPY text of good lines straight from the bytes, the rest through parse', () => {
    const text = 'a,b\n1,甲\nbad,x\n2, 乙 \n"3",丙\n';
    const result = after([Buffer.from(text)]);
    expect(result).toEqual({
      read: 4,
      loaded: 3,
      rejected: 1,
      problems: [{ line: 3, field: 'a', reason: 'is bad' }],
      copy: '2\t1\t甲\n4\t2\t乙\n5\t3\t丙\n',
    });
  });

  it('gives what the row reader, parse and copyTextLine gave, cut at every position', async () => {
    const cases = [
      '\ufeffa,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n 4 ,\u30005\u3000\n',
      'b,a\n1,2,3\n4\n,\n\n  \n5,6',
      'a,b\r1,2\r3,4',
      'a,b\n1,"2\n"\n"3""",4\n',
      'A , B \n1,\\\t2\n',
      'a,b\n1,"2"x\n',
      'a,b\n1,2"\n3,4\n',
      'a,b\n1,"2\n',
      'x,y\n1,2\n',
      'a,b\n\u00a01,2\u2028\n1\u200a,\ufeff2\n',
      'a,b\n1,\xff\n2,\xe8\n3,4\n',
      'a,b\n\u30001,2\n1,\u30002\n1 ,2\n1,2\u00a0\n1\u3000,2\n1\ufeff,2\n1,2\u2028\n1,2 \r\n',
      'a,b\r1,2\n3,4\r5,6\n',
      'a,b\n1,2\r3,4\n',
    ];
    for (const c of cases) {
      const bytes = Buffer.from(c, c.includes('\xff') ? 'latin1' : 'utf8');
      const reference = await before([bytes]);
      for (let i = 0; i <= bytes.length; i++) {
        const chunks = cut(bytes, [i]);
        expect([c, i, after(chunks)]).toEqual([c, i, reference]);
        expect([c, i, await before(chunks)]).toEqual([c, i, reference]);
      }
      expect([c, after([bytes], false)]).toEqual([c, reference]);
    }
  });

  it('skips empty lines of a one-column file as the row reader did', async () => {
    const bytes = Buffer.from('a\n1\n\n \n2\r\n\r\n3');
    const reference = await before([bytes], ['a']);
    expect(reference).toMatchObject({ read: 3, copy: '2\t1\n5\t2\n7\t3\n' });
    for (let i = 0; i <= bytes.length; i++) {
      expect([i, after(cut(bytes, [i]), true, ['a'])]).toEqual([i, reference]);
    }
  });

  it('agrees with the row reader on random texts in random chunks', async () => {
    const parts = [
      'a',
      'bad',
      '甲',
      '𠀀',
      ' ',
      '\u3000',
      '\u00a0',
      '\u1680',
      '"',
      '""',
      ',',
      ',',
      ',',
      '\n',
      '\n',
      '\r\n',
      '\r',
      '\\',
      '\t',
      '\ufeff',
      'é',
    ];
    for (let n = 0; n < 3000; n++) {
      let text = random(4) === 0 ? 'b, a ,c\n' : 'a,b\n';
      const length = random(40);
      for (let i = 0; i < length; i++) text += parts[random(parts.length)];
      let bytes = Buffer.from(random(10) === 0 ? '\ufeff' + text : text);
      if (random(20) === 0) {
        const at = random(bytes.length);
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xe8 + random(24)]), bytes.subarray(at)]);
      }
      const positions = Array.from({ length: random(4) }, () => random(bytes.length + 1)).sort(
        (x, y) => x - y,
      );
      const chunks = cut(bytes, positions);
      expect([text, positions, after(chunks)]).toEqual([text, positions, await before(chunks)]);
    }
  });

  it('loads a file of many chunks whole, each row once', () => {
    const lines = ['a,b'];
    for (let i = 0; i < 50_000; i++) lines.push(`${i},名字${i}`);
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const chunks = cut(
      bytes,
      Array.from({ length: 40 }, (_, i) => i * 20_011),
    );
    const result = after(chunks) as Outcome;
    expect(result.read).toBe(50_000);
    expect(result.loaded).toBe(50_000);
    const copied = result.copy.split('\n');
    expect(copied).toHaveLength(50_001);
    expect(copied[0]).toBe('2\t0\t名字0');
    expect(copied[49_999]).toBe('50001\t49999\t名字49999');
  });
});
