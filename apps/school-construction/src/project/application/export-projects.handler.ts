import { Injectable } from '@nestjs/common';
import type { Writable } from 'node:stream';
import { writeXlsx, type ExportColumn } from '@edu/imports';
import { Clock } from '@edu/service';
import { toYuan } from '../domain/money.js';
import { FUNDING_SOURCES, MILESTONE_KINDS, SCHOOL_STAGES, type Project } from '../domain/project.js';
import { ProjectRepository, type ProjectFilter } from '../persistence/project.repository.js';

const yuan = (fen: number) => Number(toYuan(fen));

/** The next milestone to complete, or null once in use. */
const next = (p: Project) => p.state.milestones.find((m) => m.completedOn === null) ?? null;

const COLUMNS: ExportColumn<Project>[] = [
  { header: 'code', value: (p) => p.state.code },
  { header: 'name', width: 32, value: (p) => p.state.name },
  { header: 'kind', width: 24, value: (p) => p.state.kind },
  { header: 'county_code', value: (p) => p.state.countyCode },
  { header: 'site_code', value: (p) => p.state.siteCode },
  { header: 'priority', value: (p) => (p.state.priority ? 'yes' : 'no') },
  ...MILESTONE_KINDS.flatMap((k, i): ExportColumn<Project>[] => [
    { header: `${k}_planned`, value: (p) => p.state.milestones[i].plannedDate },
    { header: `${k}_completed`, value: (p) => p.state.milestones[i].completedOn },
  ]),
  ...FUNDING_SOURCES.map((s): ExportColumn<Project> => ({
    header: `funding_${s}`,
    value: (p) => {
      const line = p.state.funding.find((f) => f.source === s);
      return line ? yuan(line.amountFen) : null;
    },
  })),
  { header: 'budget', value: (p) => yuan(p.budgetFen) },
  { header: 'spent_to_date', value: (p) => yuan(p.state.spentFen) },
  ...SCHOOL_STAGES.map((s): ExportColumn<Project> => ({
    header: `seats_${s}`,
    value: (p) => p.state.seats[s],
  })),
  { header: 'capacity_seats', value: (p) => p.state.capacitySeats },
  { header: 'capacity_beds', value: (p) => p.state.capacityBeds },
  { header: 'percent_complete', value: (p) => p.state.percentComplete },
  { header: 'last_report_on', value: (p) => p.state.lastReportOn },
  { header: 'next_milestone', value: (p) => next(p)?.kind ?? null },
  { header: 'next_planned', value: (p) => next(p)?.plannedDate ?? null },
  {
    header: 'overdue_milestones',
    value: (p) =>
      p.state.milestones.filter((m) => m.overdueRaisedOn !== null && m.completedOn === null).length,
  },
  { header: 'stalled_since', value: (p) => p.state.stalledSince },
  { header: 'overrun_since', value: (p) => p.state.overrunSince },
];

/**
 * The filtered project list as an XLSX workbook, streamed a page at a time. The first
 * columns are the import's, so an exported file can be edited and imported again.
 */
@Injectable()
export class ExportProjectsHandler {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly clock: Clock,
  ) {}

  filename(): string {
    return `projects-${this.clock.today()}.xlsx`;
  }

  write(out: Writable, filter: Omit<ProjectFilter, 'limit' | 'offset'>): Promise<void> {
    return writeXlsx(out, 'projects', COLUMNS, this.projects.iterate(filter));
  }
}
