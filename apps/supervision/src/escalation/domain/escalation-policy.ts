import type { Channel, Front, NoticeKind } from '@edu/contracts';
import type { OfficialRole } from '../../directory/domain/official.js';

export const LEVELS = ['notice', 'interview', 'accountability'] as const;
export type Level = (typeof LEVELS)[number];

/** One rung of the ladder: who is told what, and how long after the previous rung. */
export interface PolicyStep {
  level: Level;
  kind: NoticeKind;
  targets: OfficialRole[];
  channels: Channel[];
  /** Working days after the previous step; 0 means at once. */
  waitWorkingDays: number;
}

/** Versioned data: a running escalation keeps a snapshot of the version it started with. */
export interface EscalationPolicy {
  front: Front;
  version: number;
  steps: PolicyStep[];
}

export function levelRank(level: Level | null): number {
  return level === null ? -1 : LEVELS.indexOf(level);
}
