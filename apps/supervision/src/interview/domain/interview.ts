import { DomainError, RESIDENT_ID_PATTERN } from '@edu/contracts';
import { localDate } from '../../calendar/domain/working-day-calendar.js';
import type { SupervisedFront } from '../../directory/domain/front.js';
import type { BreachType } from '../../escalation/domain/breach-type.js';

export const INTERVIEW_STATUSES = ['noticed', 'held', 'minutes_recorded', 'follow_up_due'] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

export enum InterviewErrorCode {
  IllegalTransition = 'INTERVIEW_ILLEGAL_TRANSITION',
  Invalid = 'INTERVIEW_INVALID',
  NotFound = 'INTERVIEW_NOT_FOUND',
}

export const interviewError = {
  illegalTransition: (action: string, status: InterviewStatus, allowed: InterviewStatus) =>
    new DomainError(
      InterviewErrorCode.IllegalTransition,
      `cannot ${action} an interview that is ${status}: only one that is ${allowed} can be`,
      'conflict',
    ),
  invalid: (message: string) => new DomainError(InterviewErrorCode.Invalid, message),
  notFound: () => new DomainError(InterviewErrorCode.NotFound, 'no such interview', 'not_found'),
};

/** An official as a document names them. */
export interface Person {
  officialId?: string;
  name: string;
  title: string;
}

/** One kind of problem and how much of it, as of a moment (the notice, the recommendation). */
export interface IssueLine {
  kind: string;
  name: string;
  count: number;
  amountFen: number;
}

export interface InterviewMinutes {
  /** What was said: the bureau head's account and the city's requirements. */
  summary: string;
  /** What the county committed to (整改承诺), one line each. */
  commitments: string[];
}

export interface InterviewProps {
  id: string;
  /** Document number within the system: 约谈〔year〕serial号. */
  serial: number;
  escalationId: string;
  stepIndex: number;
  countyCode: string;
  countyName: string;
  cityName: string;
  front: SupervisedFront;
  breachType: BreachType;
  status: InterviewStatus;
  interviewees: Person[];
  interviewer: Person;
  subject: string;
  issues: IssueLine[];
  /** The same problem came back soon after an escalation closed (同类问题反复出现). */
  recurrence: boolean;
  urgent: boolean;
  scheduledAt: string | null;
  place: string | null;
  noticedAt: string;
  heldAt: string | null;
  attendees: string[];
  minutes: InterviewMinutes | null;
  minutesRecordedAt: string | null;
  minutesRecordedBy: string | null;
  /** The date the county's written report on the follow-up is due (YYYY-MM-DD). */
  followUpDueOn: string | null;
  followUpDueAt: string | null;
  /** Working days before the follow-up date to remind of it (from the policy's interview step; 0: none). */
  followUpReminderWorkingDays: number;
  /** The day the reminder goes out (YYYY-MM-DD); null when there is none to send. */
  followUpRemindOn: string | null;
  followUpRemindedAt: string | null;
}

/** What the interview needs from the calendar. */
export interface WorkingDaysBack {
  subtractWorkingDays(date: string, n: number): string;
}

/** Documents and notices name officials and count problems: a resident ID number typed in is refused. */
function refuseResidentId(field: string, text: string): void {
  if (RESIDENT_ID_PATTERN.test(text))
    throw interviewError.invalid(
      `${field} contains something shaped like a resident ID number; leave students out`,
    );
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A formal interview (约谈) of a county bureau's head by the city bureau: noticed when the
 * ladder reaches it, then held, then its minutes recorded, then its follow-up falls due.
 */
export class Interview {
  private constructor(private props: InterviewProps) {}

  static notice(
    p: Omit<
      InterviewProps,
      | 'status'
      | 'heldAt'
      | 'attendees'
      | 'minutes'
      | 'minutesRecordedAt'
      | 'minutesRecordedBy'
      | 'followUpDueOn'
      | 'followUpDueAt'
      | 'followUpRemindOn'
      | 'followUpRemindedAt'
    >,
  ): Interview {
    return new Interview({
      ...p,
      status: 'noticed',
      heldAt: null,
      attendees: [],
      minutes: null,
      minutesRecordedAt: null,
      minutesRecordedBy: null,
      followUpDueOn: null,
      followUpDueAt: null,
      followUpRemindOn: null,
      followUpRemindedAt: null,
    });
  }

  static restore(props: InterviewProps): Interview {
    return new Interview({ ...props });
  }

  get state(): Readonly<InterviewProps> {
    return this.props;
  }

  /** Sets (or moves) the time and place before it is held. */
  reschedule(at: Date, place: string, interviewer?: Person): void {
    const p = this.props;
    if (p.status !== 'noticed') throw interviewError.illegalTransition('reschedule', p.status, 'noticed');
    if (!place.trim()) throw interviewError.invalid('place is required');
    p.scheduledAt = at.toISOString();
    p.place = place.trim();
    if (interviewer) p.interviewer = interviewer;
  }

  hold(heldAt: Date, attendees: string[], now: Date): void {
    const p = this.props;
    if (p.status !== 'noticed') throw interviewError.illegalTransition('hold', p.status, 'noticed');
    if (heldAt > now) throw interviewError.invalid('heldAt is in the future');
    if (heldAt < new Date(p.noticedAt)) throw interviewError.invalid('heldAt is before the notice');
    attendees.forEach((a, i) => refuseResidentId(`attendees[${i}]`, a));
    p.status = 'held';
    p.heldAt = heldAt.toISOString();
    p.attendees = attendees.map((a) => a.trim()).filter(Boolean);
  }

  /**
   * The minutes, and the date the written follow-up report is due. The reminder of it is set
   * for the policy's number of working days before that date, if that day is still to come
   * (a follow-up due sooner has its date in the minutes notice, and no reminder).
   */
  recordMinutes(
    minutes: InterviewMinutes,
    followUpDueOn: string,
    by: string,
    now: Date,
    calendar: WorkingDaysBack,
  ): void {
    const p = this.props;
    if (p.status !== 'held')
      throw interviewError.illegalTransition('record the minutes of', p.status, 'held');
    if (!minutes.summary.trim()) throw interviewError.invalid('summary is required');
    const commitments = minutes.commitments.map((c) => c.trim()).filter(Boolean);
    if (commitments.length === 0)
      throw interviewError.invalid('at least one commitment (整改承诺) is required');
    refuseResidentId('summary', minutes.summary);
    minutes.commitments.forEach((c, i) => refuseResidentId(`commitments[${i}]`, c));
    if (!DATE.test(followUpDueOn) || followUpDueOn < (p.heldAt ?? '').slice(0, 10))
      throw interviewError.invalid('followUpDueOn must be a date (YYYY-MM-DD) on or after the interview');
    p.status = 'minutes_recorded';
    p.minutes = { summary: minutes.summary.trim(), commitments };
    p.minutesRecordedAt = now.toISOString();
    p.minutesRecordedBy = by;
    p.followUpDueOn = followUpDueOn;
    const remindOn =
      p.followUpReminderWorkingDays > 0
        ? calendar.subtractWorkingDays(followUpDueOn, p.followUpReminderWorkingDays)
        : null;
    p.followUpRemindOn = remindOn !== null && remindOn > localDate(now) ? remindOn : null;
  }

  /**
   * The reminder of the follow-up report falls due (the sweeper asks daily): true once, on
   * or after its day while the report is still ahead; never once the follow-up is due.
   */
  remindFollowUp(today: string, now: Date): boolean {
    const p = this.props;
    if (p.status !== 'minutes_recorded' || !p.followUpRemindOn || p.followUpRemindedAt) return false;
    if (today < p.followUpRemindOn || !p.followUpDueOn || today >= p.followUpDueOn) return false;
    p.followUpRemindedAt = now.toISOString();
    return true;
  }

  /** The follow-up report falls due (the sweeper asks daily); true when this changed the status. */
  markFollowUpDue(today: string, now: Date): boolean {
    const p = this.props;
    if (p.status !== 'minutes_recorded' || !p.followUpDueOn || today < p.followUpDueOn) return false;
    p.status = 'follow_up_due';
    p.followUpDueAt = now.toISOString();
    return true;
  }
}
