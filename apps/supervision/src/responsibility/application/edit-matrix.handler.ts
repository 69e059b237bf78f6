import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Readable } from 'node:stream';
import { DomainError } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import { readRows } from '@edu/imports';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { parseMatrixRow, type ResponsibilityEntry } from '../domain/responsibility.js';
import { ResponsibilityRepository } from '../persistence/responsibility.repository.js';

export enum MatrixErrorCode {
  Invalid = 'MATRIX_INVALID_ENTRY',
  MissingColumns = 'MATRIX_MISSING_COLUMNS',
  MalformedCsv = 'MATRIX_MALFORMED_CSV',
}

export interface MatrixEntryInput {
  leadDepartment?: string | null;
  responsibleOfficialId?: string | null;
  bureauHeadOfficialId?: string | null;
  partyCommitteeOfficialId?: string | null;
}

/** Sets one cell of the responsibility matrix, or loads many from CSV (upserted by county and front). */
@Injectable()
export class EditMatrixHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: DirectoryRepository,
    private readonly matrix: ResponsibilityRepository,
  ) {}

  private async lookups() {
    const known = new Set((await this.directory.jurisdictions()).map((j) => j.code));
    const officials = new Map((await this.directory.listOfficials()).map((o) => [o.officialId, o]));
    return { knownCounty: (c: string) => known.has(c), official: (id: string) => officials.get(id) };
  }

  async put(
    countyCode: string,
    front: string,
    input: MatrixEntryInput,
    by: Principal,
  ): Promise<ResponsibilityEntry> {
    const { knownCounty, official } = await this.lookups();
    const result = parseMatrixRow(
      0,
      {
        county_code: countyCode,
        front,
        lead_department: input.leadDepartment,
        responsible_official_id: input.responsibleOfficialId,
        bureau_head_official_id: input.bureauHeadOfficialId,
        party_committee_official_id: input.partyCommitteeOfficialId,
      },
      knownCounty,
      official,
    );
    if ('problems' in result) {
      throw new DomainError(
        MatrixErrorCode.Invalid,
        result.problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
      );
    }
    await this.dataSource.transaction((em) => this.matrix.upsert(em, [result.entry], by.sub));
    return result.entry;
  }

  async import(source: Readable, by: Principal) {
    const { knownCounty, official } = await this.lookups();
    const valid = new Map<string, ResponsibilityEntry>();
    const rejected: { line: number; field: string; reason: string }[] = [];
    let received = 0;
    for await (const { line, record } of readRows(source, 'csv', ['county_code', 'front'], {
      codes: { missingColumns: MatrixErrorCode.MissingColumns, malformed: MatrixErrorCode.MalformedCsv },
      refuseExtraFields: true,
    })) {
      received++;
      const r = parseMatrixRow(line, record, knownCounty, official);
      if ('problems' in r) rejected.push(...r.problems);
      else valid.set(`${r.entry.countyCode}/${r.entry.front}`, r.entry);
    }
    const entries = [...valid.values()];
    await this.dataSource.transaction((em) => this.matrix.upsert(em, entries, by.sub));
    return { received, upserted: entries.length, rejected };
  }
}
