import { unnestInsert, type InsertColumn } from './unnest-insert.js';

interface Row {
  id: string;
  state: string;
  at: Date;
  note: string | null;
}

const COLUMNS: InsertColumn<Row>[] = [
  { name: 'id', type: 'uuid', value: (r) => r.id },
  { name: 'state', type: 'text', value: (r) => r.state },
  { name: 'at', type: 'timestamptz', value: (r) => r.at },
  { name: 'note', type: 'text', value: (r) => r.note },
];

describe('unnestInsert', () => {
  it('binds a column the same in every row once, and the others as arrays', () => {
    const rows: Row[] = [
      { id: 'a', state: 'opened', at: new Date('2020-09-10T02:00:00Z'), note: null },
      { id: 'b', state: 'opened', at: new Date('2020-09-10T02:00:00Z'), note: 'x' },
    ];
    expect(unnestInsert('t', COLUMNS, rows, 'RETURNING id')).toEqual({
      sql:
        'INSERT INTO t (id, state, at, note) SELECT u.c1, $2::text, $3::timestamptz, u.c2 ' +
        'FROM unnest($1::uuid[], $4::text[]) AS u(c1, c2) RETURNING id',
      params: [['a', 'b'], 'opened', rows[0].at, [null, 'x']],
    });
  });

  it('compares dates by their time, and tells apart values that only look alike', () => {
    const rows: Row[] = [
      { id: 'a', state: '1', at: new Date('2020-09-10T02:00:00Z'), note: null },
      { id: 'a', state: '1', at: new Date('2020-09-10T02:00:00.001Z'), note: '' },
    ];
    const { sql, params } = unnestInsert('t', COLUMNS, rows);
    expect(sql).toBe(
      'INSERT INTO t (id, state, at, note) SELECT $1::uuid, $2::text, u.c1, u.c2 ' +
        'FROM unnest($3::timestamptz[], $4::text[]) AS u(c1, c2)',
    );
    expect(params).toEqual(['a', '1', rows.map((r) => r.at), [null, '']]);
  });

  it('writes a single row as scalars, without unnest', () => {
    const row: Row = { id: 'a', state: 'opened', at: new Date(0), note: null };
    expect(unnestInsert('t', COLUMNS, [row])).toEqual({
      sql: 'INSERT INTO t (id, state, at, note) SELECT $1::uuid, $2::text, $3::timestamptz, $4::text',
      params: ['a', 'opened', row.at, null],
    });
  });

  it('numbers its parameters after those of a statement it joins, and adds them to its list', () => {
    const rows: Row[] = [
      { id: 'a', state: 'opened', at: new Date(0), note: null },
      { id: 'b', state: 'opened', at: new Date(0), note: null },
    ];
    const params: unknown[] = ['before'];
    const { sql, params: out } = unnestInsert('t', COLUMNS, rows, '', params);
    expect(sql).toBe(
      'INSERT INTO t (id, state, at, note) SELECT u.c1, $3::text, $4::timestamptz, $5::text ' +
        'FROM unnest($2::uuid[]) AS u(c1)',
    );
    expect(out).toBe(params);
    expect(params).toEqual(['before', ['a', 'b'], 'opened', rows[0].at, null]);
  });

  it('builds a tail from the expression each column is selected by, array or scalar', () => {
    const rows: Row[] = [
      { id: 'a', state: 'opened', at: new Date(0), note: null },
      { id: 'b', state: 'opened', at: new Date(0), note: null },
    ];
    const where = (column: (name: string) => string) => `WHERE ${column('id')} <> ${column('state')}`;
    expect(unnestInsert('t', COLUMNS, rows, where).sql).toMatch(/ WHERE u\.c1 <> \$2::text$/);
    expect(unnestInsert('t', COLUMNS, [rows[0]], where).sql).toMatch(/ WHERE \$1::uuid <> \$2::text$/);
    expect(() => unnestInsert('t', COLUMNS, rows, (column) => column('nope'))).toThrow('no column nope');
  });

  it('refuses an empty batch', () => {
    expect(() => unnestInsert('t', COLUMNS, [])).toThrow('no rows');
  });
});
