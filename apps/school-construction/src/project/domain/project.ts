import type { DomainEvent } from '@edu/contracts';
import type { MonitoringPolicy } from '../../monitoring-policy/domain/monitoring-policy.js';
import { daysBetween, isCalendarDate } from './calendar-date.js';
import { toFen, toYuan } from './money.js';
import { projectError } from './project.errors.js';

export const PROJECT_KINDS = [
  'relocation_site_school',
  'renovation_expansion',
  'township_boarding_school',
  'small_rural_school',
  'teacher_dormitory',
  'kindergarten',
  'special_education',
] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];

/** In the order they must be completed. */
export const MILESTONE_KINDS = [
  'approval',
  'tender',
  'ground_breaking',
  'structure_complete',
  'acceptance',
  'in_use',
] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

/** 中央, 自治区, 市, 旗县区 funds, special-purpose bonds (专项债券) and anything else. */
export const FUNDING_SOURCES = [
  'central',
  'autonomous_region',
  'city',
  'county',
  'special_bond',
  'other',
] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];

/** The stages a relocation site's school-age children are counted by (dropout.relocation-demand). */
export const SCHOOL_STAGES = ['preschool', 'primary', 'junior'] as const;
export type SchoolStage = (typeof SCHOOL_STAGES)[number];
export type Seats = Record<SchoolStage, number>;

/**
 * Construction items are exempt from the 30 June rectification deadline (DOMAIN.md): every
 * deadline of a project is its own — each milestone's planned date, and the reporting
 * interval of the monitoring policy — never the rectification ledger's date.
 */
export const EXEMPT_FROM_RECTIFICATION_DEADLINE = true;

export interface MilestoneProps {
  id: string;
  kind: MilestoneKind;
  /** The milestone's deadline (see EXEMPT_FROM_RECTIFICATION_DEADLINE). */
  plannedDate: string;
  completedOn: string | null;
  /** Set once the missed milestone was reported, so a sweep reports it once. */
  overdueRaisedOn: string | null;
}

export interface FundingLine {
  source: FundingSource;
  amountFen: number;
}

export interface ProjectProps {
  id: string;
  /** The bureau's project number; the key of imports. */
  code: string | null;
  name: string;
  kind: ProjectKind;
  countyCode: string;
  siteCode: string | null;
  /** In a newly delisted county (新摘帽旗县): listed for priority supervision. */
  priority: boolean;
  /** In FUNDING_SOURCES order, each source once. */
  funding: FundingLine[];
  spentFen: number;
  /** Seats by stage; capacitySeats is the whole school's, which may include other stages. */
  seats: Seats;
  capacitySeats: number | null;
  capacityBeds: number | null;
  /** When the project was registered here: progress reports are due from then on. */
  registeredOn: string;
  percentComplete: number | null;
  lastReportOn: string | null;
  /** Set while the project is reported stalled (no progress report for too long). */
  stalledSince: string | null;
  /** Set while the project is reported over budget. */
  overrunSince: string | null;
  /** Always all six, in MILESTONE_KINDS order. */
  milestones: MilestoneProps[];
}

export interface FundingInput {
  source: string;
  /** Yuan, e.g. "1250000.00". */
  amount: string;
}

export interface CreateProject {
  id: string;
  code?: string;
  name: string;
  kind: string;
  countyCode: string;
  siteCode?: string;
  priority?: boolean;
  funding?: FundingInput[];
  spentToDate?: string;
  seats?: Partial<Seats>;
  capacitySeats?: number;
  capacityBeds?: number;
  /** Defaults to the planned approval date. */
  registeredOn?: string;
  milestones: { id: string; kind: string; plannedDate: string }[];
}

/** What may change after registration; kind, county and code stay. */
export interface ProjectRevision {
  name?: string;
  siteCode?: string | null;
  priority?: boolean;
  funding?: FundingInput[];
  spentToDate?: string;
  seats?: Partial<Seats>;
  capacitySeats?: number | null;
  capacityBeds?: number | null;
}

export interface DocumentRef {
  title: string;
  /** A document number (文号), archive reference or URL. */
  reference: string;
}

export interface ProgressReportProps {
  id: string;
  projectId: string;
  reportedOn: string;
  percentComplete: number;
  narrative: string;
  documents: DocumentRef[];
  /** Spend to date as reported, when the report gave it. */
  spentFen: number | null;
  reportedBy: string;
}

export interface ReportProgress {
  id: string;
  reportedOn: string;
  percentComplete: number;
  narrative: string;
  documents?: DocumentRef[];
  spentToDate?: string;
  reportedBy: string;
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function checkCapacity(field: string, value: number | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw projectError.invalidCapacity(field);
  return value;
}

function parseSeats(input: Partial<Seats> | undefined): Seats {
  const seats: Seats = { preschool: 0, primary: 0, junior: 0 };
  for (const [stage, value] of Object.entries(input ?? {})) {
    if (value === undefined) continue;
    if (!oneOf(SCHOOL_STAGES, stage)) throw projectError.invalidCapacity(`seats.${stage}`, 0);
    if (!Number.isInteger(value) || value < 0 || value > 100_000)
      throw projectError.invalidCapacity(`seats.${stage}`, 0);
    seats[stage] = value;
  }
  return seats;
}

function stagedSeats(seats: Seats): number {
  return seats.preschool + seats.primary + seats.junior;
}

function totalSeats(capacitySeats: number | null, seats: Seats): number | null {
  const staged = stagedSeats(seats);
  if (capacitySeats === null) return staged > 0 ? staged : null;
  if (capacitySeats < staged) throw projectError.seatsBelowStages(capacitySeats, staged);
  return capacitySeats;
}

export function parseFunding(input: readonly FundingInput[]): FundingLine[] {
  const bySource = new Map<FundingSource, number>();
  for (const line of input) {
    if (!oneOf(FUNDING_SOURCES, line.source))
      throw projectError.invalidFunding(`source must be one of ${FUNDING_SOURCES.join(', ')}`);
    if (bySource.has(line.source)) throw projectError.invalidFunding(`${line.source} is given twice`);
    const fen = toFen(line.amount);
    if (fen === null) throw projectError.invalidAmount(`funding.${line.source}`);
    bySource.set(line.source, fen);
  }
  return FUNDING_SOURCES.filter((s) => bySource.has(s)).map((source) => ({
    source,
    amountFen: bySource.get(source) as number,
  }));
}

function parseSpend(text: string | undefined): number | null {
  if (text === undefined) return null;
  const fen = toFen(text);
  if (fen === null) throw projectError.invalidAmount('spentToDate');
  return fen;
}

function parseSiteCode(text: string | null | undefined): string | null {
  const code = text?.trim() ?? '';
  return code === '' ? null : code;
}

/**
 * A construction project (a relocation-site school, a boarding school, a dormitory …): its
 * milestones, budget by funding source, spend, capacity and progress. Milestones complete in
 * order; a missed milestone, spend beyond the budget and a project that stopped reporting
 * progress are breaches, each reported once while it lasts and settled when it ends.
 */
export class Project {
  private constructor(private props: ProjectProps) {}

  static create(input: CreateProject): Project {
    if (!oneOf(PROJECT_KINDS, input.kind)) throw projectError.invalidKind(PROJECT_KINDS);
    const name = input.name.trim();
    if (name === '') throw projectError.invalidName();
    const code = input.code?.trim();
    if (code !== undefined && (code.length < 1 || code.length > 64)) throw projectError.invalidCode();
    const byKind = new Map<string, { id: string; plannedDate: string }>();
    for (const m of input.milestones) {
      if (!oneOf(MILESTONE_KINDS, m.kind))
        throw projectError.invalidMilestones(`kind must be one of ${MILESTONE_KINDS.join(', ')}`);
      if (byKind.has(m.kind)) throw projectError.invalidMilestones(`${m.kind} is given twice`);
      if (!isCalendarDate(m.plannedDate)) throw projectError.invalidDate(`${m.kind}.plannedDate`);
      byKind.set(m.kind, m);
    }
    const missing = MILESTONE_KINDS.filter((k) => !byKind.has(k));
    if (missing.length > 0) throw projectError.invalidMilestones(`missing ${missing.join(', ')}`);
    const milestones = MILESTONE_KINDS.map((kind) => {
      const m = byKind.get(kind) as { id: string; plannedDate: string };
      return { id: m.id, kind, plannedDate: m.plannedDate, completedOn: null, overdueRaisedOn: null };
    });
    for (let i = 1; i < milestones.length; i++) {
      if (milestones[i].plannedDate < milestones[i - 1].plannedDate)
        throw projectError.invalidMilestones(
          `${milestones[i].kind} is planned before ${milestones[i - 1].kind}`,
        );
    }
    if (input.registeredOn !== undefined && !isCalendarDate(input.registeredOn))
      throw projectError.invalidDate('registeredOn');
    const seats = parseSeats(input.seats);
    return new Project({
      id: input.id,
      code: code ?? null,
      name,
      kind: input.kind,
      countyCode: input.countyCode,
      siteCode: parseSiteCode(input.siteCode),
      priority: input.priority ?? false,
      funding: parseFunding(input.funding ?? []),
      spentFen: parseSpend(input.spentToDate) ?? 0,
      seats,
      capacitySeats: totalSeats(checkCapacity('capacitySeats', input.capacitySeats), seats),
      capacityBeds: checkCapacity('capacityBeds', input.capacityBeds),
      registeredOn: input.registeredOn ?? milestones[0].plannedDate,
      percentComplete: null,
      lastReportOn: null,
      stalledSince: null,
      overrunSince: null,
      milestones,
    });
  }

  static restore(props: ProjectProps): Project {
    return new Project({
      ...props,
      seats: { ...props.seats },
      funding: props.funding.map((f) => ({ ...f })),
      milestones: props.milestones.map((m) => ({ ...m })),
    });
  }

  get state(): Readonly<ProjectProps> {
    return this.props;
  }

  /** All funding sources together. */
  get budgetFen(): number {
    return this.props.funding.reduce((sum, f) => sum + f.amountFen, 0);
  }

  /** The school (or dormitory) is in use: the project is done. */
  get inUse(): boolean {
    return this.props.milestones[MILESTONE_KINDS.length - 1].completedOn !== null;
  }

  /**
   * Completes a milestone on a date no later than today, after its predecessor and not
   * before the predecessor's date. Repeating the same completion changes nothing. Putting the
   * school in use ends progress monitoring, settling a stall.
   */
  complete(kind: string, completedOn: string, today: string): DomainEvent[] {
    if (!oneOf(MILESTONE_KINDS, kind)) throw projectError.unknownMilestone(MILESTONE_KINDS);
    if (!isCalendarDate(completedOn)) throw projectError.invalidDate('completedOn');
    const at = MILESTONE_KINDS.indexOf(kind);
    const milestone = this.props.milestones[at];
    if (milestone.completedOn !== null) {
      if (milestone.completedOn === completedOn) return [];
      throw projectError.alreadyCompleted(kind, milestone.completedOn);
    }
    const before = at > 0 ? this.props.milestones[at - 1] : undefined;
    if (before && before.completedOn === null) throw projectError.outOfOrder(kind, before.kind);
    if (completedOn > today) throw projectError.completedInFuture(today);
    if (before?.completedOn && completedOn < before.completedOn)
      throw projectError.beforePredecessor(kind, before.kind, before.completedOn);
    milestone.completedOn = completedOn;
    const events: DomainEvent[] = [
      {
        key: 'construction.milestone.completed.v1',
        data: {
          projectId: this.props.id,
          milestoneId: milestone.id,
          milestone: milestone.kind,
          countyCode: this.props.countyCode,
          completedOn,
        },
      },
    ];
    if (this.inUse) events.push(...this.resume(today));
    return events;
  }

  /** Reports every milestone past its planned date and not completed, each once. */
  markOverdue(today: string): DomainEvent[] {
    const events: DomainEvent[] = [];
    for (const m of this.props.milestones) {
      if (m.completedOn !== null || m.overdueRaisedOn !== null || today <= m.plannedDate) continue;
      m.overdueRaisedOn = today;
      events.push({
        key: 'construction.milestone.overdue.v1',
        data: {
          projectId: this.props.id,
          milestoneId: m.id,
          milestone: m.kind,
          countyCode: this.props.countyCode,
          plannedDate: m.plannedDate,
        },
      });
    }
    return events;
  }

  /** No progress report for more than the policy's days, while the project is under way. */
  isStalled(today: string, policy: MonitoringPolicy): boolean {
    if (this.inUse) return false;
    const since = this.props.lastReportOn ?? this.props.registeredOn;
    return daysBetween(since, today) > policy.stalledAfterDays;
  }

  /** Reports a stall once; a progress report (or putting the school in use) settles it. */
  checkProgress(today: string, policy: MonitoringPolicy): DomainEvent[] {
    if (this.props.stalledSince !== null || !this.isStalled(today, policy)) return [];
    this.props.stalledSince = today;
    const last = this.props.lastReportOn;
    return [
      {
        key: 'construction.progress.stalled.v1',
        data: {
          projectId: this.props.id,
          countyCode: this.props.countyCode,
          ...(last === null ? {} : { lastReportOn: last }),
          since: last ?? this.props.registeredOn,
          stalledAfterDays: policy.stalledAfterDays,
          detectedOn: today,
        },
      },
    ];
  }

  isOverrun(policy: MonitoringPolicy): boolean {
    const budget = this.budgetFen;
    // Without a recorded budget there is nothing to overrun.
    return budget > 0 && this.props.spentFen * 100 > budget * (100 + policy.overrunTolerancePercent);
  }

  /** Reports an overrun once, and its end when the budget covers the spend again. */
  assessBudget(today: string, policy: MonitoringPolicy): DomainEvent[] {
    const over = this.isOverrun(policy);
    const base = { projectId: this.props.id, countyCode: this.props.countyCode };
    const budget = toYuan(this.budgetFen);
    const spent = toYuan(this.props.spentFen);
    if (over && this.props.overrunSince === null) {
      this.props.overrunSince = today;
      return [
        {
          key: 'construction.budget.overrun.v1',
          data: {
            ...base,
            budget,
            spent,
            overrun: toYuan(this.props.spentFen - this.budgetFen),
            tolerancePercent: policy.overrunTolerancePercent,
            detectedOn: today,
          },
        },
      ];
    }
    if (!over && this.props.overrunSince !== null) {
      this.props.overrunSince = null;
      return [
        { key: 'construction.budget.restored.v1', data: { ...base, budget, spent, restoredOn: today } },
      ];
    }
    return [];
  }

  /** Everything a sweep checks: missed milestones, a stall, the budget. */
  review(today: string, policy: MonitoringPolicy): DomainEvent[] {
    return [
      ...this.markOverdue(today),
      ...this.checkProgress(today, policy),
      ...this.assessBudget(today, policy),
    ];
  }

  /**
   * Records a progress report. The latest report (by date) gives the project its percent
   * complete and, when it states one, its spend to date; an older report is kept as history.
   * A report that brings the project within the reporting interval settles a stall.
   */
  report(
    input: ReportProgress,
    today: string,
    policy: MonitoringPolicy,
  ): { report: ProgressReportProps; events: DomainEvent[] } {
    if (!isCalendarDate(input.reportedOn)) throw projectError.invalidDate('reportedOn');
    if (input.reportedOn > today) throw projectError.reportInFuture(today);
    if (!Number.isInteger(input.percentComplete) || input.percentComplete < 0 || input.percentComplete > 100)
      throw projectError.invalidReport('percentComplete must be a whole number from 0 to 100');
    const narrative = input.narrative.trim();
    if (narrative === '') throw projectError.invalidReport('narrative must not be empty');
    const documents = (input.documents ?? []).map((d) => ({
      title: d.title.trim(),
      reference: d.reference.trim(),
    }));
    if (documents.some((d) => d.title === '' || d.reference === ''))
      throw projectError.invalidReport('every document needs a title and a reference');
    const spentFen = parseSpend(input.spentToDate);
    const report: ProgressReportProps = {
      id: input.id,
      projectId: this.props.id,
      reportedOn: input.reportedOn,
      percentComplete: input.percentComplete,
      narrative,
      documents,
      spentFen,
      reportedBy: input.reportedBy,
    };
    if (this.props.lastReportOn === null || input.reportedOn >= this.props.lastReportOn) {
      this.props.lastReportOn = input.reportedOn;
      this.props.percentComplete = input.percentComplete;
      if (spentFen !== null) this.props.spentFen = spentFen;
    }
    const events = this.isStalled(today, policy) ? [] : this.resume(today);
    return { report, events: [...events, ...this.assessBudget(today, policy)] };
  }

  /** Changes what may change after registration, then re-checks the budget. */
  revise(changes: ProjectRevision, today: string, policy: MonitoringPolicy): DomainEvent[] {
    const next = { ...this.props };
    if (changes.name !== undefined) {
      next.name = changes.name.trim();
      if (next.name === '') throw projectError.invalidName();
    }
    if (changes.siteCode !== undefined) next.siteCode = parseSiteCode(changes.siteCode);
    if (changes.priority !== undefined) next.priority = changes.priority;
    if (changes.funding !== undefined) next.funding = parseFunding(changes.funding);
    if (changes.spentToDate !== undefined) next.spentFen = parseSpend(changes.spentToDate) ?? 0;
    if (changes.capacityBeds !== undefined)
      next.capacityBeds = checkCapacity('capacityBeds', changes.capacityBeds);
    if (changes.seats !== undefined || changes.capacitySeats !== undefined) {
      next.seats = changes.seats !== undefined ? parseSeats(changes.seats) : { ...next.seats };
      let total = changes.capacitySeats;
      if (total === undefined) {
        // Only the stages changed: seats of other stages (e.g. senior high) stay as they were.
        const others = (this.props.capacitySeats ?? 0) - stagedSeats(this.props.seats);
        const sum = others + stagedSeats(next.seats);
        total = sum > 0 ? sum : null;
      }
      next.capacitySeats = totalSeats(checkCapacity('capacitySeats', total), next.seats);
    }
    this.props = next;
    return this.assessBudget(today, policy);
  }

  private resume(today: string): DomainEvent[] {
    const since = this.props.stalledSince;
    if (since === null) return [];
    this.props.stalledSince = null;
    return [
      {
        key: 'construction.progress.resumed.v1',
        data: {
          projectId: this.props.id,
          countyCode: this.props.countyCode,
          stalledSince: since,
          resumedOn: today,
        },
      },
    ];
  }
}
