/** Messages handed to one provider in the current one-second window, shared by every dispatcher. */
export interface RateWindow {
  windowStart: Date;
  used: number;
}

/**
 * How many more messages may go to a provider now, under `perSecond` (0: no limit, reported
 * as `Infinity`), and the window to record them in. A window older than a second starts over.
 */
export function rateAllowance(
  current: RateWindow | null,
  now: Date,
  perSecond: number,
): { allowance: number; window: RateWindow } {
  const second = new Date(Math.floor(now.getTime() / 1000) * 1000);
  const window =
    current && current.windowStart.getTime() === second.getTime()
      ? { ...current }
      : { windowStart: second, used: 0 };
  if (perSecond <= 0) return { allowance: Infinity, window };
  return { allowance: Math.max(0, perSecond - window.used), window };
}
