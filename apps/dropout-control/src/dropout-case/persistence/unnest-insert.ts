/** One column of a set-based insert: its name, its Postgres type, and how a row gives its value. */
export interface InsertColumn<R> {
  name: string;
  type: string;
  value: (row: R) => unknown;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/**
 * `INSERT INTO table (…) SELECT … FROM unnest(…)`: one statement for any number of rows. A
 * column whose value is the same in every row is bound once as a scalar instead of as an
 * array of copies: a batch of cases opened by one run shares most of its columns (state,
 * deadline, who and when, the nulls of a new case), and every array costs both sides a parse.
 * `tail` follows the SELECT (ON CONFLICT, RETURNING).
 */
export function unnestInsert<R>(
  table: string,
  columns: readonly InsertColumn<R>[],
  rows: readonly R[],
  tail = '',
): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('unnestInsert: no rows');
  const params: unknown[] = [];
  const selected: string[] = [];
  const arrays: string[] = [];
  for (const { type, value } of columns) {
    const values = rows.map(value);
    const first = values[0];
    if (values.every((v) => sameValue(v, first))) {
      params.push(first);
      selected.push(`$${params.length}::${type}`);
    } else {
      params.push(values);
      arrays.push(`$${params.length}::${type}[]`);
      selected.push(`u.c${arrays.length}`);
    }
  }
  const from =
    arrays.length === 0
      ? ''
      : ` FROM unnest(${arrays.join(', ')}) AS u(${arrays.map((_, i) => `c${i + 1}`).join(', ')})`;
  return {
    sql: `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT ${selected.join(', ')}${from}${tail ? ` ${tail}` : ''}`,
    params,
  };
}
