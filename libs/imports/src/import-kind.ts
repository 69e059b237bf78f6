import type { Principal } from '@edu/auth';
import type { EntityManager } from 'typeorm';

/** A refused row: where, which field, why. Never the rejected value itself (it may be an ID number). */
export interface RowProblem {
  line: number;
  field: string;
  reason: string;
}

export interface ImportContext {
  by: Principal;
  /** The only county a county operator may load; undefined for city-wide roles. */
  scope: string | undefined;
}

export interface ApplyContext extends ImportContext {
  importId: string;
  /**
   * The temporary staging table holding `line` and the kind's staging columns; or, when the
   * kind's `direct` gave a target, that table.
   */
  stage: string;
  /** How many rows the staging table (or the direct target) received. */
  rowsStaged: number;
  /** Whether the rows went straight into the kind's own table (see `ImportKind.direct`). */
  direct: boolean;
}

/** Where `ImportKind.direct` loads: a table, and its columns COPY fills — the line, then one per `toRow` value. */
export interface DirectTarget {
  table: string;
  columns: readonly string[];
  /**
   * The table was created or emptied (TRUNCATE) by `direct`, in the import's transaction:
   * COPY may write the rows frozen (`FREEZE`), so that their first readers need not set
   * and write the hint bits of every page. Other sessions see them once the import commits
   * even if their snapshot is older: for a first load only.
   */
  freeze?: boolean;
}

export interface ApplyResult {
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows refused by set-based checks (e.g. a key repeated within the file). */
  problems?: RowProblem[];
}

export type CopyValue = string | number | boolean | null;

/**
 * The fields of one CSV line as UTF-8 bytes, for `ImportKind.encoder`. The runner hands over
 * only lines it can vouch for: no quote, valid UTF-8, every field already trimmed (nothing
 * to trim at either end), exactly as many fields as the header.
 */
export interface CsvLineBytes {
  readonly bytes: Uint8Array;
  /** Where field i (in the file's order of columns) starts in `bytes`. */
  readonly starts: Int32Array;
  /** Where field i ends (exclusive). */
  readonly ends: Int32Array;
}

/** Where a `RowEncoder` writes a row's COPY text (FORMAT text), value after value. */
export interface CopyTextWriter {
  /** A tab, before each value. */
  tab(): void;
  /** Bytes `from` to `to` of `src`, as they are: the caller knows they need no escaping. */
  bytes(src: Uint8Array, from: number, to: number): void;
  /** ASCII text that needs no escaping (`\N`, a fixed word, a UUID). */
  ascii(text: string): void;
  /**
   * A tab, then bytes `from` to `to` with each comma written as a tab: fields that follow one
   * another in the line as in the COPY text, in one go (the caller knows they need no escaping).
   */
  fields(src: Uint8Array, from: number, to: number): void;
}

/**
 * Validates a CSV line in place and writes its COPY text, without the record, the parsed
 * value and the row array of `parse` and `toRow` (a million-row file spends most of its
 * Node time on those). It must be a shortcut and nothing else: it accepts a row only when
 * `parse` would accept it, and then writes, after the line number the runner wrote, a tab
 * and a value for each value `toRow` gives, exactly as `copyTextLine` would write them.
 * For anything else it returns false (what it wrote is discarded) and the runner takes
 * the row through `parse` and `toRow`, which decide and word the problems.
 */
export interface RowEncoder {
  encode(row: CsvLineBytes, out: CopyTextWriter): boolean;
}

/**
 * One kind of file a service imports: the columns it needs, how a row is validated, the
 * staging table it is COPY'd into, and the set-based SQL that applies the staging table.
 */
export interface ImportKind<T> {
  kind: string;
  /** Header names that must be present (lower case); others are ignored. */
  columns: readonly string[];
  /** Staging columns, in the order `toRow` returns values. */
  staging: readonly { name: string; type: string }[];
  /** Validates one row: the value to stage, or every problem of the row. */
  parse(record: Record<string, string>, line: number, ctx: ImportContext): T | RowProblem[];
  /** The values to stage (or to load, after `direct`), in order; the runner may reuse the array. */
  toRow(value: T): CopyValue[];
  /**
   * Optional, for CSV: a `RowEncoder` for a file with this header (lower case, trimmed, as
   * the records' keys), or null. Called once the header is read, after `direct`.
   */
  encoder?(header: readonly string[], ctx: ImportContext): RowEncoder | null;
  /**
   * Optional: load the good rows straight into the kind's own table instead of staging them,
   * e.g. a first load into an empty table, where there is nothing to compare with. Runs in the
   * import's transaction before the first row is read (what it locks stays locked until the
   * import commits); returns the target, or null to stage as usual. `apply` then finds the
   * rows in the target.
   */
  direct?(em: EntityManager, ctx: ImportContext & { importId: string }): Promise<DirectTarget | null>;
  /** Runs in the import's transaction, after every good row is staged. */
  apply(em: EntityManager, ctx: ApplyContext): Promise<ApplyResult>;
}
