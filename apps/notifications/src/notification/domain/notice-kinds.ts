import type { NoticeKind } from '@edu/contracts';

/**
 * The kinds that press an escalation's open items on an official: the ladder's notices
 * (督办提醒, 约谈通知, 追责问责建议). Once the escalation resolves they have nothing left to say,
 * so what is still waiting of them is cancelled and a late request is recorded cancelled.
 * The minutes of an interview and the reminder of its follow-up report are about the
 * interview held, which stands whatever became of the items: they are sent all the same.
 */
const ENDS_WITH_ESCALATION: Record<NoticeKind, boolean> = {
  supervision_notice: true,
  interview_notice: true,
  accountability_recommendation: true,
  interview_minutes: false,
  follow_up_reminder: false,
};

export function endsWithEscalation(kind: NoticeKind): boolean {
  return ENDS_WITH_ESCALATION[kind];
}

/** The kinds cancelled when their escalation resolves. */
export const KINDS_ENDING_WITH_ESCALATION = (Object.keys(ENDS_WITH_ESCALATION) as NoticeKind[]).filter(
  endsWithEscalation,
);
