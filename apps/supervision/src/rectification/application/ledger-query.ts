import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { safeCell } from '@edu/imports';
import { Clock } from '@edu/service';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import { LEDGER_COLUMNS, ledgerRow } from '../domain/ledger-columns.js';
import {
  PROBLEM_FRONT_NAMES,
  SOURCE_NAMES,
  STATUS_NAMES,
  type RectificationProblem,
} from '../domain/rectification-problem.js';
import { RectificationRepository, type LedgerFilter } from '../persistence/rectification.repository.js';

const PAGE = 1000;

export function problemView(p: RectificationProblem, today: string) {
  const s = p.state;
  return {
    ...s,
    sourceName: SOURCE_NAMES[s.source],
    frontName: PROBLEM_FRONT_NAMES[s.front],
    statusName: STATUS_NAMES[s.status],
    overdue: p.isOverdue(today),
  };
}

/** The ledger with its filters, as JSON pages or as one streamed XLSX workbook. */
@Injectable()
export class LedgerQuery {
  constructor(
    private readonly problems: RectificationRepository,
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
  ) {}

  async page(filter: Omit<LedgerFilter, 'today'>, limit: number, after?: string) {
    const today = this.clock.today();
    const f = { ...filter, today };
    const cursor = after ? { county: after.slice(0, 6), ref: after.slice(7) } : undefined;
    const rows = await this.problems.ledger(f, limit, cursor);
    const last = rows.at(-1)?.state;
    return {
      total: await this.problems.count(f),
      items: rows.map((p) => problemView(p, today)),
      next: rows.length === limit && last ? `${last.countyCode}:${last.ref}` : null,
    };
  }

  /** Streams the filtered ledger into `out` as an XLSX workbook, a page at a time (memory stays flat). */
  async xlsx(filter: Omit<LedgerFilter, 'today'>, out: Writable): Promise<number> {
    const today = this.clock.today();
    const names = new Map((await this.directory.jurisdictions()).map((j) => [j.code, j.name]));
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: false,
      useStyles: true,
    });
    const sheet = workbook.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = LEDGER_COLUMNS.map((c) => ({
      header: c.heading,
      key: c.field,
      width: ['description', 'measures', 'evidence'].includes(c.field) ? 40 : 14,
    }));
    sheet.getRow(1).font = { bold: true };
    let rows = 0;
    let after: { county: string; ref: string } | undefined;
    for (;;) {
      const page = await this.problems.ledger({ ...filter, today }, PAGE, after);
      for (const p of page) {
        const row = ledgerRow(p.state, names.get(p.state.countyCode) ?? p.state.countyCode, today);
        // Text that would start a formula is written as text (formula injection).
        sheet.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, safeCell(v)]))).commit();
        rows++;
      }
      if (page.length < PAGE) break;
      const last = page[page.length - 1].state;
      after = { county: last.countyCode, ref: last.ref };
    }
    sheet.commit();
    await workbook.commit();
    return rows;
  }
}
