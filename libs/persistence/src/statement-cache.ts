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

/** A bare `BEGIN` or `START TRANSACTION`, and a bare end of a transaction. */
const BEGIN = /^\s*(?:begin|start\s+transaction)\s*;?\s*$/i;
const END = /^\s*(commit|rollback|end|abort)\s*;?\s*$/i;

type Callback = (err: Error | null, result?: unknown) => void;

/** What pg answers to a statement that returns no rows; TypeORM reads `rows`, `rowCount` and `command`. */
const noRows = (command: string) => ({ command, rowCount: null, oid: null, rows: [], fields: [] });

interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parsedStatements: Record<string, string>;
  parse(query: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[] }): void;
  execute(config: { portal: string; rows: number }): void;
}

interface PgQuery {
  callback?: Callback;
  submit(connection: WireConnection): Error | null;
  handleCommandComplete(msg: unknown, connection: WireConnection): void;
}
const PgQuery = pg.Query as unknown as new (config: object) => PgQuery;

/**
 * A statement that carries its transaction's `BEGIN`: both go out in one write, the `BEGIN`
 * as an extended-protocol statement ahead of it under the same Sync, so Postgres answers both
 * in one reply. Should the `BEGIN` fail, Postgres skips the statement and this query fails
 * with the error; otherwise the `BEGIN`'s completion is dropped and the result is the
 * statement's alone.
 */
class AfterBegin extends PgQuery {
  private begun = false;

  constructor(
    private readonly begin: string,
    config: { name?: string; text: string; values: unknown[] },
  ) {
    super(config);
  }

  override submit(connection: WireConnection): Error | null {
    connection.stream.cork?.();
    try {
      connection.parse({ text: this.begin, name: '', types: [] });
      connection.bind({ portal: '', statement: '', values: [] });
      connection.execute({ portal: '', rows: 0 });
      return super.submit(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  override handleCommandComplete(msg: unknown, connection: WireConnection): void {
    if (this.begun) super.handleCommandComplete(msg, connection);
    else this.begun = true;
  }
}

/**
 * A pg client that
 * - runs plan-stable statements (see `isPlanStable`) as named prepared statements: Postgres
 *   parses and plans each once per connection instead of once per call, and the client sends
 *   only Bind and Execute after the first time (the messaging library's outbox insert cost
 *   Postgres about a third less CPU once prepared);
 * - sends a transaction's `BEGIN` with its first statement, in the same write and the same
 *   round trip, instead of a round trip of its own (a transaction of two inserts takes three
 *   round trips instead of four). The `BEGIN` is answered at once and held; the next statement
 *   with parameters carries it. A statement that cannot (one without parameters, which runs
 *   under the simple protocol, a COPY, a cursor, a named statement not yet parsed on this
 *   connection) waits until the `BEGIN` alone has succeeded. A `COMMIT` or `ROLLBACK` of a
 *   transaction that ran nothing is answered without going to Postgres.
 *
 * TypeORM's `query` can neither name a statement nor send two at once; the pool gets this
 * client through `dataSourceOptions`, so every repository and handler benefits, as JDBC's and
 * Npgsql's automatic preparation, and Npgsql's `BEGIN` sent with the next command, do for
 * theirs. Only in pg's default mode: a client in pipeline mode is left as it is.
 *
 * A connection pooler in transaction mode must support prepared statements (PgBouncer 1.21+
 * with `max_prepared_statements`), as for the messaging library's own inserts.
 */
export class StatementCachingClient extends pg.Client {
  /** A `BEGIN` answered but not sent yet: it goes out with the next statement. */
  heldBegin?: string;
}

function answer(result: unknown, callback: unknown): unknown {
  if (typeof callback !== 'function') return Promise.resolve(result);
  process.nextTick(() => (callback as Callback)(null, result));
  return undefined;
}

/** Runs a query object, through pg's queue, as a promise or with the caller's callback. */
function submit(client: pg.Client, query: PgQuery, callback: unknown): unknown {
  if (typeof callback === 'function') {
    query.callback = callback as Callback;
    plainQuery.call(client, query);
    return undefined;
  }
  return new Promise((resolve, reject) => {
    query.callback = (err, result) => (err ? reject(err) : resolve(result));
    plainQuery.call(client, query);
  });
}

// pg's `query` has a dozen overloads; `(text[, values][, callback])` and `(config[, callback])`
// are looked at, anything else (a COPY stream, a cursor) goes through as it is.
StatementCachingClient.prototype.query = function query(this: StatementCachingClient, ...args: unknown[]) {
  const [first, second, third] = args;
  const config =
    typeof first === 'string'
      ? { text: first, values: Array.isArray(second) ? (second as unknown[]) : undefined }
      : typeof first === 'object' &&
          first !== null &&
          typeof (first as { submit?: unknown }).submit !== 'function'
        ? (first as { name?: string; text?: string; values?: unknown[]; rows?: number })
        : undefined;
  const callback = typeof second === 'function' ? second : third;
  const bare = config !== undefined && typeof config.text === 'string' && !config.values?.length;
  const pipelined = (this as unknown as { pipeline?: boolean }).pipeline === true;

  if (bare && !pipelined && BEGIN.test(config.text as string)) {
    // A second BEGIN before anything ran is the first one again.
    this.heldBegin = config.text;
    return answer(noRows('BEGIN'), callback);
  }
  const held = this.heldBegin;
  if (held !== undefined) {
    this.heldBegin = undefined;
    const end = bare ? END.exec(config.text as string) : null;
    if (end) return answer(noRows(/^(?:rollback|abort)$/i.test(end[1]) ? 'ROLLBACK' : 'COMMIT'), callback);
    const text = config?.text;
    const values = config?.values;
    if (typeof text === 'string' && values?.length && config?.rows === undefined) {
      const name = config?.name ?? (typeof first === 'string' ? statementName(text) : undefined);
      const connection = (this as unknown as { connection: WireConnection }).connection;
      // A name not yet parsed here is parsed with this call; its ParseComplete must not be the BEGIN's.
      if (name === undefined || connection.parsedStatements[name] === text) {
        return submit(this, new AfterBegin(held, { ...config, text, values, name }), callback);
      }
    }
    // The statement cannot carry it: the BEGIN first, and the statement once it succeeded.
    if (config === undefined) {
      (plainQuery.call(this, held) as Promise<unknown>).catch(() => undefined);
      return plainQuery.apply(this, args);
    }
    const begun = plainQuery.call(this, held) as Promise<unknown>;
    const run = () => this.query(...(args as [string]));
    if (typeof callback !== 'function') return begun.then(run);
    begun.then(run, callback as Callback);
    return undefined;
  }
  if (typeof first === 'string' && Array.isArray(second) && second.length > 0) {
    const name = statementName(first);
    if (name !== undefined) {
      const named = { name, text: first, values: second };
      return third === undefined ? plainQuery.call(this, named) : plainQuery.call(this, named, third);
    }
  }
  return plainQuery.apply(this, args);
} as unknown as pg.Client['query'];
