import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Readable } from 'node:stream';
import { CsvError } from 'csv-parse';
import { tableRows } from '../../rectification/application/table-rows.js';
import { DomainError } from '@edu/contracts';
import { OFFICIAL_COLUMNS, parseOfficialRow, type Official, type RowProblem } from '../domain/official.js';
import { DirectoryRepository } from '../persistence/directory.repository.js';

export enum DirectoryErrorCode {
  MissingColumns = 'DIRECTORY_MISSING_COLUMNS',
  MalformedCsv = 'DIRECTORY_MALFORMED_CSV',
}

export interface ImportOfficialsResult {
  received: number;
  upserted: number;
  rejected: RowProblem[];
}

/**
 * Imports the officials directory from CSV: every row validated, good rows upserted by
 * official_id, bad rows reported with line, field and reason (and nothing stored for them).
 */
@Injectable()
export class ImportOfficialsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: DirectoryRepository,
  ) {}

  async execute(source: Readable): Promise<ImportOfficialsResult> {
    const known = new Set((await this.directory.jurisdictions()).map((j) => j.code));
    const valid = new Map<string, Official>();
    const rejected: RowProblem[] = [];
    let received = 0;
    try {
      for await (const { line, record } of tableRows(source, 'csv', (h) => h.toLowerCase(), {
        columns: OFFICIAL_COLUMNS,
        code: DirectoryErrorCode.MissingColumns,
      })) {
        received++;
        const result = parseOfficialRow(line, record, (c) => known.has(c));
        if ('problems' in result) rejected.push(...result.problems);
        else valid.set(result.official.officialId, result.official);
      }
    } catch (e) {
      if (e instanceof CsvError) {
        throw new DomainError(
          DirectoryErrorCode.MalformedCsv,
          `line ${(e as CsvError & { lines?: number }).lines ?? '?'}: ${e.message}`,
        );
      }
      throw e;
    }
    const officials = [...valid.values()];
    await this.dataSource.transaction((em) => this.directory.upsertOfficials(em, officials));
    return { received, upserted: officials.length, rejected };
  }
}
