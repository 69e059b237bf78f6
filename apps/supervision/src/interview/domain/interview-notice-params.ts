import { localDate } from '../../calendar/domain/working-day-calendar.js';
import { FRONT_NAMES } from '../../directory/domain/front.js';
import { cnDay, interviewNumber } from './documents.js';
import type { InterviewProps } from './interview.js';

/**
 * The values the minutes notice (约谈纪要) and the follow-up reminder (整改落实情况报送提醒) are
 * filled with: places, the interview's number and day, counts and dates. Never the minutes'
 * own words (they travel only in the attached document) and never a student.
 */
export function interviewNoticeParams(
  i: InterviewProps,
  reminder?: { workingDaysLeft: number },
): Record<string, string | number> {
  if (!i.minutes || !i.followUpDueOn || !i.heldAt)
    throw new Error(`interview ${i.id}: its notices follow the minutes`);
  return {
    cityName: i.cityName,
    countyName: i.countyName,
    frontName: FRONT_NAMES[i.front],
    interviewNo: interviewNumber(i),
    interviewDate: cnDay(localDate(new Date(i.heldAt))),
    commitmentCount: i.minutes.commitments.length,
    followUpDueOn: cnDay(i.followUpDueOn),
    ...(reminder ? { workingDaysLeft: reminder.workingDaysLeft } : {}),
  };
}
