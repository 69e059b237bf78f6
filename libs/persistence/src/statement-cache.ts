import pg from 'pg';

/**
 * Most distinct statement texts one process prepares; past it, new texts run unnamed as before.
 * TypeORM writes one text per table and column list (and per row count of a multi-row insert),
 * so a service stays well under it; the cap bounds the memory in each Postgres backend.
 */
export const STATEMENT_CACHE_SIZE = 256;

const names = new Map<string, string>();

/**
 * Whether a statement's plan cannot depend on the data: an `INSERT … VALUES` of parameters,
 * with or without `ON CONFLICT` and `RETURNING` of named columns, and no query inside.
 * Postgres keeps a prepared statement's generic plan once it is no worse than the custom ones,
 * and never makes it again as tables grow; for a query that reads a table, the plan made while
 * it was small (a scan) would stay. An insert of given values has one plan whatever the data.
 */
export function isPlanStable(text: string): boolean {
  const t = text.trimStart();
  // Most statements are not inserts: one character says so before any regular expression.
  if ((t.charCodeAt(0) | 0x20) !== 0x69 || !/^insert\s+into\b/i.test(t)) return false;
  // `RETURNING *` is left alone: a column added by a migration while the service runs would
  // change its result type, which a prepared statement refuses until the connection is renewed.
  return /\bvalues\b/i.test(t) && !/\bselect\b/i.test(t) && !/\breturning\s+\*/i.test(t) && /\$1\b/.test(t);
}

/** The statement's name in this process, or undefined when it is not to be prepared. */
export function statementName(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= STATEMENT_CACHE_SIZE || !isPlanStable(text)) return undefined;
  const name = `edu_stmt_${names.size + 1}`;
  names.set(text, name);
  return name;
}

type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const plainQuery = pg.Client.prototype.query as Query;

/**
 * A pg client that runs plan-stable statements (see `isPlanStable`) as named prepared
 * statements: Postgres parses and plans each once per connection instead of once per call, and
 * the client sends only Bind and Execute after the first time (the messaging library's outbox
 * insert cost Postgres about a third less CPU once prepared). TypeORM's `query` cannot name a
 * statement; the pool gets this client through `dataSourceOptions`, so the inserts of every
 * repository and handler benefit, as JDBC's and Npgsql's automatic preparation do for theirs.
 *
 * A connection pooler in transaction mode must support prepared statements (PgBouncer 1.21+
 * with `max_prepared_statements`), as for the messaging library's own inserts.
 */
export class StatementCachingClient extends pg.Client {}

// pg's `query` has a dozen overloads; only `(text, values[, callback])` is rewritten.
StatementCachingClient.prototype.query = function query(this: pg.Client, ...args: unknown[]) {
  const [text, values, callback] = args;
  if (typeof text === 'string' && Array.isArray(values) && values.length > 0) {
    const name = statementName(text);
    if (name !== undefined) {
      const named = { name, text, values };
      return callback === undefined ? plainQuery.call(this, named) : plainQuery.call(this, named, callback);
    }
  }
  return plainQuery.apply(this, args);
} as unknown as pg.Client['query'];
