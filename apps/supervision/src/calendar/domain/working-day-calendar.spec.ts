import { CHINA_PUBLIC_HOLIDAYS } from '../seed/china-public-holidays.js';
import { localDate, WorkingDayCalendar } from './working-day-calendar.js';

const calendar = new WorkingDayCalendar(CHINA_PUBLIC_HOLIDAYS);

describe('WorkingDayCalendar', () => {
  it('knows the 2020 National Day and Mid-Autumn holiday and its make-up working days', () => {
    expect(calendar.isWorkingDay('2020-09-27')).toBe(true); // Sunday worked
    expect(calendar.isWorkingDay('2020-10-01')).toBe(false);
    expect(calendar.isWorkingDay('2020-10-08')).toBe(false); // Thursday off
    expect(calendar.isWorkingDay('2020-10-10')).toBe(true); // Saturday worked
    expect(calendar.isWorkingDay('2020-10-11')).toBe(false);
  });

  it('counts working days across a holiday, not weekdays', () => {
    // Wed 30 Sep 2020 + 5 working days: 9 (Fri), 10 (Sat, 调休), 12, 13, 14 October.
    expect(calendar.addWorkingDays('2020-09-30', 5)).toBe('2020-10-14');
    expect(calendar.workingDaysBetween('2020-09-30', '2020-10-14')).toBe(5);
    // A plain week: Monday + 5 → next Monday.
    expect(calendar.addWorkingDays('2020-11-02', 5)).toBe('2020-11-09');
  });

  it('has the extended 2020 Spring Festival (to 2 February) and its 19 January make-up day', () => {
    expect(calendar.isWorkingDay('2020-01-19')).toBe(true);
    expect(calendar.isWorkingDay('2020-02-01')).toBe(false);
    expect(calendar.isWorkingDay('2020-02-03')).toBe(true);
  });

  it('falls back to Monday-Friday for a year with no data', () => {
    const empty = new WorkingDayCalendar([]);
    expect(empty.isWorkingDay('2020-10-01')).toBe(true);
    expect(empty.isWorkingDay('2020-10-10')).toBe(false);
  });

  it('edits are data: a day made a holiday stops counting', () => {
    const edited = new WorkingDayCalendar([
      ...CHINA_PUBLIC_HOLIDAYS,
      { date: '2020-11-03', kind: 'holiday', name: 'x' },
    ]);
    expect(edited.addWorkingDays('2020-11-02', 1)).toBe('2020-11-04');
  });

  it('is due the same local time on the n-th working day, in China Standard Time', () => {
    // 16:00 on Wed 30 Sep 2020 in Beijing is 08:00Z.
    const at = new Date('2020-09-30T08:00:00Z');
    expect(calendar.dueAfter(at, 0)).toEqual(at);
    expect(calendar.dueAfter(at, 1)).toEqual(new Date('2020-10-09T08:00:00Z'));
    // 01:00 on 1 Oct in Beijing is still 30 Sep in UTC.
    expect(localDate(new Date('2020-09-30T17:00:00Z'))).toBe('2020-10-01');
  });
});
