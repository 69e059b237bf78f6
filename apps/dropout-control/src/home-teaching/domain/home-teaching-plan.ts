import { DomainError } from '@edu/contracts';
import { isCalendarDate } from '../../dropout-case/domain/calendar-date.js';

export enum HomeTeachingErrorCode {
  InvalidPlan = 'HOME_TEACHING_INVALID_PLAN',
  InvalidVisit = 'HOME_TEACHING_INVALID_VISIT',
  NotFound = 'HOME_TEACHING_NOT_FOUND',
}

export const homeTeachingError = {
  invalidPlan: (why: string) => new DomainError(HomeTeachingErrorCode.InvalidPlan, why),
  invalidVisit: (why: string) => new DomainError(HomeTeachingErrorCode.InvalidVisit, why),
  notFound: () => new DomainError(HomeTeachingErrorCode.NotFound, 'no such home-teaching plan', 'not_found'),
};

export interface HomeTeachingPlanProps {
  id: string;
  caseId: string;
  countyCode: string;
  /** The school that sends its teachers (送教学校). */
  schoolCode: string;
  teachers: string[];
  visitsPerMonth: number;
  startsOn: string;
  visitCount: number;
  lastVisitOn: string | null;
  createdBy: string;
  createdAt: string;
}

export interface StartHomeTeaching {
  id: string;
  caseId: string;
  countyCode: string;
  schoolCode: string;
  teachers: string[];
  visitsPerMonth: number;
  startsOn: string;
}

export interface HomeTeachingVisit {
  visitedOn: string;
  teacher: string;
  hours: number;
  content: string;
  note: string | null;
}

/** 送教上门: teachers of a school visit a severely disabled child at home, each visit logged. */
export class HomeTeachingPlan {
  private constructor(private props: HomeTeachingPlanProps) {}

  static start(input: StartHomeTeaching, by: string, now: Date): HomeTeachingPlan {
    const schoolCode = input.schoolCode?.trim() ?? '';
    if (schoolCode === '') throw homeTeachingError.invalidPlan('schoolCode (the sending school) is required');
    const teachers = (input.teachers ?? []).map((t) => t.trim()).filter((t) => t !== '');
    if (teachers.length === 0) throw homeTeachingError.invalidPlan('at least one teacher is required');
    if (!Number.isInteger(input.visitsPerMonth) || input.visitsPerMonth < 1 || input.visitsPerMonth > 31)
      throw homeTeachingError.invalidPlan('visitsPerMonth must be a whole number from 1 to 31');
    if (!isCalendarDate(input.startsOn))
      throw homeTeachingError.invalidPlan('startsOn must be a date YYYY-MM-DD');
    return new HomeTeachingPlan({
      id: input.id,
      caseId: input.caseId,
      countyCode: input.countyCode,
      schoolCode,
      teachers: [...new Set(teachers)],
      visitsPerMonth: input.visitsPerMonth,
      startsOn: input.startsOn,
      visitCount: 0,
      lastVisitOn: null,
      createdBy: by,
      createdAt: now.toISOString(),
    });
  }

  static restore(props: HomeTeachingPlanProps): HomeTeachingPlan {
    return new HomeTeachingPlan({ ...props, teachers: [...props.teachers] });
  }

  get state(): Readonly<HomeTeachingPlanProps> {
    return this.props;
  }

  /** A visit that happened: on or after the start, not in the future, by someone, with content. */
  logVisit(
    input: { visitedOn: string; teacher: string; hours: number; content: string; note?: string },
    today: string,
  ): HomeTeachingVisit {
    if (!isCalendarDate(input.visitedOn))
      throw homeTeachingError.invalidVisit('visitedOn must be a date YYYY-MM-DD');
    if (input.visitedOn > today) throw homeTeachingError.invalidVisit('visitedOn cannot be in the future');
    if (input.visitedOn < this.props.startsOn)
      throw homeTeachingError.invalidVisit('visitedOn cannot be before the plan starts');
    const teacher = input.teacher?.trim() ?? '';
    if (teacher === '') throw homeTeachingError.invalidVisit('teacher is required');
    if (!(input.hours >= 0.5 && input.hours <= 12))
      throw homeTeachingError.invalidVisit('hours must be from 0.5 to 12');
    const content = input.content?.trim() ?? '';
    if (content === '') throw homeTeachingError.invalidVisit('content (what was taught) is required');
    this.props.visitCount += 1;
    if (this.props.lastVisitOn === null || input.visitedOn > this.props.lastVisitOn)
      this.props.lastVisitOn = input.visitedOn;
    return {
      visitedOn: input.visitedOn,
      teacher,
      hours: Math.round(input.hours * 10) / 10,
      content,
      note: input.note?.trim() || null,
    };
  }
}
