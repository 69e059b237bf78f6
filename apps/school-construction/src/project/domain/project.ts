import type { DomainEvent } from '@edu/contracts';
import { isCalendarDate } from './calendar-date.js';
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

export interface MilestoneProps {
  id: string;
  kind: MilestoneKind;
  plannedDate: string;
  completedOn: string | null;
  /** Set once the missed milestone was reported, so a sweep reports it once. */
  overdueRaisedOn: string | null;
}

export interface ProjectProps {
  id: string;
  name: string;
  kind: ProjectKind;
  countyCode: string;
  siteCode: string | null;
  capacitySeats: number | null;
  capacityBeds: number | null;
  /** Always all six, in MILESTONE_KINDS order. */
  milestones: MilestoneProps[];
}

export interface CreateProject {
  id: string;
  name: string;
  kind: string;
  countyCode: string;
  siteCode?: string;
  capacitySeats?: number;
  capacityBeds?: number;
  milestones: { id: string; kind: string; plannedDate: string }[];
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

function checkCapacity(field: string, value: number | undefined): number | null {
  if (value === undefined) return null;
  if (!Number.isInteger(value) || value < 1) throw projectError.invalidCapacity(field);
  return value;
}

/**
 * A construction project (a relocation-site school, a boarding school, a dormitory …) and
 * its milestones. Milestones complete in order; one past its planned date and not
 * completed is a breach, reported once.
 */
export class Project {
  private constructor(private props: ProjectProps) {}

  static create(input: CreateProject): Project {
    if (!oneOf(PROJECT_KINDS, input.kind)) throw projectError.invalidKind(PROJECT_KINDS);
    const name = input.name.trim();
    if (name === '') throw projectError.invalidName();
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
    return new Project({
      id: input.id,
      name,
      kind: input.kind,
      countyCode: input.countyCode,
      siteCode: input.siteCode?.trim() || null,
      capacitySeats: checkCapacity('capacitySeats', input.capacitySeats),
      capacityBeds: checkCapacity('capacityBeds', input.capacityBeds),
      milestones,
    });
  }

  static restore(props: ProjectProps): Project {
    return new Project({ ...props, milestones: props.milestones.map((m) => ({ ...m })) });
  }

  get state(): Readonly<ProjectProps> {
    return this.props;
  }

  /**
   * Completes a milestone on a date no later than today, after its predecessor and not
   * before the predecessor's date. Repeating the same completion changes nothing.
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
    return [
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
}
