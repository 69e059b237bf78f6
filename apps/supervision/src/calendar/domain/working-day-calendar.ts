/**
 * The bureau's working days: Monday to Friday, except public holidays, plus the weekend
 * days worked in exchange (调休). The exceptions are data, edited by the operations team.
 * Dates are local to the bureau: China Standard Time, UTC+8 all year (no daylight saving).
 */
export type DayKind = 'holiday' | 'workday';

export interface CalendarDay {
  /** YYYY-MM-DD */
  date: string;
  kind: DayKind;
  /** 国庆节, 国庆节调休上班 … */
  name: string;
}

const DAY_MS = 86_400_000;
const LOCAL_OFFSET_MS = 8 * 3_600_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The local (UTC+8) calendar date of an instant. */
export function localDate(at: Date): string {
  return new Date(at.getTime() + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a local calendar date begins. */
export function startOfLocalDay(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS);
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export class WorkingDayCalendar {
  private readonly exceptions: Map<string, DayKind>;

  constructor(days: readonly CalendarDay[]) {
    this.exceptions = new Map(days.map((d) => [d.date, d.kind]));
  }

  isWorkingDay(date: string): boolean {
    const exception = this.exceptions.get(date);
    if (exception) return exception === 'workday';
    const w = weekday(date);
    return w !== 0 && w !== 6;
  }

  /** Working days d with from < d ≤ to. */
  workingDaysBetween(from: string, to: string): number {
    let n = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkingDay(d)) n++;
    return n;
  }

  /** The n-th working day after `date` (n ≥ 1); `date` itself for n = 0. */
  addWorkingDays(date: string, n: number): string {
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, 1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /** The n-th working day before `date` (n ≥ 1); `date` itself for n = 0. */
  subtractWorkingDays(date: string, n: number): string {
    let d = date;
    for (let left = n; left > 0;) {
      d = addDays(d, -1);
      if (this.isWorkingDay(d)) left--;
    }
    return d;
  }

  /**
   * When a wait of `workingDays` that starts at `at` is over: the same local time of day
   * on the n-th working day after (so one working day is a whole working day); `at` for 0.
   */
  dueAfter(at: Date, workingDays: number): Date {
    if (workingDays <= 0) return at;
    const day = localDate(at);
    const timeOfDay = at.getTime() - startOfLocalDay(day).getTime();
    return new Date(startOfLocalDay(this.addWorkingDays(day, workingDays)).getTime() + timeOfDay);
  }
}
