import { NOTICE_KINDS } from '@edu/contracts';
import { endsWithEscalation, KINDS_ENDING_WITH_ESCALATION } from './notice-kinds.js';

describe('endsWithEscalation', () => {
  it("cancels the ladder's notices with their escalation, never the minutes or the follow-up reminder", () => {
    expect(KINDS_ENDING_WITH_ESCALATION).toEqual([
      'supervision_notice',
      'interview_notice',
      'accountability_recommendation',
    ]);
    expect(endsWithEscalation('interview_minutes')).toBe(false);
    expect(endsWithEscalation('follow_up_reminder')).toBe(false);
    // Every kind is decided, one way or the other.
    for (const kind of NOTICE_KINDS) expect(typeof endsWithEscalation(kind)).toBe('boolean');
  });
});
