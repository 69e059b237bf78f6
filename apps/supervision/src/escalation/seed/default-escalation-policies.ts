import type { EscalationPolicy, PolicyStep } from '../domain/escalation-policy.js';

const notice = (wait: number, extra: Partial<PolicyStep> = {}): PolicyStep => ({
  level: 'notice',
  kind: 'supervision_notice',
  targets: ['responsible'],
  channels: ['sms', 'email'],
  waitWorkingDays: wait,
  ...extra,
});
const interview = (wait: number, extra: Partial<PolicyStep> = {}): PolicyStep => ({
  level: 'interview',
  kind: 'interview_notice',
  targets: ['bureau_head'],
  channels: ['sms', 'email'],
  waitWorkingDays: wait,
  ...extra,
});
const accountability = (wait: number, extra: Partial<PolicyStep> = {}): PolicyStep => ({
  level: 'accountability',
  kind: 'accountability_recommendation',
  targets: ['party_committee'],
  channels: ['email'],
  waitWorkingDays: wait,
  ...extra,
});

/**
 * Seed data loaded at first start (a version missing from the table is inserted); edited
 * afterwards as new versions through the API, never in place.
 */
export const DEFAULT_ESCALATION_POLICIES: EscalationPolicy[] = [
  // The three fronts: 督办提醒 to the responsible official and 约谈通知 to the bureau head at
  // once (issue 2's default, unchanged), then the accountability recommendation if the items
  // are still open ten working days later.
  ...(['dropout', 'aid', 'construction'] as const).map((breachType) => ({
    breachType,
    version: 1,
    recurrenceWindowDays: 90,
    steps: [notice(0), interview(0), accountability(10)],
  })),
  // An overdue rectification problem: a notice; an interview if the notice went unheeded for
  // five working days; a recommendation after ten more.
  {
    breachType: 'rectification',
    version: 1,
    recurrenceWindowDays: 90,
    steps: [
      notice(0),
      interview(5, { condition: { unresolved: true } }),
      accountability(10, { condition: { unresolved: true } }),
    ],
  },
  // A work-team member short of days in the village or of the half-year report.
  {
    breachType: 'work_team',
    version: 1,
    recurrenceWindowDays: 180,
    steps: [notice(0), interview(10, { condition: { unresolved: true } })],
  },
  // An interview notice that reached nobody: the city's officials are told at once.
  {
    breachType: 'notice_failure',
    version: 1,
    recurrenceWindowDays: 0,
    steps: [notice(0, { targets: ['responsible', 'bureau_head'], scope: 'city' })],
  },
];
