import { CHINA_PUBLIC_HOLIDAYS } from '../seed/china-public-holidays.js';
import { addDays, localDate, WorkingDayCalendar } from './working-day-calendar.js';

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

  it('has 2026 as the State Council arranged it (notice of 4 November 2025)', () => {
    const holidays = CHINA_PUBLIC_HOLIDAYS.filter((d) => d.date.startsWith('2026') && d.kind === 'holiday');
    const workdays = CHINA_PUBLIC_HOLIDAYS.filter((d) => d.date.startsWith('2026') && d.kind === 'workday');
    // 元旦 3, 春节 9, 清明 3, 劳动节 5, 端午 3, 中秋 3, 国庆 7 days off.
    expect(holidays).toHaveLength(33);
    expect(workdays.map((d) => d.date)).toEqual([
      '2026-01-04', // Sunday, 元旦
      '2026-02-14', // Saturday, 春节
      '2026-02-28', // Saturday, 春节
      '2026-05-09', // Saturday, 劳动节
      '2026-09-20', // Sunday, 国庆节
      '2026-10-10', // Saturday, 国庆节
    ]);
    for (const [from, to] of [
      ['2026-01-01', '2026-01-03'],
      ['2026-02-15', '2026-02-23'],
      ['2026-04-04', '2026-04-06'],
      ['2026-05-01', '2026-05-05'],
      ['2026-06-19', '2026-06-21'],
      ['2026-09-25', '2026-09-27'],
      ['2026-10-01', '2026-10-07'],
    ])
      for (let d = from; d <= to; d = addDays(d, 1))
        expect([d, calendar.isWorkingDay(d)]).toEqual([d, false]);
    for (const d of workdays) expect(calendar.isWorkingDay(d.date)).toBe(true);
    // The days either side of the Spring Festival are ordinary working days.
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true);
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true);
    // Fri 13 Feb + 2 working days: Sat 14 (调休), then Tue 24 after the nine days off.
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    // Mid-Autumn and National Day are apart in 2026: Mon 28 to Wed 30 Sep, then Thu 8 and Fri 9 Oct.
    expect(calendar.workingDaysBetween('2026-09-24', '2026-10-09')).toBe(5);
    // 2026 has 248 working days: 261 weekdays, 19 of them off, 6 weekend days worked.
    expect(calendar.workingDaysBetween('2025-12-31', '2026-12-31')).toBe(248);
  });

  it('counts working days back from a date, skipping holidays and counting make-up days', () => {
    expect(calendar.subtractWorkingDays('2020-11-20', 3)).toBe('2020-11-17');
    // Tue 13 Oct 2020 − 3: Mon 12, Sat 10 (调休), Fri 9.
    expect(calendar.subtractWorkingDays('2020-10-13', 3)).toBe('2020-10-09');
    expect(calendar.subtractWorkingDays('2020-10-13', 0)).toBe('2020-10-13');
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
