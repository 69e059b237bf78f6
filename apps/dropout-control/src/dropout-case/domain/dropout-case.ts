import type { DomainEvent } from '@edu/contracts';
import { addDays } from './calendar-date.js';
import { caseError } from './dropout-case.errors.js';
import { checkAttempt, type PersuasionAttempt, type PersuasionAttemptInput } from './persuasion-attempt.js';
import {
  DISABILITY_LEVELS,
  expectedPlacement,
  resolutionFor,
  type DisabilityLevel,
  type Placement,
} from './placement.js';

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

/** What the cross-check saw: not in the student registry at all, or registered as suspended or dropped. */
export const FINDINGS = ['not_in_registry', 'suspended', 'dropped'] as const;
export type Finding = (typeof FINDINGS)[number];

export const CASE_SOURCES = ['manual', 'crosscheck'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** Resolutions that put the child back in a school: seen dropped again, the case reopens. */
const IN_SCHOOL: readonly Resolution[] = ['returned', 'placed'];

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

/** Who acts on a case: the token's subject and role. */
export interface Actor {
  sub: string;
  role: string;
}

/** When a transition happens, under which deadlines, and who makes it. */
export interface CaseMoment {
  now: Date;
  /** The bureau's calendar date for `now`. */
  today: string;
  deadlines: CaseDeadlines;
  by: Actor;
}

/** 包保: one persuader each from the school, the township and the village. */
export interface Persuaders {
  school: string;
  township: string;
  village: string;
}

export const CASE_ACTIONS = [
  'open',
  'verify',
  'plan',
  'assess',
  'home_teaching_plan',
  'resolve',
  'close',
  'reopen',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** One line of the case's history: what was done, by whom, when. */
export interface CaseHistoryEntry {
  action: CaseAction;
  from: CaseState | null;
  to: CaseState;
  by: string;
  role: string;
  at: string;
  detail: Record<string, string | number | null> | null;
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
  /** The household plan (一家一案) the case belongs to, when the household is known. */
  householdId: string | null;
  township: string | null;
  village: string | null;
  disabilityLevel: DisabilityLevel;
  source: CaseSource;
  finding: Finding | null;
  reason: DropoutReason | null;
  state: CaseState;
  stateEnteredOn: string;
  /** Last day the case may stay in its state; null once closed. */
  deadline: string | null;
  /** States whose deadline was missed and reported in this cycle, so a sweep reports each once. */
  overdueStates: CaseState[];
  persuaders: Persuaders | null;
  /** Persuasion attempts logged since the case was (re)opened. */
  attemptsInCycle: number;
  homeTeachingPlanId: string | null;
  resolution: Resolution | null;
  resolutionSchoolCode: string | null;
  exemptReason: ExemptReason | null;
  exemptDocument: string | null;
  closeEvidence: string | null;
  reopenCount: number;
  openedAt: string;
  openedBy: string | null;
  verifiedAt: string | null;
  verifiedBy: string | null;
  plannedAt: string | null;
  plannedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reopenedAt: string | null;
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
  householdId?: string | null;
  township?: string | null;
  village?: string | null;
  disabilityLevel?: string;
  source?: CaseSource;
  finding?: string | null;
  /** The cross-check run that found the child, for the history. */
  crosscheckId?: string;
}

export interface ResolveCase {
  resolution: string;
  schoolCode?: string;
  exemptReason?: string;
  /** The reference of the document supporting an exemption (certificate, transfer record). */
  exemptDocument?: string;
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

function disabilityOf(value: string | undefined): DisabilityLevel {
  if (value === undefined) return 'none';
  if (!oneOf(DISABILITY_LEVELS, value)) throw caseError.invalidDisabilityLevel(DISABILITY_LEVELS);
  return value;
}

/**
 * One child's dropout case (一生一案): opened → verified (reason) → plan (persuaders) →
 * resolved (returned, placed, home teaching or exempt) → closed (by a second person). Each
 * state has a deadline; missing it is a breach reported once per state and deadline. A
 * child back in school who is seen dropped again reopens the same case.
 */
export class DropoutCase {
  private history: CaseHistoryEntry[] = [];

  private constructor(private props: DropoutCaseProps) {}

  static open(input: OpenCase, m: CaseMoment): { dropoutCase: DropoutCase; events: DomainEvent[] } {
    checkDeadlines(m.deadlines);
    if (input.reason !== undefined && !oneOf(DROPOUT_REASONS, input.reason))
      throw caseError.invalidReason(DROPOUT_REASONS);
    if (input.finding != null && !oneOf(FINDINGS, input.finding)) throw caseError.invalidFinding(FINDINGS);
    const c = new DropoutCase({
      id: input.id,
      studentKey: input.studentKey,
      studentIdNumber: input.studentIdNumber.toUpperCase(),
      name: input.name,
      countyCode: input.countyCode,
      schoolCode: input.schoolCode,
      registeredPoor: input.registeredPoor,
      householdId: input.householdId?.trim() || null,
      township: input.township ?? null,
      village: input.village ?? null,
      disabilityLevel: disabilityOf(input.disabilityLevel),
      source: input.source ?? 'manual',
      finding: input.finding ?? null,
      reason: input.reason ?? null,
      state: 'opened',
      stateEnteredOn: m.today,
      deadline: deadlineFor('opened', m),
      overdueStates: [],
      persuaders: null,
      attemptsInCycle: 0,
      homeTeachingPlanId: null,
      resolution: null,
      resolutionSchoolCode: null,
      exemptReason: null,
      exemptDocument: null,
      closeEvidence: null,
      reopenCount: 0,
      openedAt: m.now.toISOString(),
      openedBy: m.by.sub,
      verifiedAt: null,
      verifiedBy: null,
      plannedAt: null,
      plannedBy: null,
      resolvedAt: null,
      resolvedBy: null,
      closedAt: null,
      closedBy: null,
      reopenedAt: null,
    });
    const p = c.props;
    c.record(
      'open',
      null,
      m,
      p.finding ? { finding: p.finding, crosscheckId: input.crosscheckId ?? null } : null,
    );
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

  /** Where the child is expected to study, by disability level. */
  get expectedPlacement(): Placement {
    return expectedPlacement(this.props.disabilityLevel);
  }

  /** History lines recorded since the last call; the handler stores them with the case. */
  pullHistory(): CaseHistoryEntry[] {
    return this.history.splice(0);
  }

  /** The reason is confirmed by the investigation; given now or recorded at opening. */
  verify(reason: string | undefined, m: CaseMoment): DomainEvent[] {
    this.expect(['opened'], 'verify', m);
    const chosen = reason ?? this.props.reason;
    if (chosen === null) throw caseError.reasonRequired();
    if (!oneOf(DROPOUT_REASONS, chosen)) throw caseError.invalidReason(DROPOUT_REASONS);
    this.props.reason = chosen;
    this.props.verifiedAt = m.now.toISOString();
    this.props.verifiedBy = m.by.sub;
    this.enter('verified', 'verify', m, { reason: chosen });
    return [];
  }

  /** A persuasion plan: one persuader each from the school, township and village. */
  plan(persuaders: Partial<Persuaders>, m: CaseMoment): DomainEvent[] {
    this.expect(['verified'], 'plan', m);
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
    this.props.plannedBy = m.by.sub;
    this.enter('plan', 'plan', m, null);
    return [];
  }

  /** Logs a persuasion attempt on an open case; the handler stores the returned attempt. */
  logAttempt(input: PersuasionAttemptInput, m: CaseMoment): PersuasionAttempt {
    this.expect(['opened', 'verified', 'plan'], 'log an attempt on', m);
    const attempt = checkAttempt(input, this.props.openedAt.slice(0, 10), m.today);
    this.props.attemptsInCycle += 1;
    return attempt;
  }

  /** A new assessment of the disability level, which decides the expected placement. */
  assessDisability(level: string, m: CaseMoment): DomainEvent[] {
    this.expect(['opened', 'verified', 'plan'], 'reassess', m);
    const assessed = disabilityOf(level);
    const before = this.props.disabilityLevel;
    this.props.disabilityLevel = assessed;
    this.record('assess', this.props.state, m, { from: before, to: assessed });
    return [];
  }

  /** A severe case gets its home-teaching plan (送教上门) before it is resolved as home teaching. */
  attachHomeTeachingPlan(planId: string, m: CaseMoment): DomainEvent[] {
    this.expect(['opened', 'verified', 'plan'], 'plan home teaching for', m);
    if (this.expectedPlacement !== 'home_teaching')
      throw caseError.homeTeachingNotExpected(this.props.disabilityLevel);
    if (this.props.homeTeachingPlanId !== null) throw caseError.homeTeachingPlanExists();
    this.props.homeTeachingPlanId = planId;
    this.record('home_teaching_plan', this.props.state, m, { planId });
    return [];
  }

  /**
   * Returned (receiving school named, after at least one attempt), placed (special school
   * named), home teaching (a plan in place) or exempt (reason and document). The resolution
   * must carry out the placement the disability level calls for, unless exempt.
   */
  resolve(cmd: ResolveCase, m: CaseMoment): DomainEvent[] {
    this.expect(['plan'], 'resolve', m);
    if (!oneOf(RESOLUTIONS, cmd.resolution)) throw caseError.invalidResolution(RESOLUTIONS);
    const school = cmd.schoolCode?.trim() || undefined;
    const document = cmd.exemptDocument?.trim() || undefined;
    const p = this.props;
    if (cmd.resolution === 'exempt') {
      if (cmd.exemptReason === undefined || !oneOf(EXEMPT_REASONS, cmd.exemptReason))
        throw caseError.exemptReasonRequired(EXEMPT_REASONS);
      if (school !== undefined) throw caseError.exemptReasonNotAllowed();
      if (document === undefined) throw caseError.exemptDocumentRequired();
    } else {
      if (cmd.exemptReason !== undefined || document !== undefined) throw caseError.exemptReasonNotAllowed();
      const expected = resolutionFor(this.expectedPlacement);
      if (cmd.resolution !== expected)
        throw caseError.placementMismatch(p.disabilityLevel, this.expectedPlacement, cmd.resolution);
      if (cmd.resolution !== 'home_teaching' && school === undefined)
        throw caseError.schoolRequired(cmd.resolution);
      if (cmd.resolution === 'returned' && p.attemptsInCycle === 0) throw caseError.attemptRequired();
      if (cmd.resolution === 'home_teaching' && p.homeTeachingPlanId === null)
        throw caseError.homeTeachingPlanRequired();
    }
    p.resolution = cmd.resolution;
    p.resolutionSchoolCode = school ?? null;
    p.exemptReason = cmd.resolution === 'exempt' ? (cmd.exemptReason as ExemptReason) : null;
    p.exemptDocument = cmd.resolution === 'exempt' ? (document ?? null) : null;
    p.resolvedAt = m.now.toISOString();
    p.resolvedBy = m.by.sub;
    this.enter('resolved', 'resolve', m, {
      resolution: p.resolution,
      schoolCode: p.resolutionSchoolCode,
      exemptReason: p.exemptReason,
      exemptDocument: p.exemptDocument,
    });
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

  /** Reconcile and close (对账销号): only a resolved case, only against evidence, only by a second person. */
  close(evidence: string | undefined, m: CaseMoment): DomainEvent[] {
    this.expect(['resolved'], 'close', m);
    if (m.by.sub === this.props.resolvedBy) throw caseError.secondPersonRequired();
    const text = evidence?.trim() ?? '';
    if (text === '') throw caseError.evidenceRequired();
    this.props.closeEvidence = text;
    this.props.closedAt = m.now.toISOString();
    this.props.closedBy = m.by.sub;
    this.enter('closed', 'close', m, { evidence: text });
    return [];
  }

  /**
   * A child resolved as back in school (returned or placed) is seen out of school again: the
   * same case opens again, with fresh deadlines, a new persuasion cycle and no resolution.
   */
  reopen(finding: string, m: CaseMoment, crosscheckId?: string): DomainEvent[] {
    this.expect(['resolved', 'closed'], 'reopen', m);
    if (!oneOf(FINDINGS, finding)) throw caseError.invalidFinding(FINDINGS);
    const p = this.props;
    const previous = p.resolution;
    if (previous === null || !IN_SCHOOL.includes(previous))
      throw caseError.illegalTransition('reopen', `${p.state} as ${previous ?? 'nothing'}`, 'back in school');
    p.finding = finding;
    p.reopenCount += 1;
    p.reopenedAt = m.now.toISOString();
    p.overdueStates = [];
    p.persuaders = null;
    p.attemptsInCycle = 0;
    p.resolution = null;
    p.resolutionSchoolCode = null;
    p.exemptReason = null;
    p.exemptDocument = null;
    p.closeEvidence = null;
    p.verifiedAt = p.verifiedBy = p.plannedAt = p.plannedBy = null;
    p.resolvedAt = p.resolvedBy = p.closedAt = p.closedBy = null;
    this.enter('opened', 'reopen', m, {
      finding,
      previousResolution: previous,
      crosscheckId: crosscheckId ?? null,
    });
    return [
      {
        key: 'dropout.case.reopened.v1',
        data: {
          caseId: p.id,
          studentKey: p.studentKey,
          countyCode: p.countyCode,
          schoolCode: p.schoolCode,
          previousResolution: previous,
          reopenedAt: p.reopenedAt,
          verifyBy: p.deadline as string,
        },
      },
    ];
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
  private expect(from: readonly CaseState[], action: string, m: CaseMoment): void {
    if (!from.includes(this.props.state))
      throw caseError.illegalTransition(action, this.props.state, from.join(' or '));
    checkDeadlines(m.deadlines);
  }

  private enter(state: CaseState, action: CaseAction, m: CaseMoment, detail: CaseHistoryEntry['detail']) {
    const from = this.props.state;
    this.props.deadline = deadlineFor(state, m);
    this.props.state = state;
    this.props.stateEnteredOn = m.today;
    this.record(action, from, m, detail);
  }

  private record(
    action: CaseAction,
    from: CaseState | null,
    m: CaseMoment,
    detail: CaseHistoryEntry['detail'],
  ): void {
    this.history.push({
      action,
      from,
      to: this.props.state,
      by: m.by.sub,
      role: m.by.role,
      at: m.now.toISOString(),
      detail,
    });
  }
}
