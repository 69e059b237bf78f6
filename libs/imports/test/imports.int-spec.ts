import { createServer, type Server } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { Principal } from '@edu/auth';
import { createTestDatabase, waitFor, type TestDatabase } from '@edu/testing';
import {
  ImportRunner,
  ImportTables1764400000500,
  readUpload,
  writeXlsx,
  type ImportKind,
  type RowProblem,
} from '../src/index.js';

class WidgetTable1764400000600 implements MigrationInterface {
  name = 'WidgetTable1764400000600';
  async up(q: QueryRunner) {
    await q.query(
      'CREATE TABLE widget (code text PRIMARY KEY, name text NOT NULL, county char(6) NOT NULL, amount_fen bigint NOT NULL)',
    );
    await q.query(
      'CREATE TABLE gadget (line int NOT NULL, code text NOT NULL, name text NOT NULL, county char(6) NOT NULL, amount_fen bigint NOT NULL)',
    );
    await q.query(
      'CREATE TABLE sprocket (line int NOT NULL, code text NOT NULL, name text NOT NULL, county char(6) NOT NULL, amount_fen bigint NOT NULL)',
    );
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE widget');
  }
}

interface Widget {
  code: string;
  name: string;
  county: string;
  amountFen: number;
}

/** A small kind: validates, stages, then upserts counting inserted/updated/unchanged in SQL. */
const widgets: ImportKind<Widget> = {
  kind: 'widgets',
  columns: ['code', 'name', 'county_code', 'amount'],
  staging: [
    { name: 'code', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'county', type: 'char(6)' },
    { name: 'amount_fen', type: 'bigint' },
  ],
  parse(r, line, ctx) {
    const problems: RowProblem[] = [];
    if (!r.code) problems.push({ line, field: 'code', reason: 'is required' });
    if (!r.name) problems.push({ line, field: 'name', reason: 'is required' });
    if (!/^\d{6}$/.test(r.county_code))
      problems.push({ line, field: 'county_code', reason: 'must be 6 digits' });
    else if (ctx.scope && ctx.scope !== r.county_code)
      problems.push({ line, field: 'county_code', reason: 'is outside your jurisdiction' });
    if (!/^\d+(\.\d{1,2})?$/.test(r.amount))
      problems.push({ line, field: 'amount', reason: 'must be an amount in yuan' });
    if (problems.length) return problems;
    return {
      code: r.code,
      name: r.name,
      county: r.county_code,
      amountFen: Math.round(Number(r.amount) * 100),
    };
  },
  toRow: (w) => [w.code, w.name, w.county, w.amountFen],
  async apply(em, { stage }) {
    const dupes: { line: number; code: string }[] = await em.query(
      `SELECT line, code FROM (SELECT line, code, row_number() OVER (PARTITION BY code ORDER BY line) AS n FROM ${stage}) d WHERE n > 1`,
    );
    const [counts]: { inserted: number; updated: number; unchanged: number }[] = await em.query(`
      WITH src AS (SELECT DISTINCT ON (code) code, name, county, amount_fen FROM ${stage} ORDER BY code, line),
      changed AS (
        INSERT INTO widget AS w (code, name, county, amount_fen) SELECT * FROM src
        ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, county = EXCLUDED.county, amount_fen = EXCLUDED.amount_fen
        WHERE (w.name, w.county, w.amount_fen) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.county, EXCLUDED.amount_fen)
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated,
             ((SELECT count(*) FROM src) - count(*))::int AS unchanged FROM changed`);
    return {
      ...counts,
      problems: dupes.map((d) => ({
        line: d.line,
        field: 'code',
        reason: `repeats code ${d.code} of an earlier line`,
      })),
    };
  },
};

/**
 * The widget kind with a direct path: a first load into the empty gadget table goes straight
 * in; later loads are staged and appended. Apply reports which way the rows came.
 */
const gadgets: ImportKind<Widget> & { ways: string[] } = {
  ...widgets,
  kind: 'gadgets',
  ways: [],
  async direct(em) {
    const [{ empty }] = await em.query<{ empty: boolean }[]>(
      'SELECT NOT EXISTS (SELECT 1 FROM gadget) AS empty',
    );
    return empty ? { table: 'gadget', columns: ['line', 'code', 'name', 'county', 'amount_fen'] } : null;
  },
  async apply(em, ctx) {
    gadgets.ways.push(ctx.direct ? 'direct' : 'staged');
    if (!ctx.direct) await em.query(`INSERT INTO gadget SELECT * FROM ${ctx.stage}`);
    return { inserted: ctx.rowsStaged, updated: 0, unchanged: 0 };
  },
};

/**
 * The widget kind with a row encoder and a frozen first load: lines of whole amounts in yuan
 * (no leading zero) are written from their bytes, the rest go through parse; a first load
 * empties the sprocket table in the import's transaction and COPYs into it frozen.
 */
const sprockets: ImportKind<Widget> = {
  ...widgets,
  kind: 'sprockets',
  encoder(header, ctx) {
    const at = ['code', 'name', 'county_code', 'amount'].map((c) => header.lastIndexOf(c));
    return {
      encode({ bytes, starts, ends }, out) {
        const [code, name, county, amount] = at;
        if (ends[code] === starts[code] || ends[name] === starts[name]) return false;
        if (ends[county] - starts[county] !== 6 || ends[amount] === starts[amount]) return false;
        const text = (i: number) => Buffer.from(bytes.subarray(starts[i], ends[i])).toString();
        if (!/^\d{6}$/.test(text(county)) || (ctx.scope && ctx.scope !== text(county))) return false;
        if (!/^[1-9]\d{0,12}$/.test(text(amount))) return false;
        if ([...(text(code) + text(name))].some((c) => c === '\\' || c < ' ')) return false;
        for (const i of [code, name, county, amount]) {
          out.tab();
          out.bytes(bytes, starts[i], ends[i]);
        }
        out.ascii('00');
        return true;
      },
    };
  },
  async direct(em) {
    const [{ empty }] = await em.query<{ empty: boolean }[]>(
      'SELECT NOT EXISTS (SELECT 1 FROM sprocket) AS empty',
    );
    if (!empty) return null;
    await em.query('TRUNCATE sprocket');
    return { table: 'sprocket', columns: ['line', 'code', 'name', 'county', 'amount_fen'], freeze: true };
  },
  async apply(em, ctx) {
    if (!ctx.direct) await em.query(`INSERT INTO sprocket SELECT * FROM ${ctx.stage}`);
    return { inserted: ctx.rowsStaged, updated: 0, unchanged: 0 };
  },
};

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const csv = (lines: string[]) => ({
  stream: Readable.from([lines.join('\n')]),
  filename: 'w.csv',
  format: 'csv' as const,
});

const FILE = [
  'code,name,county_code,amount,extra',
  'W1,甲,150821,10.50,x',
  'W2,,150821,1,x',
  'W3,丙,1508,abc,x',
  'W4,丁,150822,2,x',
  'W1,甲again,150821,3,x',
];

describe('ImportRunner on the real database', () => {
  let db: TestDatabase;
  let runner: ImportRunner;

  beforeAll(async () => {
    db = await createTestDatabase('imports', [], [ImportTables1764400000500, WidgetTable1764400000600]);
    runner = new ImportRunner(db.dataSource);
  });
  afterAll(() => db.drop());

  const widgetsInDb = () =>
    db.dataSource.query<{ code: string; name: string; amount_fen: string }[]>(
      'SELECT code, name, amount_fen FROM widget ORDER BY code',
    );

  it('loads good rows, reports every bad row by line and field, and keeps the first of a repeated key', async () => {
    const result = await runner.run(widgets, csv(FILE), admin);
    expect(result).toMatchObject({
      status: 'completed',
      rowsRead: 5,
      rowsRejected: 3,
      rowsLoaded: 2,
      inserted: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(await runner.rejectedRows(result.id, 100, 0)).toEqual([
      { line: 3, field: 'name', reason: 'is required' },
      { line: 4, field: 'amount', reason: 'must be an amount in yuan' },
      { line: 4, field: 'county_code', reason: 'must be 6 digits' },
      { line: 6, field: 'code', reason: 'repeats code W1 of an earlier line' },
    ]);
    expect(await widgetsInDb()).toEqual([
      { code: 'W1', name: '甲', amount_fen: '1050' },
      { code: 'W4', name: '丁', amount_fen: '200' },
    ]);
  });

  it('changes nothing when the same file comes again, and says which import it repeats', async () => {
    const before = await widgetsInDb();
    const first = (await runner.list({ kind: 'widgets', status: 'completed', limit: 1 }))[0];
    const again = await runner.run(widgets, csv(FILE), admin);
    expect(again).toMatchObject({ status: 'duplicate', duplicateOf: first.id, inserted: 0, updated: 0 });
    expect(await widgetsInDb()).toEqual(before);
  });

  it('counts updated and unchanged rows of a changed file', async () => {
    const r = await runner.run(
      widgets,
      csv(['code,name,county_code,amount', 'W1,甲,150821,10.50', 'W4,丁,150822,9', 'W5,戊,150823,1']),
      admin,
    );
    expect(r).toMatchObject({ status: 'completed', inserted: 1, updated: 1, unchanged: 1, rowsRejected: 0 });
  });

  it('refuses a file missing a column, naming it, and records the failure', async () => {
    await expect(runner.run(widgets, csv(['code,name', 'W9,x']), admin)).rejects.toThrow(
      'line 1: missing columns county_code, amount',
    );
    const [failed] = await runner.list({ kind: 'widgets', status: 'failed', limit: 1 });
    expect(failed.error).toBe('line 1: missing columns county_code, amount');
  });

  it('reads quoted fields, line ends inside quotes, CRLF and a BOM, and stores every character as sent', async () => {
    const text = [
      '\ufeffcode,name,county_code,amount',
      'Q1,"甲, ""乙""",150821,1',
      'Q2,"two\r\nlines",150821,2',
      'Q3,back\\slash\ttab,150821,3',
      'Q4,,150821,4',
      'Q5, 丙 ,150821,5',
    ].join('\r\n');
    const r = await runner.run(widgets, csv([text]), admin);
    expect(r).toMatchObject({ status: 'completed', rowsRead: 5, rowsRejected: 1, inserted: 4 });
    // Q2 spans lines 3 and 4: Q4 is on line 6.
    expect(await runner.rejectedRows(r.id, 10, 0)).toEqual([
      { line: 6, field: 'name', reason: 'is required' },
    ]);
    const names = await db.dataSource.query<{ code: string; name: string }[]>(
      "SELECT code, name FROM widget WHERE code LIKE 'Q%' ORDER BY code",
    );
    expect(names).toEqual([
      { code: 'Q1', name: '甲, "乙"' },
      { code: 'Q2', name: 'two\r\nlines' },
      { code: 'Q3', name: 'back\\slash\ttab' },
      { code: 'Q5', name: '丙' },
    ]);
  });

  it('refuses a malformed CSV file by line, naming no value, and loads nothing of it', async () => {
    const file = ['code,name,county_code,amount', 'Z1,甲,150821,1', 'Z2,"未闭合,150821,1', 'Z3,乙,150821,1'];
    await expect(runner.run(widgets, csv(file), admin)).rejects.toThrow(
      'line 3: a quoted field is not closed',
    );
    const [failed] = await runner.list({ kind: 'widgets', status: 'failed', limit: 1 });
    expect(failed.error).toBe('line 3: a quoted field is not closed');
    expect(await db.dataSource.query("SELECT code FROM widget WHERE code LIKE 'Z%'")).toEqual([]);
  });

  it("loads straight into the kind's table when it offers a direct target, all in the import's transaction", async () => {
    const gadgetsInDb = () =>
      db.dataSource.query<{ line: number; code: string }[]>('SELECT line, code FROM gadget ORDER BY code');
    // A file that fails half way leaves the target as it was (empty).
    await expect(
      runner.run(gadgets, csv(['code,name,county_code,amount', 'G1,甲,150821,1', 'G2,"乙,150821,1']), admin),
    ).rejects.toThrow('line 3: a quoted field is not closed');
    expect(await gadgetsInDb()).toEqual([]);

    const file = ['code,name,county_code,amount', 'G1,甲,150821,1', 'G2,,150821,1', 'G3,丙,150822,2'];
    const first = await runner.run(gadgets, csv(file), admin);
    expect(first).toMatchObject({ status: 'completed', rowsLoaded: 2, rowsRejected: 1, inserted: 2 });
    expect(await gadgetsInDb()).toEqual([
      { line: 2, code: 'G1' },
      { line: 4, code: 'G3' },
    ]);
    // The same file again is a duplicate: the direct load is rolled back.
    expect(await runner.run(gadgets, csv(file), admin)).toMatchObject({ status: 'duplicate' });
    // A later file finds the table filled, and is staged.
    await runner.run(gadgets, csv(['code,name,county_code,amount', 'G4,丁,150823,3']), admin);
    expect((await gadgetsInDb()).map((g) => g.code)).toEqual(['G1', 'G3', 'G4']);
    expect(gadgets.ways).toEqual(['direct', 'staged']);
  });

  it('writes the lines a row encoder takes from their bytes, the rest through parse, and a first load frozen', async () => {
    const lines = ['code,name,county_code,amount'];
    for (let i = 0; i < 3000; i++) {
      const amount = i % 7 === 0 ? `${i}.5` : i % 11 === 0 ? 'x' : String(i + 1);
      lines.push(
        `S${i},${i % 13 === 0 ? `"名,${i}"` : `名${i}`},${i % 17 === 0 ? '1508' : '150821'},${amount}`,
      );
    }
    const summary = await runner.run(sprockets, csv(lines), admin);
    const bad = lines.filter((l, i) => i > 0 && (l.includes(',1508,') || l.endsWith(',x'))).length;
    expect(summary).toMatchObject({
      status: 'completed',
      rowsRead: 3000,
      rowsRejected: bad,
      rowsLoaded: 3000 - bad,
    });
    const rows = await db.dataSource.query<
      { line: number; code: string; name: string; amount_fen: string }[]
    >('SELECT line, code, name, amount_fen FROM sprocket ORDER BY line');
    expect(rows).toHaveLength(3000 - bad);
    // Each row as parse and toRow would give it, whichever way it came.
    for (const r of rows) {
      const [code, ...rest] = lines[r.line - 1].split(',');
      const amount = rest[rest.length - 1];
      const name = lines[r.line - 1].includes('"') ? `名,${code.slice(1)}` : rest[0];
      expect([r.code, r.name, r.amount_fen]).toEqual([code, name, String(Math.round(Number(amount) * 100))]);
    }
    await expect(runner.rejectedRows(summary.id, 5, 0)).resolves.toEqual([
      { line: 2, field: 'county_code', reason: 'must be 6 digits' },
      { line: 13, field: 'amount', reason: 'must be an amount in yuan' },
      { line: 19, field: 'county_code', reason: 'must be 6 digits' },
      { line: 24, field: 'amount', reason: 'must be an amount in yuan' },
      { line: 35, field: 'amount', reason: 'must be an amount in yuan' },
    ]);
    // COPY FREEZE: every page of the table is all-visible without a vacuum.
    await db.dataSource.query('ANALYZE sprocket');
    const [pages] = await db.dataSource.query<{ relpages: number; relallvisible: number }[]>(
      `SELECT relpages, relallvisible FROM pg_class WHERE oid = 'sprocket'::regclass`,
    );
    expect(pages.relpages).toBeGreaterThan(2);
    expect(pages.relallvisible).toBe(pages.relpages);
    // Past the row cap, the import fails as before.
    await expect(runner.run(sprockets, csv(lines.slice(0, 50)), admin, { maxRows: 40 })).rejects.toThrow(
      'the file has more than 40 rows',
    );
  });

  it('reads XLSX, with row numbers as lines', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeXlsx(
      out,
      'widgets',
      [
        { header: 'code', value: (r: string[]) => r[0] },
        { header: 'name', value: (r) => r[1] },
        { header: 'county_code', value: (r) => r[2] },
        { header: 'amount', value: (r) => r[3] },
      ],
      [
        ['X1', '己', '150824', '5'],
        ['X2', '庚', 'bad', '5'],
      ],
    );
    const r = await runner.run(
      widgets,
      { stream: Readable.from([Buffer.concat(chunks)]), filename: 'w.xlsx', format: 'xlsx' },
      admin,
    );
    expect(r).toMatchObject({ status: 'completed', inserted: 1, rowsRejected: 1 });
    expect(await runner.rejectedRows(r.id, 10, 0)).toEqual([
      { line: 3, field: 'county_code', reason: 'must be 6 digits' },
    ]);
  });

  it('keeps a county operator to their county', async () => {
    const op: Principal = { sub: 'op', role: 'county_operator', county: '150821' };
    const r = await runner.run(
      widgets,
      csv(['code,name,county_code,amount', 'Y1,辛,150821,1', 'Y2,壬,150822,1']),
      op,
    );
    expect(r).toMatchObject({ inserted: 1, rowsRejected: 1 });
    expect(await runner.summary(r.id, '150822')).toBeNull();
    expect(await runner.summary(r.id, '150821')).not.toBeNull();
  });

  it('shows progress while a slow upload is still arriving', async () => {
    const id = '5b6a2c1e-8f0a-4c3b-9d2e-1a2b3c4d5e6f';
    async function* slow() {
      yield 'code,name,county_code,amount\n';
      for (let i = 0; i < 30; i++) {
        yield `S${i},名${i},150821,1\n`;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const running = runner.run(
      widgets,
      { stream: Readable.from(slow()), filename: null, format: 'csv' },
      admin,
      { importId: id },
    );
    const seen = await waitFor(
      () => runner.summary(id),
      (s) => s !== null && s.status === 'running' && s.rowsRead > 0,
      {
        intervalMs: 50,
        what: 'progress of a running import',
      },
    );
    expect(seen?.rowsRead).toBeLessThan(30);
    await expect(running).resolves.toMatchObject({ status: 'completed', inserted: 30 });
  });

  it('streams a multipart upload through readUpload', async () => {
    const server: Server = createServer((req, res) => {
      readUpload(req)
        .then((u) => runner.run(widgets, u, admin))
        .then((r) => res.end(JSON.stringify(r)))
        .catch((e: Error) => {
          res.statusCode = 400;
          res.end(e.message);
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const form = new FormData();
      form.append('note', 'ignored');
      form.append(
        'file',
        new Blob(['code,name,county_code,amount\nM1,癸,150825,7\n'], { type: 'text/csv' }),
        'm.csv',
      );
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: 'POST',
        body: form,
      });
      expect(await res.json()).toMatchObject({
        status: 'completed',
        inserted: 1,
        filename: 'm.csv',
        format: 'csv',
      });
      const bad = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: 'POST',
        body: 'x',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
    } finally {
      server.close();
    }
  });

  it('keeps a Chinese file name of a multipart upload as sent (UTF-8, as browsers send it)', async () => {
    const server: Server = createServer((req, res) => {
      readUpload(req)
        .then((u) => runner.run(widgets, u, admin))
        .then((r) => res.end(JSON.stringify(r)))
        .catch((e: Error) => {
          res.statusCode = 400;
          res.end(e.message);
        });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const form = new FormData();
      form.append(
        'file',
        new Blob(['code,name,county_code,amount\nZ1,子,150825,3\n'], { type: 'text/csv' }),
        '建档立卡.csv',
      );
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        method: 'POST',
        body: form,
      });
      const r = (await res.json()) as { id: string; status: string };
      expect(r.status).toBe('completed');
      // Read back from the import record, as GET /api/imports/{id} and the list show it.
      expect((await runner.summary(r.id))?.filename).toBe('建档立卡.csv');
      const listed = await runner.list({ kind: 'widgets', limit: 200 });
      expect(listed.find((i) => i.id === r.id)?.filename).toBe('建档立卡.csv');
    } finally {
      server.close();
    }
  });

  it('lists a page at a time, newest first, with the count of all that match, a county operator only theirs', async () => {
    const [{ all, own }] = await db.dataSource.query<{ all: number; own: number }[]>(
      `SELECT count(*)::int AS "all", (count(*) FILTER (WHERE county_scope = '150821'))::int AS own
         FROM import_job WHERE kind = 'widgets'`,
    );
    expect(all).toBeGreaterThan(4);
    expect(await runner.count({ kind: 'widgets' })).toBe(all);
    const every = (await runner.list({ kind: 'widgets', limit: 200 })).map((i) => i.id);
    expect(every).toHaveLength(all);
    const first = (await runner.list({ kind: 'widgets', limit: 2 })).map((i) => i.id);
    const second = (await runner.list({ kind: 'widgets', limit: 2, offset: 2 })).map((i) => i.id);
    expect([...first, ...second]).toEqual(every.slice(0, 4));
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    expect(await runner.list({ kind: 'widgets', limit: 2, offset: all })).toEqual([]);

    expect(own).toBeGreaterThan(0);
    expect(await runner.count({ kind: 'widgets', scope: '150821' })).toBe(own);
    const mine = await runner.list({ kind: 'widgets', scope: '150821', limit: 200 });
    expect(mine).toHaveLength(own);
    expect(await runner.count({ kind: 'widgets', scope: '150822' })).toBe(0);
  });
});

describe('writeXlsx', () => {
  it('writes cells that a spreadsheet would run as formulas as plain text', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    await writeXlsx(
      out,
      'x',
      [{ header: 'v', value: (r: string) => r }],
      ['=HYPERLINK("http://x")', '+1', 'ok', '-2'],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const values = wb.worksheets[0].getColumn(1).values.slice(2);
    expect(values).toEqual(['\'=HYPERLINK("http://x")', "'+1", 'ok', "'-2"]);
  });
});
