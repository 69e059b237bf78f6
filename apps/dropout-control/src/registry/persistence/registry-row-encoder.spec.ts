import { residentIdCheckChar } from '@edu/contracts';
import {
  copyTextLine,
  CopyTextBuffer,
  CsvCopyReader,
  readRowBatches,
  type ImportContext,
  type ImportKind,
  type RowEncoder,
  type RowProblem,
} from '@edu/imports';
import { Readable } from 'node:stream';
import type { EntityManager } from 'typeorm';
import { POVERTY_COLUMNS, STUDENT_COLUMNS } from '../domain/registry-rows.js';
import { povertyRegistryImport } from './poverty-registry.import-kind.js';
import { studentRegistryImport } from './student-registry.import-kind.js';

/*
 * The registry kinds' encoders are a shortcut of parse: on generated files of valid and
 * broken rows, the byte path must accept and refuse exactly the rows the former path did
 * (the row reader, parse, toRow, copyTextLine), with the same problems, write the same COPY
 * text, and screen the same ID numbers for repeats.
 */

const CITY = '150800';
let seed = 7;
const random = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return (seed >>> 8) % n;
};
const pick = <T>(values: readonly T[]): T => values[random(values.length)];

function idNumber(birth: string): string {
  const first17 = `${pick(['150821', '150822', '150825'])}${birth}${String(random(1000)).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

interface Person {
  id: string;
  birth: string;
}

function person(ids: string[]): Person {
  if (ids.length > 0 && random(30) === 0) {
    const id = pick(ids); // a repeat
    return { id, birth: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}` };
  }
  const birth = `${1950 + random(70)}-${String(1 + random(12)).padStart(2, '0')}-${String(1 + random(28)).padStart(2, '0')}`;
  const id = idNumber(birth.replace(/-/g, ''));
  ids.push(id);
  return { id, birth };
}

const CJK = '张王李赵明华丽军芳秀英𠀀';
const cjk = (n: number) => Array.from({ length: n }, () => pick([...CJK])).join('');

/** Ways to break or bend each kind of value; the first of each list is good as written. */
function variants(p: Person): Record<string, string[]> {
  const wrongCheck = p.id.slice(0, 17) + (p.id[17] === '0' ? '1' : '0');
  const compact = p.birth.replace(/-/g, '');
  return {
    id: [
      p.id,
      p.id.toLowerCase(),
      wrongCheck,
      p.id.slice(0, 17),
      `${p.id.slice(0, 10)}0230${p.id.slice(14)}`,
      'x',
      '',
    ],
    birth: [
      p.birth,
      p.birth.replace(/-/g, '/'),
      `${p.birth.slice(0, 7)}/${p.birth.slice(8)}`,
      `${p.birth.slice(0, 4)}/${p.birth.slice(5)}`,
      compact,
      '2012-02-30',
      '1999-01-01',
      '',
      `${p.birth}x`,
      '２０１２-03-15',
    ],
    county: ['150821', '150826', '150800', '150921', '15082', '1508211', '15082a', ''],
    code: ['H-0001', 'A.b_c', '', '_a', 'a b', 'x'.repeat(64), 'x'.repeat(65), 'é', 'a\\b'],
    name: [
      cjk(3),
      cjk(50),
      cjk(51),
      '',
      'a\\b',
      'a\tb',
      'Anna Lee',
      '𠀀'.repeat(25),
      '𠀀'.repeat(26),
      'a\u0001b',
    ],
    place: [cjk(4), cjk(100), cjk(101), '', '村\\1', 'x'.repeat(100), 'x'.repeat(101)],
    stage: ['primary', 'Primary', 'JUNIOR', 'college', ''],
    grade: ['3', '12', '10', '0', '13', '01', '3.0', '', '١'],
    enrolment: ['enrolled', 'dropped', 'Suspended', 'gone', ''],
    disability: ['none', 'mild', '', 'Severe', 'blind'],
    poverty: ['registered_poor', 'lifted', 'LOW_INCOME', 'rich', ''],
    orphan: ['false', 'true', '', '是', '否', 'yes', 'N', 'TRUE', 'maybe'],
    site: ['', 'RS-150821-01', 'rs.1', '-x', 'a b'],
  };
}

/** A field as a file might hold it: mostly as it is, sometimes padded or quoted. */
function written(v: string): string {
  const r = random(40);
  if (r === 0) return ` ${v}`;
  if (r === 1) return `${v}\u3000`;
  if (r === 2) return `"${v.replace(/"/g, '""')}"`;
  if (/[,"\n\r]/.test(v)) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

/** The list of variants each column draws from. */
const POVERTY_VALUES: Record<string, string> = {
  household_id: 'code',
  id_number: 'id',
  name: 'name',
  birth_date: 'birth',
  county_code: 'county',
  township: 'place',
  village: 'place',
  poverty_status: 'poverty',
  orphan: 'orphan',
  disability_level: 'disability',
  relocation_site_code: 'site',
};
const STUDENT_VALUES: Record<string, string> = {
  id_number: 'id',
  name: 'name',
  birth_date: 'birth',
  county_code: 'county',
  school_code: 'code',
  school_name: 'place',
  stage: 'stage',
  grade: 'grade',
  enrolment_status: 'enrolment',
  disability_level: 'disability',
};

/** A file of rows whose values are mostly good, now and then any variant. */
function randomFile(values: Record<string, string>, rows: number, header = Object.keys(values)): string {
  const ids: string[] = [];
  const lines = [header.join(',')];
  for (let i = 0; i < rows; i++) {
    const v = variants(person(ids));
    const row = header.map((c) => {
      if (!(c in values)) return 'extra';
      const list = v[values[c]];
      return written(random(12) === 0 ? pick(list) : list[0]);
    });
    lines.push(row.join(','));
  }
  return lines.join(random(2) === 0 ? '\n' : '\r\n') + '\n';
}

/** Every variant of every value on its own, in an otherwise good row. */
function oneByOne(values: Record<string, string>): string {
  const ids: string[] = [];
  const columns = Object.keys(values);
  const lines = [columns.join(',')];
  for (const column of columns) {
    const count = variants(person([]))[values[column]].length;
    for (let k = 0; k < count; k++) {
      const v = variants(person(ids));
      lines.push(columns.map((c) => (c === column ? written(v[values[c]][k]) : v[values[c]][0])).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

interface Outcome {
  read: number;
  loaded: number;
  rejected: number;
  problems: RowProblem[];
  copy: string[];
  candidates: string[] | null;
}

type Kind = ImportKind<unknown> & { apply: ImportKind<unknown>['apply'] };

const fakeEm = { query: () => Promise.resolve([{ empty: true }]) } as unknown as EntityManager;

async function prepared(make: () => Kind, direct: boolean, ctx: ImportContext): Promise<Kind> {
  const kind = make();
  if (direct) await kind.direct?.(fakeEm, { ...ctx, importId: '6f1c2a4e-0000-4000-8000-000000000001' });
  return kind;
}

/** The repeat candidates the kind's apply receives. */
async function candidates(kind: Kind, ctx: ImportContext): Promise<string[] | null> {
  const seen: { ids: string[] | null } = { ids: [] };
  const em = {
    query: (sql: string, params?: unknown[]) => {
      if (sql.includes('= ANY($1::char(18)[])')) seen.ids = params?.[0] as string[];
      if (sql.includes('GROUP BY id_number')) seen.ids = null;
      return Promise.resolve([]);
    },
  } as unknown as EntityManager;
  await kind.apply(em, { ...ctx, importId: 'x', stage: 's', rowsStaged: 0, direct: true });
  return seen.ids === null ? null : [...seen.ids].sort();
}

async function before(make: () => Kind, text: string, ctx: ImportContext, direct: boolean): Promise<Outcome> {
  const kind = await prepared(make, direct, ctx);
  const out: Outcome = { read: 0, loaded: 0, rejected: 0, problems: [], copy: [], candidates: null };
  for await (const batch of readRowBatches(Readable.from([Buffer.from(text)]), 'csv', kind.columns)) {
    for (const { line, record } of batch) {
      out.read++;
      const parsed = kind.parse(record, line, ctx);
      if (Array.isArray(parsed)) {
        out.rejected++;
        out.problems.push(...parsed);
      } else {
        out.loaded++;
        out.copy.push(copyTextLine(line, kind.toRow(parsed)));
      }
    }
  }
  out.candidates = await candidates(kind, ctx);
  return out;
}

async function after(
  make: () => Kind,
  text: string,
  ctx: ImportContext,
  direct: boolean,
): Promise<Outcome & { encoded: number }> {
  const kind = await prepared(make, direct, ctx);
  let encoded = 0;
  const encoder = kind.encoder?.bind(kind);
  kind.encoder = (header, c) => {
    const inner = encoder?.(header, c) as RowEncoder;
    return {
      encode: (row, w) => {
        const ok = inner.encode(row, w);
        if (ok) encoded++;
        return ok;
      },
    };
  };
  const copy = new CopyTextBuffer();
  const problems: RowProblem[] = [];
  const reader = new CsvCopyReader(kind, ctx, copy, problems);
  const bytes = Buffer.from(text);
  // In chunks that cut lines and characters anywhere.
  for (let at = 0; at < bytes.length;) {
    const size = 1 + random(5000);
    reader.push(bytes.subarray(at, at + size));
    at += size;
  }
  reader.end();
  const copied = Buffer.concat(copy.take()).toString('utf8');
  return {
    read: reader.read,
    loaded: reader.loaded,
    rejected: reader.rejected,
    problems,
    copy: copied === '' ? [] : copied.split(/(?<=\n)/),
    candidates: await candidates(kind, ctx),
    encoded,
  };
}

const city: ImportContext = { by: { sub: 'admin', roles: ['city_admin'] } as never, scope: undefined };
const county: ImportContext = { by: { sub: 'op', roles: ['county_operator'] } as never, scope: '150821' };

describe('registry row encoders', () => {
  const kinds = [
    {
      name: 'poverty',
      make: () => povertyRegistryImport(CITY) as Kind,
      file: (n: number) => randomFile(POVERTY_VALUES, n),
    },
    {
      name: 'students',
      make: () => studentRegistryImport(CITY) as Kind,
      file: (n: number) => randomFile(STUDENT_VALUES, n),
    },
  ];
  for (const { name, make, file } of kinds) {
    it(`${name}: the byte path accepts, refuses and writes exactly what parse and toRow did`, async () => {
      for (const [ctx, direct] of [
        [city, false],
        [city, true],
        [county, true],
      ] as const) {
        const text = file(4000);
        const { encoded, ...mine } = await after(make, text, ctx, direct);
        const reference = await before(make, text, ctx, direct);
        expect(mine).toEqual(reference);
        // Many good rows took the byte path, and both kinds of outcome are well represented.
        expect(encoded).toBeGreaterThan(reference.loaded / 4);
        expect(reference.loaded).toBeGreaterThan(1000);
        expect(reference.rejected).toBeGreaterThan(1000);
        expect(reference.candidates?.length).toBeGreaterThan(10);
      }
    });
  }

  it('agrees with parse on every variant of every value on its own', async () => {
    expect(Object.keys(POVERTY_VALUES)).toEqual([...POVERTY_COLUMNS]);
    expect(Object.keys(STUDENT_VALUES)).toEqual([...STUDENT_COLUMNS]);
    const cases = [
      { make: () => povertyRegistryImport(CITY) as Kind, values: POVERTY_VALUES },
      { make: () => studentRegistryImport(CITY) as Kind, values: STUDENT_VALUES },
    ];
    for (const { make, values } of cases) {
      for (const ctx of [city, county]) {
        const text = oneByOne(values);
        const { encoded, ...mine } = await after(make, text, ctx, true);
        expect(mine).toEqual(await before(make, text, ctx, true));
        expect(encoded).toBeGreaterThan(10);
      }
    }
  });

  it('reads the columns in any order, with extra and repeated ones, like the records do', async () => {
    const header = ['extra', ...[...POVERTY_COLUMNS].reverse(), 'name'];
    const text = randomFile(POVERTY_VALUES, 2000, header);
    const make = () => povertyRegistryImport(CITY) as Kind;
    const { encoded, ...mine } = await after(make, text, city, false);
    expect(mine).toEqual(await before(make, text, city, false));
    expect(encoded).toBeGreaterThan(300);
  });
});
