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
  /** The temporary staging table holding `line` and the kind's staging columns. */
  stage: string;
  /** How many rows the staging table holds. */
  rowsStaged: number;
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
  toRow(value: T): CopyValue[];
  /** Runs in the import's transaction, after every good row is staged. */
  apply(em: EntityManager, ctx: ApplyContext): Promise<ApplyResult>;
}
