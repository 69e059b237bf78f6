import type { EscalationPolicy } from '../domain/escalation-policy.js';

const immediate = (front: EscalationPolicy['front']): EscalationPolicy => ({
  front,
  version: 1,
  steps: [
    // 督办提醒 to the responsible official and 约谈通知 to the bureau head, at once (issue 2's default);
    // the accountability recommendation follows if the items stay open.
    {
      level: 'notice',
      kind: 'supervision_notice',
      targets: ['responsible'],
      channels: ['sms', 'email'],
      waitWorkingDays: 0,
    },
    {
      level: 'interview',
      kind: 'interview_notice',
      targets: ['bureau_head'],
      channels: ['sms', 'email'],
      waitWorkingDays: 0,
    },
    {
      level: 'accountability',
      kind: 'accountability_recommendation',
      targets: ['party_committee'],
      channels: ['email'],
      waitWorkingDays: 10,
    },
  ],
});

/** Seed data loaded into an empty policy table at first start; edited as rows afterwards. */
export const DEFAULT_ESCALATION_POLICIES: EscalationPolicy[] = [
  immediate('dropout'),
  immediate('aid'),
  immediate('construction'),
];
