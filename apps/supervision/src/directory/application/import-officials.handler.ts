import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Readable } from 'node:stream';
import { readRows } from '@edu/imports';
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
    for await (const { line, record } of readRows(source, 'csv', OFFICIAL_COLUMNS, {
      codes: {
        missingColumns: DirectoryErrorCode.MissingColumns,
        malformed: DirectoryErrorCode.MalformedCsv,
      },
      refuseExtraFields: true,
    })) {
      received++;
      const result = parseOfficialRow(line, record, (c) => known.has(c));
      if ('problems' in result) rejected.push(...result.problems);
      else valid.set(result.official.officialId, result.official);
    }
    const officials = [...valid.values()];
    await this.dataSource.transaction((em) => this.directory.upsertOfficials(em, officials));
    return { received, upserted: officials.length, rejected };
  }
}
