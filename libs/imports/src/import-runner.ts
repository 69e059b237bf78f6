import { Logger } from '@nestjs/common';
import { countyScope, type Principal } from '@edu/auth';
import { DomainError } from '@edu/contracts';
import { counter } from '@edu/observability';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import { copyTextLine } from './copy-text.js';
import { CopyTextBuffer, CsvCopyReader } from './csv-copy.js';
import type { ImportContext, ImportKind, RowProblem } from './import-kind.js';
import { readRowBatches } from './row-reader.js';
import type { Upload } from './upload.js';

export type ImportStatus = 'running' | 'completed' | 'duplicate' | 'failed';

export interface ImportSummary {
  id: string;
  kind: string;
  filename: string | null;
  format: string;
  status: ImportStatus;
  rowsRead: number;
  rowsRejected: number;
  rowsLoaded: number;
  inserted: number;
  updated: number;
  unchanged: number;
  duplicateOf: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export interface ImportOptions {
  /** Lets the client poll progress of an import it is still uploading. */
  importId?: string;
  maxRows?: number;
}

export enum ImportErrorCode {
  TooManyRows = 'IMPORT_TOO_MANY_ROWS',
  Conflict = 'IMPORT_ID_IN_USE',
}

const rowsCounter = counter('import_rows_total', 'Rows read by imports, by kind and outcome', [
  'kind',
  'outcome',
]);

const ERROR_BATCH = 500;
const PROGRESS_EVERY_MS = 1000;
const COPY_CHUNK = 64 * 1024;

/**
 * Streams a CSV or XLSX upload into the database: every row validated, good rows COPY'd
 * into a temporary staging table, bad rows recorded with line, field and reason; then the
 * kind's set-based SQL applies the staging table, all in one transaction. The same file
 * (by SHA-256 of its bytes) imported again changes nothing. Memory stays flat: rows are
 * never collected, only streamed.
 */
export class ImportRunner {
  private readonly logger = new Logger(ImportRunner.name);

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(
    kind: ImportKind<T>,
    upload: Upload,
    by: Principal,
    options: ImportOptions = {},
  ): Promise<ImportSummary> {
    const id = options.importId ?? randomUUID();
    const ctx: ImportContext = { by, scope: countyScope(by) };
    try {
      await this.dataSource.query(
        `INSERT INTO import_job (id, kind, filename, format, status, started_by, county_scope)
         VALUES ($1, $2, $3, $4, 'running', $5, $6)`,
        [id, kind.kind, upload.filename, upload.format, by.sub, ctx.scope ?? null],
      );
    } catch (e) {
      upload.stream.resume();
      if ((e as { code?: string }).code === '23505') {
        throw new DomainError(ImportErrorCode.Conflict, `import ${id} already exists`, 'conflict');
      }
      throw e;
    }
    try {
      await this.load(id, kind, upload, ctx, options.maxRows ?? 5_000_000);
    } catch (e) {
      upload.stream.resume();
      const message = e instanceof DomainError ? e.message : 'import failed';
      if (!(e instanceof DomainError))
        this.logger.error(`import ${id} (${kind.kind}) failed: ${(e as Error).message}`);
      await this.dataSource.query(
        `UPDATE import_job SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`,
        [id, message],
      );
      throw e;
    }
    return (await this.summary(id)) as ImportSummary;
  }

  private async load<T>(
    id: string,
    kind: ImportKind<T>,
    upload: Upload,
    ctx: ImportContext,
    maxRows: number,
  ) {
    const hash = createHash('sha256');
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const bytes = upload.stream.pipe(tap);
    upload.stream.on('error', (e) => tap.destroy(e));
    // An upload failing while the import is still being set up (too large, a broken part)
    // is not lost: reading the rows rethrows it.
    tap.on('error', () => undefined);

    const runner = this.dataSource.createQueryRunner();
    const client = (await runner.connect()) as pg.PoolClient;
    let stage = `import_stage_${id.replace(/-/g, '')}`;
    let read = 0;
    let rejected = 0;
    let loaded = 0;
    const errors: RowProblem[] = [];
    const flushErrors = async () => {
      if (errors.length === 0) return;
      const batch = errors.splice(0);
      await this.dataSource.query(
        `INSERT INTO import_error (import_id, line, field, reason)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[])`,
        [id, batch.map((p) => p.line), batch.map((p) => p.field), batch.map((p) => p.reason)],
      );
    };
    let lastProgress = Date.now();
    const progress = async () => {
      await flushErrors();
      await this.dataSource.query(
        'UPDATE import_job SET rows_read = $2, rows_rejected = $3, rows_loaded = $4 WHERE id = $1',
        [id, read, rejected, loaded],
      );
    };
    try {
      await runner.startTransaction();
      const target = kind.direct ? await kind.direct(runner.manager, { ...ctx, importId: id }) : null;
      let columns: string[];
      if (target) {
        stage = target.table;
        columns = target.columns.map((c) => `"${c}"`);
      } else {
        const cols = kind.staging.map((c) => `"${c.name}" ${c.type}`).join(', ');
        await runner.query(`CREATE TEMP TABLE ${stage} (line int NOT NULL, ${cols}) ON COMMIT DROP`);
        columns = ['line', ...kind.staging.map((c) => `"${c.name}"`)];
      }
      const freeze = target?.freeze ? ' WITH (FREEZE)' : '';
      const copy = client.query(copyFrom(`COPY ${stage} (${columns.join(', ')}) FROM STDIN${freeze}`));
      const copied = once(copy, 'finish');
      // Rows go to COPY in ~64 KiB chunks (a socket write per row dominated large imports),
      // joined once per chunk rather than appended line by line.
      let pending: string[] = [];
      let pendingLength = 0;
      copied.catch(() => undefined);
      const send = async (buffers: Buffer[]) => {
        for (const b of buffers) if (!copy.write(b)) await once(copy, 'drain');
      };
      const checkpoint = async () => {
        if (errors.length >= ERROR_BATCH) await flushErrors();
        if (Date.now() - lastProgress > PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          await progress();
        }
      };
      try {
        if (upload.format === 'csv' && kind.encoder) {
          // Straight from the file's bytes to COPY text (see CsvCopyReader).
          const out = new CopyTextBuffer();
          const reader = new CsvCopyReader(kind, ctx, out, errors);
          const counted = () => {
            if (reader.read > maxRows) {
              throw new DomainError(ImportErrorCode.TooManyRows, `the file has more than ${maxRows} rows`);
            }
            ({ read, loaded, rejected } = reader);
          };
          for await (const chunk of bytes as AsyncIterable<Buffer | string>) {
            reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
            counted();
            if (out.length >= COPY_CHUNK) await send(out.take());
            await checkpoint();
          }
          reader.end();
          counted();
          await send(out.take());
        } else {
          for await (const batch of readRowBatches(bytes, upload.format, kind.columns)) {
            if (read + batch.length > maxRows) {
              throw new DomainError(ImportErrorCode.TooManyRows, `the file has more than ${maxRows} rows`);
            }
            read += batch.length;
            for (const { line, record } of batch) {
              const parsed = kind.parse(record, line, ctx);
              if (Array.isArray(parsed)) {
                rejected++;
                for (const p of parsed) errors.push(p);
              } else {
                loaded++;
                const text = copyTextLine(line, kind.toRow(parsed));
                pending.push(text);
                pendingLength += text.length;
              }
            }
            if (pendingLength >= COPY_CHUNK) {
              const chunk = pending.join('');
              pending = [];
              pendingLength = 0;
              if (!copy.write(chunk)) await once(copy, 'drain');
            }
            await checkpoint();
          }
        }
      } catch (e) {
        // Ends the COPY with CopyFail so the connection leaves copy mode before the rollback.
        copy.destroy(e as Error);
        await copied.catch(() => undefined);
        throw e;
      }
      copy.end(pending.join(''));
      await copied;
      // The hash covers every byte: read what the parser left (an XLSX's later parts).
      if (!bytes.readableEnded) {
        bytes.resume();
        await Promise.race([once(bytes, 'end'), once(bytes, 'close')]);
      }
      const sha256 = hash.digest('hex');
      rowsCounter.inc({ kind: kind.kind, outcome: 'loaded' }, loaded);
      rowsCounter.inc({ kind: kind.kind, outcome: 'rejected' }, rejected);

      const earlier: { id: string }[] = await runner.query(
        `SELECT id FROM import_job WHERE kind = $1 AND sha256 = $2 AND status = 'completed' ORDER BY started_at LIMIT 1`,
        [kind.kind, sha256],
      );
      if (earlier[0]) {
        await runner.rollbackTransaction();
        // The same bytes were applied before: report that, and throw away this run's row errors.
        errors.length = 0;
        await this.dataSource.query('DELETE FROM import_error WHERE import_id = $1', [id]);
        const prior = await this.summary(earlier[0].id);
        await this.dataSource.query(
          `UPDATE import_job SET status = 'duplicate', sha256 = $2, duplicate_of = $3, rows_read = $4,
             rows_rejected = $5, rows_loaded = 0, finished_at = now() WHERE id = $1`,
          [id, sha256, earlier[0].id, read, prior?.rowsRejected ?? rejected],
        );
        return;
      }
      const applied = await kind.apply(runner.manager, {
        ...ctx,
        importId: id,
        stage,
        rowsStaged: loaded,
        direct: target !== null,
      });
      await runner.commitTransaction();
      for (const p of applied.problems ?? []) errors.push(p);
      rejected += applied.problems?.length ?? 0;
      loaded -= applied.problems?.length ?? 0;
      await flushErrors();
      await this.dataSource.query(
        `UPDATE import_job SET status = 'completed', sha256 = $2, rows_read = $3, rows_rejected = $4,
           rows_loaded = $5, inserted = $6, updated = $7, unchanged = $8, finished_at = now() WHERE id = $1`,
        [id, sha256, read, rejected, loaded, applied.inserted, applied.updated, applied.unchanged],
      );
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }

  async summary(id: string, scope?: string): Promise<ImportSummary | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `SELECT * FROM import_job WHERE id = $1 AND ($2::char(6) IS NULL OR county_scope = $2)`,
      [id, scope ?? null],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id as string,
      kind: r.kind as string,
      filename: r.filename as string | null,
      format: r.format as string,
      status: r.status as ImportStatus,
      rowsRead: r.rows_read as number,
      rowsRejected: r.rows_rejected as number,
      rowsLoaded: r.rows_loaded as number,
      inserted: r.inserted as number,
      updated: r.updated as number,
      unchanged: r.unchanged as number,
      duplicateOf: r.duplicate_of as string | null,
      error: r.error as string | null,
      startedAt: (r.started_at as Date).toISOString(),
      finishedAt: r.finished_at ? (r.finished_at as Date).toISOString() : null,
    };
  }

  async rejectedRows(id: string, limit: number, offset: number): Promise<RowProblem[]> {
    return this.dataSource.query(
      'SELECT line, field, reason FROM import_error WHERE import_id = $1 ORDER BY line, field LIMIT $2 OFFSET $3',
      [id, limit, offset],
    );
  }

  /** Imports, newest first (the id breaks ties, so pages never overlap). */
  async list(filter: ImportFilter & { limit: number; offset?: number }): Promise<ImportSummary[]> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM import_job WHERE ${IMPORT_FILTER}
         ORDER BY started_at DESC, id DESC LIMIT $4 OFFSET $5`,
      [...importFilterParams(filter), filter.limit, filter.offset ?? 0],
    );
    const out: ImportSummary[] = [];
    for (const r of rows) {
      const s = await this.summary(r.id);
      if (s) out.push(s);
    }
    return out;
  }

  /** How many imports the filter selects. */
  async count(filter: ImportFilter): Promise<number> {
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM import_job WHERE ${IMPORT_FILTER}`,
      importFilterParams(filter),
    );
    return total;
  }
}

export interface ImportFilter {
  kind?: string;
  status?: string;
  /** A county operator's county: only the imports made for it. */
  scope?: string;
}

const IMPORT_FILTER = `($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR status = $2)
         AND ($3::char(6) IS NULL OR county_scope = $3)`;
const importFilterParams = (f: ImportFilter) => [f.kind ?? null, f.status ?? null, f.scope ?? null];
