import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';
import type { EntityManager } from 'typeorm';
import { prepared } from './prepared.js';

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
const ROLLBACK = /^(?:rollback|abort)$/i;

type Callback = (err: Error | null, result?: unknown) => void;

/** What pg answers to a statement that returns no rows; TypeORM reads `rows`, `rowCount` and `command`. */
const noRows = (command: string) => ({ command, rowCount: null, oid: null, rows: [], fields: [] });

interface WireConnection {
  stream: { cork?: () => void; uncork?: () => void };
  parsedStatements: Record<string, string>;
  parse(query: { text: string; name: string; types: unknown[] }): void;
  bind(config: { portal: string; statement: string; values: unknown[]; valueMapper?: unknown }): void;
  execute(config: { portal: string; rows: number }): void;
}

interface PgQuery {
  callback?: Callback;
  submit(connection: WireConnection): Error | null;
  handleCommandComplete(msg: unknown, connection: WireConnection): void;
}
const PgQuery = pg.Query as unknown as new (config: object) => PgQuery;
/** pg's own mapping of a parameter to its wire form (dates, arrays, objects as JSON). */
const { prepareValue } = pgUtils;

/**
 * A statement sent ahead of the next one instead of on its own: a transaction's `BEGIN`, or a
 * statement whose result nobody reads (see `StatementCachingClient.defer`). It returns no rows,
 * and is either unnamed or named and already parsed on the connection.
 */
interface Held {
  text: string;
  name?: string;
  values: unknown[];
}

/**
 * A statement that carries the held statements before it: all go out in one write, the held
 * ones as extended-protocol statements ahead of it under the same Sync, so Postgres answers
 * all in one reply. Should a held statement fail, Postgres skips the rest and this query fails
 * with its error; otherwise their completions are dropped and the result is this statement's.
 */
class Carrying extends PgQuery {
  private pending: number;

  constructor(
    private readonly held: Held[],
    config: object,
  ) {
    super(config);
    this.pending = held.length;
  }

  override submit(connection: WireConnection): Error | null {
    connection.stream.cork?.();
    try {
      for (const h of this.held) {
        if (h.name === undefined) connection.parse({ text: h.text, name: '', types: [] });
        connection.bind({ portal: '', statement: h.name ?? '', values: h.values, valueMapper: prepareValue });
        connection.execute({ portal: '', rows: 0 });
      }
      return super.submit(connection);
    } finally {
      connection.stream.uncork?.();
    }
  }

  override handleCommandComplete(msg: unknown, connection: WireConnection): void {
    if (this.pending > 0) this.pending--;
    else super.handleCommandComplete(msg, connection);
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
 *   round trips instead of four), and likewise a statement handed to `defer` with the
 *   statement after it, often the `COMMIT`. A held statement is answered at once; the next
 *   statement with parameters, or a `COMMIT`, carries it. A statement that cannot (one
 *   without parameters, which runs under the simple protocol, a COPY, a cursor, a named
 *   statement not yet parsed on this connection) waits until the held ones alone have
 *   succeeded, and fails with their error if one failed. A `ROLLBACK` drops what is held, and
 *   a `COMMIT` or `ROLLBACK` of a transaction that ran nothing is answered without Postgres.
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
  /** Statements answered or accepted but not sent yet: they go out with the next statement. */
  held: Held[] = [];
  /** Whether the transaction's `BEGIN` is among them (its `COMMIT` or `ROLLBACK` needs no round trip then). */
  beginHeld = false;

  /**
   * Holds a statement whose result nobody reads, inside an open transaction, to go out with
   * the transaction's next statement or its `COMMIT`, in the same write: its error, if it has
   * one, fails that statement (so the transaction cannot commit), and a `ROLLBACK` drops it.
   * Returns false, holding nothing, for a statement that cannot be held (a named statement not
   * yet parsed on this connection, or one that returns rows): the caller runs it as usual.
   */
  defer(statement: Held): boolean {
    if (/\breturning\b/i.test(statement.text)) return false;
    const parsed = (this as unknown as { connection: WireConnection }).connection.parsedStatements;
    if (statement.name !== undefined && parsed[statement.name] !== statement.text) return false;
    this.held.push(statement);
    return true;
  }
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

/** The held statements one after another, each on its own, as plain queries. */
function sendHeld(client: pg.Client, held: Held[]): Promise<unknown> {
  return held.reduce<Promise<unknown>>(
    (previous, h) => previous.then(() => plainQuery.call(client, { ...h })),
    Promise.resolve(),
  );
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
    if (!this.beginHeld) this.held.push({ text: config.text as string, values: [] });
    this.beginHeld = true;
    return answer(noRows('BEGIN'), callback);
  }
  if (this.held.length > 0) {
    const held = this.held;
    const beginHeld = this.beginHeld;
    this.held = [];
    this.beginHeld = false;
    const end = bare ? END.exec(config.text as string) : null;
    if (end && ROLLBACK.test(end[1])) {
      // What was held never reaches Postgres; nor does the ROLLBACK if its BEGIN did not.
      return beginHeld ? answer(noRows('ROLLBACK'), callback) : plainQuery.apply(this, args);
    }
    if (end && beginHeld && held.length === 1) return answer(noRows('COMMIT'), callback);
    const connection = (this as unknown as { connection: WireConnection }).connection;
    const text = config?.text;
    if (end) {
      // The COMMIT carries them, as an extended-protocol statement.
      return submit(this, new Carrying(held, { text, values: [], queryMode: 'extended' }), callback);
    }
    if (typeof text === 'string' && config?.values?.length && config.rows === undefined) {
      const name = config.name ?? (typeof first === 'string' ? statementName(text) : undefined);
      // A name not yet parsed here is parsed with this call; its ParseComplete must not be another's.
      if (name === undefined || connection.parsedStatements[name] === text) {
        return submit(this, new Carrying(held, { ...config, text, name }), callback);
      }
    }
    // The statement cannot carry them: they go first, and the statement once they succeeded.
    if (config === undefined) {
      sendHeld(this, held).catch(() => undefined);
      return plainQuery.apply(this, args);
    }
    const sent = sendHeld(this, held);
    const run = () => this.query(...(args as [string]));
    if (typeof callback !== 'function') return sent.then(run);
    sent.then(run, callback as Callback);
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

/**
 * Runs an INSERT whose result nobody reads inside `em`'s transaction without a round trip of
 * its own when the connection's client can hold it (see `StatementCachingClient.defer`): it
 * goes out with the transaction's next statement or its COMMIT, and its error, if any, fails
 * that statement and so the transaction. Outside a transaction, or when it cannot be held
 * (the first time on a connection), it runs at once, prepared under `name` (by default the
 * name `statementName` gives it) so that later ones can be held.
 */
export async function insertWithNext(
  em: EntityManager,
  text: string,
  values: unknown[],
  name: string | undefined = statementName(text),
): Promise<void> {
  const runner = em.queryRunner;
  if (runner?.isTransactionActive && !runner.isReleased) {
    const client = await runner.connect();
    if (client instanceof StatementCachingClient && client.defer({ name, text, values })) return;
  }
  if (name === undefined) await em.query(text, values);
  else await prepared(em, name, text, values);
}
