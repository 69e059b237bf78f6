import { FRONT_NAMES, type SupervisedFront } from '../../directory/domain/front.js';
import { BREACH_TYPE_NAMES, type BreachType } from './breach-type.js';
import type { Digest } from './escalation.js';
import { LEVEL_NAMES, type PolicyStep } from './escalation-policy.js';

const yuan = (fen: number) => (fen / 100).toFixed(2);

export interface NoticeContext {
  escalationId: string;
  breachType: BreachType;
  front: SupervisedFront;
  countyName: string;
  cityName: string;
  stepIndex: number;
  step: PolicyStep;
  digest: Digest;
  leadDepartment: string | null;
  /** The recipient stands in for a county that has nobody in the role. */
  fallback: boolean;
  interview?: { number: string; scheduledAt: string | null; place: string | null };
}

/** Local time (UTC+8) as `2020-11-05 09:00`. */
function localDateTime(at: string): string {
  return new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The values a notice's template is filled with: a digest of the escalation as of this
 * step (open items and money, and what is new since the last notice), never one message
 * per breach. Counts, amounts and names of places and officials only; never a student.
 */
export function noticeParams(c: NoticeContext): Record<string, string | number> {
  const d = c.digest;
  const params: Record<string, string | number> = {
    cityName: c.cityName,
    countyName: c.countyName,
    frontName: FRONT_NAMES[c.front],
    breachType: c.breachType,
    breachTypeName: BREACH_TYPE_NAMES[c.breachType],
    itemCount: d.openItemCount,
    totalItemCount: d.itemCount,
    newItemCount: d.newItemCount,
    level: c.step.level,
    levelName: LEVEL_NAMES[c.step.level],
    stepIndex: c.stepIndex,
    escalationId: c.escalationId,
  };
  if (d.openAmountFen > 0) params.amount = yuan(d.openAmountFen);
  if (d.newAmountFen > 0) params.newAmount = yuan(d.newAmountFen);
  if (c.leadDepartment) params.leadDepartment = c.leadDepartment;
  if (c.fallback) params.onBehalfOf = c.countyName;
  if (c.interview) {
    params.interviewNo = c.interview.number;
    if (c.interview.scheduledAt) params.interviewTime = localDateTime(c.interview.scheduledAt);
    if (c.interview.place) params.interviewPlace = c.interview.place;
  }
  return params;
}

/**
 * `params.urgent` on interview notices: a JSON boolean, as the notifications service reads
 * it to decide whether an SMS may go out outside working hours. (The v1 contract types
 * params as string | number; booleans are valid JSON objects' values and pass its check.)
 */
export function withUrgency(
  params: Record<string, string | number>,
  step: PolicyStep,
): Record<string, string | number> {
  if (step.level !== 'interview') return params;
  return { ...params, urgent: (step.urgent === true) as unknown as number };
}
