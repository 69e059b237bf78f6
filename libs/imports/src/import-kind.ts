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
