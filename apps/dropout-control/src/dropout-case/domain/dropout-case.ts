import type { DomainEvent } from '@edu/contracts';
import { addDays } from './calendar-date.js';
import { caseError } from './dropout-case.errors.js';

export const CASE_STATES = ['opened', 'verified', 'plan', 'resolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const DROPOUT_REASONS = [
  'poverty',
  'learning_difficulty',
  'illness',
  'disability',
  'work',
  'marriage',
  'other',
] as const;
export type DropoutReason = (typeof DROPOUT_REASONS)[number];

export const RESOLUTIONS = ['returned', 'placed', 'home_teaching', 'exempt'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export const EXEMPT_REASONS = ['moved_out', 'deceased', 'medically_certified'] as const;
export type ExemptReason = (typeof EXEMPT_REASONS)[number];

/** Days a case may stay in each state before it is overdue; configuration, not constants. */
export interface CaseDeadlines {
  /** opened → verified */
  verifyDays: number;
  /** verified → plan */
  planDays: number;
  /** plan → resolved */
  resolveDays: number;
  /** resolved → closed */
  closeDays: number;
}

/** When a transition happens and under which deadlines. */
export interface CaseMoment {
  now: Date;
  /** The bureau's calendar date for `now`. */
  today: string;
  deadlines: CaseDeadlines;
}

/** 包保: one persuader each from the school, the township and the village. */
export interface Persuaders {
  school: string;
  township: string;
  village: string;
}

export interface DropoutCaseProps {
  id: string;
  studentKey: string;
  /** Owned by this service; never leaves it except masked, never in events or logs. */
  studentIdNumber: string;
  name: string;
  countyCode: string;
  schoolCode: string;
  registeredPoor: boolean;
  reason: DropoutReason | null;
  state: CaseState;
  stateEnteredOn: string;
  /** Last day the case may stay in its state; null once closed. */
  deadline: string | null;
  /** States whose deadline was missed and reported, so a sweep reports each once. */
  overdueStates: CaseState[];
  persuaders: Persuaders | null;
  resolution: Resolution | null;
  resolutionSchoolCode: string | null;
  exemptReason: ExemptReason | null;
  closeEvidence: string | null;
  openedAt: string;
  verifiedAt: string | null;
  plannedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}

export interface OpenCase {
  id: string;
  studentKey: string;
  studentIdNumber: string;
  name: string;
  countyCode: string;
  schoolCode: string;
  registeredPoor: boolean;
  reason?: string;
}

export interface ResolveCase {
  resolution: string;
  schoolCode?: string;
  exemptReason?: string;
}

const DEADLINE_FIELD = {
  opened: 'verifyDays',
  verified: 'planDays',
  plan: 'resolveDays',
  resolved: 'closeDays',
} as const satisfies Record<Exclude<CaseState, 'closed'>, keyof CaseDeadlines>;

function checkDeadlines(deadlines: CaseDeadlines): void {
  for (const field of Object.values(DEADLINE_FIELD)) {
    const days = deadlines[field];
    if (!Number.isInteger(days) || days < 1) throw caseError.invalidDeadlines(field);
  }
}

function deadlineFor(state: CaseState, m: CaseMoment): string | null {
  return state === 'closed' ? null : addDays(m.today, m.deadlines[DEADLINE_FIELD[state]]);
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/**
 * One child's dropout case (一生一案): opened → verified (reason) → plan (persuaders) →
 * resolved (returned, placed, home teaching or exempt) → closed. Each state has a deadline;
 * missing it is a breach reported once per state.
 */
export class DropoutCase {
  private constructor(private props: DropoutCaseProps) {}

  static open(input: OpenCase, m: CaseMoment): { dropoutCase: DropoutCase; events: DomainEvent[] } {
    checkDeadlines(m.deadlines);
    if (input.reason !== undefined && !oneOf(DROPOUT_REASONS, input.reason))
      throw caseError.invalidReason(DROPOUT_REASONS);
    const c = new DropoutCase({
      id: input.id,
      studentKey: input.studentKey,
      studentIdNumber: input.studentIdNumber.toUpperCase(),
      name: input.name,
      countyCode: input.countyCode,
      schoolCode: input.schoolCode,
      registeredPoor: input.registeredPoor,
      reason: input.reason ?? null,
      state: 'opened',
      stateEnteredOn: m.today,
      deadline: deadlineFor('opened', m),
      overdueStates: [],
      persuaders: null,
      resolution: null,
      resolutionSchoolCode: null,
      exemptReason: null,
      closeEvidence: null,
      openedAt: m.now.toISOString(),
      verifiedAt: null,
      plannedAt: null,
      resolvedAt: null,
      closedAt: null,
    });
    const p = c.props;
    // The reason and poverty status stay in the case file: events must not carry them.
    const opened: DomainEvent<'dropout.case.opened.v1'> = {
      key: 'dropout.case.opened.v1',
      data: {
        caseId: p.id,
        studentKey: p.studentKey,
        countyCode: p.countyCode,
        schoolCode: p.schoolCode,
        openedAt: p.openedAt,
        verifyBy: p.deadline as string,
      },
    };
    return { dropoutCase: c, events: [opened] };
  }

  static restore(props: DropoutCaseProps): DropoutCase {
    return new DropoutCase({ ...props, overdueStates: [...props.overdueStates] });
  }

  get state(): Readonly<DropoutCaseProps> {
    return this.props;
  }

  /** The reason is confirmed by the investigation; given now or recorded at opening. */
  verify(reason: string | undefined, m: CaseMoment): DomainEvent[] {
    this.expect('opened', 'verify', m);
    const chosen = reason ?? this.props.reason;
    if (chosen === null) throw caseError.reasonRequired();
    if (!oneOf(DROPOUT_REASONS, chosen)) throw caseError.invalidReason(DROPOUT_REASONS);
    this.props.reason = chosen;
    this.props.verifiedAt = m.now.toISOString();
    this.enter('verified', m);
    return [];
  }

  /** A persuasion plan: one persuader each from the school, township and village. */
  plan(persuaders: Partial<Persuaders>, m: CaseMoment): DomainEvent[] {
    this.expect('verified', 'plan', m);
    const cleaned = {
      school: persuaders.school?.trim() ?? '',
      township: persuaders.township?.trim() ?? '',
      village: persuaders.village?.trim() ?? '',
    };
    const missing = Object.entries(cleaned)
      .filter(([, v]) => v === '')
      .map(([k]) => k);
    if (missing.length > 0) throw caseError.persuadersRequired(missing);
    this.props.persuaders = cleaned;
    this.props.plannedAt = m.now.toISOString();
    this.enter('plan', m);
    return [];
  }

  /** Returned (school named), placed (special school named), home teaching, or exempt (reason). */
  resolve(cmd: ResolveCase, m: CaseMoment): DomainEvent[] {
    this.expect('plan', 'resolve', m);
    if (!oneOf(RESOLUTIONS, cmd.resolution)) throw caseError.invalidResolution(RESOLUTIONS);
    const school = cmd.schoolCode?.trim() || undefined;
    if (cmd.resolution === 'exempt') {
      if (cmd.exemptReason === undefined || !oneOf(EXEMPT_REASONS, cmd.exemptReason))
        throw caseError.exemptReasonRequired(EXEMPT_REASONS);
      if (school !== undefined) throw caseError.exemptReasonNotAllowed();
    } else {
      if (cmd.exemptReason !== undefined) throw caseError.exemptReasonNotAllowed();
      if (cmd.resolution !== 'home_teaching' && school === undefined)
        throw caseError.schoolRequired(cmd.resolution);
    }
    const p = this.props;
    p.resolution = cmd.resolution;
    p.resolutionSchoolCode = school ?? null;
    p.exemptReason = cmd.resolution === 'exempt' ? (cmd.exemptReason as ExemptReason) : null;
    p.resolvedAt = m.now.toISOString();
    this.enter('resolved', m);
    return [
      {
        key: 'dropout.case.resolved.v1',
        data: {
          caseId: p.id,
          studentKey: p.studentKey,
          countyCode: p.countyCode,
          resolution: p.resolution,
          resolvedAt: p.resolvedAt,
        },
      },
    ];
  }

  /** Reconcile and close (对账销号): only a resolved case, only against evidence. */
  close(evidence: string | undefined, m: CaseMoment): DomainEvent[] {
    this.expect('resolved', 'close', m);
    const text = evidence?.trim() ?? '';
    if (text === '') throw caseError.evidenceRequired();
    this.props.closeEvidence = text;
    this.props.closedAt = m.now.toISOString();
    this.enter('closed', m);
    return [];
  }

  /** Reports the current state's missed deadline, once; nothing on the deadline day itself. */
  markOverdue(today: string): DomainEvent[] {
    const p = this.props;
    if (p.state === 'closed' || p.deadline === null) return [];
    if (today <= p.deadline || p.overdueStates.includes(p.state)) return [];
    p.overdueStates.push(p.state);
    return [
      {
        key: 'dropout.case.overdue.v1',
        data: {
          caseId: p.id,
          studentKey: p.studentKey,
          countyCode: p.countyCode,
          state: p.state,
          deadline: p.deadline,
        },
      },
    ];
  }

  /** Checked before anything changes, so a refused command leaves the case as it was. */
  private expect(from: CaseState, action: string, m: CaseMoment): void {
    if (this.props.state !== from) throw caseError.illegalTransition(action, this.props.state, from);
    checkDeadlines(m.deadlines);
  }

  private enter(state: CaseState, m: CaseMoment): void {
    this.props.deadline = deadlineFor(state, m);
    this.props.state = state;
    this.props.stateEnteredOn = m.today;
  }
}
