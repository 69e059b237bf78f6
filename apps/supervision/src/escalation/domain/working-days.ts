/**
 * Working days (Monday to Friday) from `from` up to `to`. A placeholder for the bureau's
 * working-day calendar with holidays and make-up days, which is data (a later issue).
 */
export function workingDaysBetween(from: Date, to: Date): number {
  const day = 86_400_000;
  let count = 0;
  for (let t = Math.floor(from.getTime() / day) * day + day; t <= to.getTime(); t += day) {
    const weekday = new Date(t).getUTCDay();
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

export const FRONT_NAMES = { dropout: '控辍保学', aid: '学生资助', construction: '学校建设' } as const;
