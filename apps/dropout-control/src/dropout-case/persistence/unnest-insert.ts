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
 * `tail` follows the SELECT (ON CONFLICT, RETURNING, or a WHERE built from the expression
 * each column is selected by). `params`, when given, is the statement's parameter list so
 * far: the insert's parameters are numbered after it and added to it, so that several
 * inserts can share one statement.
 */
export function unnestInsert<R>(
  table: string,
  columns: readonly InsertColumn<R>[],
  rows: readonly R[],
  tail: string | ((column: (name: string) => string) => string) = '',
  params: unknown[] = [],
): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('unnestInsert: no rows');
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
  const column = (name: string): string => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`unnestInsert: no column ${name}`);
    return selected[i];
  };
  const after = typeof tail === 'string' ? tail : tail(column);
  return {
    sql: `INSERT INTO ${table} (${columns.map((c) => c.name).join(', ')}) SELECT ${selected.join(', ')}${from}${after ? ` ${after}` : ''}`,
    params,
  };
}
