import { DomainError, RESIDENT_ID_PATTERN } from '@edu/contracts';
import { isCalendarDate } from '../../calendar/domain/working-day-calendar.js';
import type { Breach } from '../../escalation/domain/breach.js';

/** Where a problem was found (document item 二(四)). */
export const PROBLEM_SOURCES = [
  'central_inspection_review',
  'national_assessment',
  'region_meeting',
  'inspection',
  'unannounced_visit',
  'stationed_guidance',
  'investigation_sweep',
  'other',
] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];

export const SOURCE_NAMES: Record<ProblemSource, string> = {
  central_inspection_review: '中央脱贫攻坚专项巡视“回头看”',
  national_assessment: '国家扶贫开发成效考核',
  region_meeting: '自治区扶贫开发工作会议',
  inspection: '监督检查',
  unannounced_visit: '暗访',
  stationed_guidance: '驻站式指导',
  investigation_sweep: '全面摸底排查',
  other: '其他',
};

/** The work a problem concerns. Construction problems have no default deadline. */
export const PROBLEM_FRONTS = ['dropout', 'aid', 'construction', 'work_team', 'archives', 'other'] as const;
export type ProblemFront = (typeof PROBLEM_FRONTS)[number];

export const PROBLEM_FRONT_NAMES: Record<ProblemFront, string> = {
  dropout: '控辍保学',
  aid: '学生资助',
  construction: '学校建设',
  work_team: '驻村工作队',
  archives: '档案资料',
  other: '其他',
};

export const PROBLEM_STATUSES = ['open', 'closure_requested', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const STATUS_NAMES: Record<ProblemStatus, string> = {
  open: '整改中',
  closure_requested: '待销号审核',
  closed: '已销号',
};

export enum RectificationErrorCode {
  Invalid = 'RECTIFICATION_INVALID',
  NotFound = 'RECTIFICATION_NOT_FOUND',
  IllegalTransition = 'RECTIFICATION_ILLEGAL_TRANSITION',
  EvidenceRequired = 'RECTIFICATION_EVIDENCE_REQUIRED',
  SecondPersonRequired = 'RECTIFICATION_SECOND_PERSON_REQUIRED',
  DuplicateRef = 'RECTIFICATION_DUPLICATE_REF',
}

export const rectificationError = {
  invalid: (problems: FieldProblem[]) =>
    new DomainError(
      RectificationErrorCode.Invalid,
      problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
    ),
  notFound: () => new DomainError(RectificationErrorCode.NotFound, 'no such problem', 'not_found'),
  illegal: (action: string, status: ProblemStatus) =>
    new DomainError(
      RectificationErrorCode.IllegalTransition,
      `cannot ${action} a problem that is ${status}`,
      'conflict',
    ),
  evidenceRequired: () =>
    new DomainError(
      RectificationErrorCode.EvidenceRequired,
      'evidence (document references) is required to close a problem (对账销号)',
    ),
  secondPerson: () =>
    new DomainError(
      RectificationErrorCode.SecondPersonRequired,
      'a problem is closed only by a second person: the one who asked to close it cannot approve it',
      'forbidden',
    ),
  duplicateRef: (ref: string) =>
    new DomainError(
      RectificationErrorCode.DuplicateRef,
      `a problem numbered ${ref} is already in the ledger`,
      'conflict',
    ),
};

export interface FieldProblem {
  field: string;
  reason: string;
}

/** A document that shows the work was done: a file number, an archive reference, a link. */
export interface Evidence {
  reference: string;
  description: string | null;
  addedBy: string;
  addedAt: string;
}

export interface ProblemInput {
  ref: string;
  source: string;
  description: string;
  countyCode: string;
  front: string;
  measures: string;
  foundOn?: string | null;
  deadline?: string | null;
  leadDepartment: string;
  responsibleLeader: string;
}

export interface RectificationProblemProps {
  id: string;
  /** The problem's number in its source list (问题清单编号); unique in the ledger. */
  ref: string;
  source: ProblemSource;
  description: string;
  countyCode: string;
  front: ProblemFront;
  measures: string;
  foundOn: string;
  /** Null only for construction problems without one. */
  deadline: string | null;
  leadDepartment: string;
  responsibleLeader: string;
  status: ProblemStatus;
  evidence: Evidence[];
  closureRequestedBy: string | null;
  closureRequestedAt: string | null;
  closureRejectedReason: string | null;
  closedBy: string | null;
  closedAt: string | null;
  /** When it was found overdue and escalated. */
  overdueAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

const TEXT_LIMIT = 2000;

/**
 * The checked, normalised fields of a problem, or everything wrong with them. The deadline
 * defaults to 30 June of the year the problem was found (document item 二(四)), except for
 * construction, which has none; a default already past when the problem is found must be
 * replaced by a real deadline rather than make the problem overdue at birth.
 */
export function checkProblemInput(
  input: ProblemInput,
  today: string,
  knownCounty: (code: string) => boolean,
):
  | {
      value: Omit<
        RectificationProblemProps,
        | 'id'
        | 'status'
        | 'evidence'
        | 'closureRequestedBy'
        | 'closureRequestedAt'
        | 'closureRejectedReason'
        | 'closedBy'
        | 'closedAt'
        | 'overdueAt'
        | 'createdBy'
        | 'createdAt'
        | 'updatedAt'
      >;
    }
  | { problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const text = (field: keyof ProblemInput, max = TEXT_LIMIT) => {
    const v = String(input[field] ?? '').trim();
    if (!v) problems.push({ field, reason: 'is required' });
    else if (v.length > max) problems.push({ field, reason: `must be at most ${max} characters` });
    else if (RESIDENT_ID_PATTERN.test(v))
      problems.push({
        field,
        reason: 'must not contain a resident ID number (describe the problem, not the child)',
      });
    return v;
  };
  const ref = text('ref', 60);
  const source = String(input.source ?? '').trim();
  if (!(PROBLEM_SOURCES as readonly string[]).includes(source))
    problems.push({ field: 'source', reason: `must be one of ${PROBLEM_SOURCES.join('|')}` });
  const description = text('description');
  const countyCode = String(input.countyCode ?? '').trim();
  if (!/^\d{6}$/.test(countyCode))
    problems.push({ field: 'countyCode', reason: 'must be a 6-digit GB/T 2260 code' });
  else if (!knownCounty(countyCode))
    problems.push({ field: 'countyCode', reason: `${countyCode} is not a jurisdiction of this city` });
  const front = String(input.front ?? '').trim();
  if (!(PROBLEM_FRONTS as readonly string[]).includes(front))
    problems.push({ field: 'front', reason: `must be one of ${PROBLEM_FRONTS.join('|')}` });
  const measures = text('measures');
  const leadDepartment = text('leadDepartment', 100);
  const responsibleLeader = text('responsibleLeader', 100);
  const foundOn = input.foundOn?.trim() || today;
  if (!isCalendarDate(foundOn)) problems.push({ field: 'foundOn', reason: 'must be a date (YYYY-MM-DD)' });
  else if (foundOn > today) problems.push({ field: 'foundOn', reason: 'is in the future' });
  let deadline: string | null = input.deadline?.trim() || null;
  if (deadline !== null) {
    if (!isCalendarDate(deadline))
      problems.push({ field: 'deadline', reason: 'must be a date (YYYY-MM-DD)' });
    else if (isCalendarDate(foundOn) && deadline < foundOn)
      problems.push({ field: 'deadline', reason: 'is before the problem was found' });
  } else if (front !== 'construction' && isCalendarDate(foundOn)) {
    deadline = `${foundOn.slice(0, 4)}-06-30`;
    if (deadline < foundOn)
      problems.push({
        field: 'deadline',
        reason: `is required: the default, 30 June ${foundOn.slice(0, 4)}, had passed when the problem was found`,
      });
  }
  if (problems.length > 0) return { problems };
  return {
    value: {
      ref,
      source: source as ProblemSource,
      description,
      countyCode,
      front: front as ProblemFront,
      measures,
      foundOn,
      deadline,
      leadDepartment,
      responsibleLeader,
    },
  };
}

/**
 * A problem of the rectification ledger (整改台账): found, rectified by its measures before
 * its deadline, and closed only against evidence and only by a second person
 * (一项一项整改清零，一户一户对账销号). Overdue, it escalates like any breach.
 */
export class RectificationProblem {
  private constructor(private props: RectificationProblemProps) {}

  static register(
    id: string,
    input: ProblemInput,
    by: string,
    today: string,
    now: Date,
    knownCounty: (code: string) => boolean,
  ): RectificationProblem {
    const checked = checkProblemInput(input, today, knownCounty);
    if ('problems' in checked) throw rectificationError.invalid(checked.problems);
    const at = now.toISOString();
    return new RectificationProblem({
      id,
      ...checked.value,
      status: 'open',
      evidence: [],
      closureRequestedBy: null,
      closureRequestedAt: null,
      closureRejectedReason: null,
      closedBy: null,
      closedAt: null,
      overdueAt: null,
      createdBy: by,
      createdAt: at,
      updatedAt: at,
    });
  }

  static restore(props: RectificationProblemProps): RectificationProblem {
    return new RectificationProblem({ ...props });
  }

  get state(): Readonly<RectificationProblemProps> {
    return this.props;
  }

  isOverdue(today: string): boolean {
    const p = this.props;
    return p.status !== 'closed' && p.deadline !== null && p.deadline < today;
  }

  /** Changes measures, deadline, department or leader while the problem is not closed. */
  revise(
    changes: Partial<
      Pick<ProblemInput, 'description' | 'measures' | 'deadline' | 'leadDepartment' | 'responsibleLeader'>
    >,
    today: string,
    now: Date,
  ): void {
    const p = this.props;
    if (p.status === 'closed') throw rectificationError.illegal('revise', p.status);
    const merged: ProblemInput = {
      ...p,
      ...changes,
      deadline: changes.deadline === undefined ? p.deadline : changes.deadline,
    };
    const checked = checkProblemInput(merged, today, () => true);
    if ('problems' in checked) throw rectificationError.invalid(checked.problems);
    Object.assign(p, {
      description: checked.value.description,
      measures: checked.value.measures,
      deadline: checked.value.deadline,
      leadDepartment: checked.value.leadDepartment,
      responsibleLeader: checked.value.responsibleLeader,
      updatedAt: now.toISOString(),
    });
  }

  addEvidence(items: { reference: string; description?: string | null }[], by: string, now: Date): void {
    const p = this.props;
    if (p.status === 'closed') throw rectificationError.illegal('add evidence to', p.status);
    const clean = items
      .map((e) => ({ reference: e.reference.trim(), description: e.description?.trim() || null }))
      .filter((e) => e.reference);
    if (clean.length === 0) throw rectificationError.evidenceRequired();
    for (const e of clean) {
      if (RESIDENT_ID_PATTERN.test(`${e.reference} ${e.description ?? ''}`))
        throw rectificationError.invalid([
          { field: 'evidence', reason: 'must not contain a resident ID number' },
        ]);
      p.evidence.push({ ...e, addedBy: by, addedAt: now.toISOString() });
    }
    p.updatedAt = now.toISOString();
  }

  /** The maker asks to close it (对账销号), with the evidence on file. */
  requestClosure(by: string, now: Date): void {
    const p = this.props;
    if (p.status !== 'open') throw rectificationError.illegal('ask to close', p.status);
    if (p.evidence.length === 0) throw rectificationError.evidenceRequired();
    p.status = 'closure_requested';
    p.closureRequestedBy = by;
    p.closureRequestedAt = now.toISOString();
    p.closureRejectedReason = null;
    p.updatedAt = now.toISOString();
  }

  /** A second person (the checker) closes it. */
  approveClosure(by: string, now: Date): void {
    const p = this.props;
    if (p.status !== 'closure_requested')
      throw rectificationError.illegal('approve the closure of', p.status);
    if (by === p.closureRequestedBy) throw rectificationError.secondPerson();
    p.status = 'closed';
    p.closedBy = by;
    p.closedAt = now.toISOString();
    p.updatedAt = now.toISOString();
  }

  /** The checker sends it back: the evidence does not show the problem is gone. */
  rejectClosure(by: string, reason: string, now: Date): void {
    const p = this.props;
    if (p.status !== 'closure_requested') throw rectificationError.illegal('reject the closure of', p.status);
    if (by === p.closureRequestedBy) throw rectificationError.secondPerson();
    if (!reason.trim()) throw rectificationError.invalid([{ field: 'reason', reason: 'is required' }]);
    p.status = 'open';
    p.closureRejectedReason = reason.trim();
    p.updatedAt = now.toISOString();
  }

  /** Past its deadline and not yet escalated: marks it and returns the breach to escalate. */
  markOverdue(today: string, now: Date): Breach | null {
    const p = this.props;
    if (p.overdueAt !== null || !this.isOverdue(today)) return null;
    p.overdueAt = now.toISOString();
    return problemBreach(p);
  }
}

export function problemItemKey(id: string): string {
  return `rectification.problem:${id}`;
}

export function problemBreach(p: Pick<RectificationProblemProps, 'id' | 'countyCode'>): Breach {
  return {
    breachType: 'rectification',
    front: 'rectification',
    countyCode: p.countyCode,
    itemKey: problemItemKey(p.id),
    kind: 'rectification_overdue',
    amountFen: 0,
    overdue: true,
  };
}
