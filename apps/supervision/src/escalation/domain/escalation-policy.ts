import { CHANNELS, NOTICE_KINDS, type Channel, type NoticeKind } from '@edu/contracts';
import { OFFICIAL_ROLES, type OfficialRole } from '../../directory/domain/official.js';
import type { BreachType } from './breach-type.js';

export const LEVELS = ['notice', 'interview', 'accountability'] as const;
export type Level = (typeof LEVELS)[number];

/** The notice kind each level sends (督办提醒, 约谈通知, 追责问责建议). */
export const LEVEL_KIND: Record<Level, NoticeKind> = {
  notice: 'supervision_notice',
  interview: 'interview_notice',
  accountability: 'accountability_recommendation',
};

export const LEVEL_NAMES: Record<Level, string> = {
  notice: '督办提醒',
  interview: '约谈',
  accountability: '追责问责建议',
};

/** A step is taken only if its condition holds when it falls due; otherwise it is skipped. */
export interface StepCondition {
  /** Only if an item already reported at the previous step is still open (the last notice went unheeded). */
  unresolved?: boolean;
  /** Only if more than this many items are open. */
  minItems?: number;
}

/** When and where an interview step summons the bureau head, unless rescheduled. */
export interface InterviewArrangement {
  /** Working days after the notice. */
  inWorkingDays: number;
  /** Local time, HH:MM. */
  time: string;
  /** `{cityName}` is replaced by the city's name. */
  place: string;
  /**
   * Working days before the follow-up report the minutes ask for is due to remind the
   * interviewee and the responsible official of it (0: no reminder); default 3.
   */
  followUpReminderWorkingDays?: number;
}

export const DEFAULT_FOLLOW_UP_REMINDER_WORKING_DAYS = 3;

/** One rung of the ladder: who is told what, how, and how long after the previous rung. */
export interface PolicyStep {
  level: Level;
  kind: NoticeKind;
  targets: OfficialRole[];
  /** Whose officials in those roles: the county's (default) or the city's. */
  scope?: 'county' | 'city';
  channels: Channel[];
  /** Working days after the previous step; 0 means at once. */
  waitWorkingDays: number;
  condition?: StepCondition;
  /** Interview notices only: the SMS goes out even outside working hours. */
  urgent?: boolean;
  interview?: InterviewArrangement;
}

/** Versioned data: a running escalation keeps a snapshot of the version it started with. */
export interface EscalationPolicy {
  breachType: BreachType;
  version: number;
  steps: PolicyStep[];
  /** The same breach type again in a county within this many days of its escalation closing goes straight to interview. */
  recurrenceWindowDays: number;
}

export const DEFAULT_INTERVIEW: InterviewArrangement = {
  inWorkingDays: 3,
  time: '09:00',
  place: '{cityName}教育局会议室',
  followUpReminderWorkingDays: DEFAULT_FOLLOW_UP_REMINDER_WORKING_DAYS,
};

export function levelRank(level: Level | null): number {
  return level === null ? -1 : LEVELS.indexOf(level);
}

/** Index of the first step at interview level or above (where a recurrence starts), or -1. */
export function firstInterviewStep(policy: Pick<EscalationPolicy, 'steps'>): number {
  return policy.steps.findIndex((s) => levelRank(s.level) >= levelRank('interview'));
}

/** Everything wrong with a proposed version, field by field (empty when it may be saved). */
export function policyProblems(p: {
  steps: unknown;
  recurrenceWindowDays: unknown;
}): { field: string; reason: string }[] {
  const problems: { field: string; reason: string }[] = [];
  const add = (field: string, reason: string) => problems.push({ field, reason });
  if (!Number.isInteger(p.recurrenceWindowDays) || (p.recurrenceWindowDays as number) < 0)
    add('recurrenceWindowDays', 'must be a whole number of days from 0');
  if (!Array.isArray(p.steps) || p.steps.length === 0) {
    add('steps', 'a policy needs at least one step');
    return problems;
  }
  let previous = -1;
  (p.steps as Partial<PolicyStep>[]).forEach((s, i) => {
    const at = `steps[${i}]`;
    if (!s.level || !LEVELS.includes(s.level)) {
      add(`${at}.level`, `must be one of ${LEVELS.join(', ')}`);
      return;
    }
    if (levelRank(s.level) < previous) add(`${at}.level`, 'a ladder never steps down');
    previous = levelRank(s.level);
    if (s.kind !== LEVEL_KIND[s.level]) add(`${at}.kind`, `a ${s.level} step sends ${LEVEL_KIND[s.level]}`);
    if (!NOTICE_KINDS.includes(s.kind as NoticeKind) && s.kind !== undefined)
      add(`${at}.kind`, 'unknown kind');
    if (
      !Array.isArray(s.targets) ||
      s.targets.length === 0 ||
      s.targets.some((t) => !OFFICIAL_ROLES.includes(t))
    )
      add(`${at}.targets`, `must be a non-empty list of ${OFFICIAL_ROLES.join(', ')}`);
    if (s.scope !== undefined && s.scope !== 'county' && s.scope !== 'city')
      add(`${at}.scope`, 'must be county or city');
    if (
      !Array.isArray(s.channels) ||
      s.channels.length === 0 ||
      s.channels.some((c) => !CHANNELS.includes(c))
    )
      add(`${at}.channels`, `must be a non-empty list of ${CHANNELS.join(', ')}`);
    if (
      !Number.isInteger(s.waitWorkingDays) ||
      (s.waitWorkingDays as number) < 0 ||
      (s.waitWorkingDays as number) > 250
    )
      add(`${at}.waitWorkingDays`, 'must be a whole number of working days from 0 to 250');
    const c = s.condition;
    if (c !== undefined) {
      if (c.minItems !== undefined && (!Number.isInteger(c.minItems) || c.minItems < 0))
        add(`${at}.condition.minItems`, 'must be a whole number from 0');
      if (c.unresolved !== undefined && typeof c.unresolved !== 'boolean')
        add(`${at}.condition.unresolved`, 'must be true or false');
    }
    if (s.urgent !== undefined && s.level !== 'interview')
      add(`${at}.urgent`, 'only interview notices are urgent');
    const iv = s.interview;
    if (iv !== undefined) {
      if (s.level !== 'interview') add(`${at}.interview`, 'only an interview step arranges an interview');
      if (!Number.isInteger(iv.inWorkingDays) || iv.inWorkingDays < 0)
        add(`${at}.interview.inWorkingDays`, 'must be a whole number from 0');
      if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(iv.time ?? '')) add(`${at}.interview.time`, 'must be HH:MM');
      if (!iv.place?.trim()) add(`${at}.interview.place`, 'is required');
      const r = iv.followUpReminderWorkingDays;
      if (r !== undefined && (!Number.isInteger(r) || r < 0 || r > 30))
        add(
          `${at}.interview.followUpReminderWorkingDays`,
          'must be a whole number of working days from 0 to 30',
        );
    }
  });
  return problems;
}
