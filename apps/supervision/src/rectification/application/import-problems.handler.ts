import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { countyScope, type Principal } from '@edu/auth';
import { readRows, type TabularFormat } from '@edu/imports';
import { Clock } from '@edu/service';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import {
  FIELD_COLUMN,
  frontCode,
  ledgerField,
  REQUIRED_IMPORT_FIELDS,
  sourceCode,
} from '../domain/ledger-columns.js';
import { checkProblemInput, RectificationProblem } from '../domain/rectification-problem.js';
import { RectificationRepository } from '../persistence/rectification.repository.js';

export interface RowProblem {
  line: number;
  field: string;
  reason: string;
}

export interface ImportProblemsResult {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RowProblem[];
}

const BATCH = 500;

/**
 * Loads a problem list (CSV or XLSX, streamed): every row checked and reported by line and
 * column when bad; good rows inserted, or update the open problem with the same number.
 * A closed problem is never reopened by an import; a file imported twice changes nothing.
 */
@Injectable()
export class ImportProblemsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problems: RectificationRepository,
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
  ) {}

  async execute(source: Readable, format: TabularFormat, by: Principal): Promise<ImportProblemsResult> {
    const known = new Set((await this.directory.jurisdictions()).map((j) => j.code));
    const scope = countyScope(by);
    const today = this.clock.today();
    const result: ImportProblemsResult = { received: 0, created: 0, updated: 0, unchanged: 0, rejected: [] };
    let batch: { line: number; problem: RectificationProblem }[] = [];
    const seen = new Map<string, number>();
    for await (const { line, record } of readRows(source, format, REQUIRED_IMPORT_FIELDS, {
      header: ledgerField,
      codes: { missingColumns: 'RECTIFICATION_MISSING_COLUMNS', malformed: 'RECTIFICATION_MALFORMED_FILE' },
      refuseExtraFields: true,
    })) {
      result.received++;
      const input = {
        ref: record.ref,
        source: sourceCode(record.source ?? ''),
        description: record.description,
        countyCode: record.county_code,
        front: frontCode(record.front ?? ''),
        measures: record.measures,
        foundOn: record.found_on || null,
        deadline: record.deadline || null,
        leadDepartment: record.lead_department,
        responsibleLeader: record.responsible_leader,
      };
      const checked = checkProblemInput(input, today, (c) => known.has(c));
      if ('problems' in checked) {
        result.rejected.push(
          ...checked.problems.map((p) => ({
            line,
            field: FIELD_COLUMN[p.field] ?? p.field,
            reason: p.reason,
          })),
        );
        continue;
      }
      if (scope !== undefined && checked.value.countyCode !== scope) {
        result.rejected.push({
          line,
          field: 'county_code',
          reason: `${checked.value.countyCode} is outside your jurisdiction`,
        });
        continue;
      }
      const earlier = seen.get(checked.value.ref);
      if (earlier !== undefined) {
        result.rejected.push({
          line,
          field: 'ref',
          reason: `${checked.value.ref} is also on line ${earlier}`,
        });
        continue;
      }
      seen.set(checked.value.ref, line);
      batch.push({
        line,
        problem: RectificationProblem.register(
          randomUUID(),
          input,
          by.sub,
          today,
          this.clock.now(),
          () => true,
        ),
      });
      if (batch.length >= BATCH) {
        await this.flush(batch, result);
        batch = [];
      }
    }
    await this.flush(batch, result);
    return result;
  }

  private async flush(
    batch: { line: number; problem: RectificationProblem }[],
    result: ImportProblemsResult,
  ) {
    if (batch.length === 0) return;
    await this.dataSource.transaction(async (em) => {
      const existing = await this.problems.byRefs(
        em,
        batch.map((b) => b.problem.state.ref),
      );
      const accepted = batch.filter(({ line, problem }) => {
        const e = existing.get(problem.state.ref);
        if (e?.status === 'closed') {
          result.rejected.push({
            line,
            field: 'ref',
            reason: `${problem.state.ref} is closed; an import does not reopen it`,
          });
          return false;
        }
        if (e && e.countyCode !== problem.state.countyCode) {
          result.rejected.push({
            line,
            field: 'ref',
            reason: `${problem.state.ref} is a problem of county ${e.countyCode}`,
          });
          return false;
        }
        return true;
      });
      const { inserted, updated } = await this.problems.upsert(
        em,
        accepted.map((a) => a.problem),
      );
      result.created += inserted.length;
      result.updated += updated.length;
      result.unchanged += accepted.length - inserted.length - updated.length;
    });
  }
}
