/**
 * The hours SMS may go out, in a time zone (officials are not texted at night): `08:30-17:30`
 * in Asia/Shanghai by default in production. Outside it SMS wait, except urgent interview
 * notices. A window may wrap midnight (`22:00-06:00`); `always` has no quiet hours.
 */
export class SendWindow {
  private constructor(
    /** Minutes after local midnight; start === end means always open. */
    readonly startMinute: number,
    readonly endMinute: number,
    readonly timeZone: string,
  ) {}

  static readonly ALWAYS_TEXT = 'always';

  static always(timeZone = 'Asia/Shanghai'): SendWindow {
    return new SendWindow(0, 0, timeZone);
  }

  /** `HH:MM-HH:MM` or `always`; returns undefined for anything else. */
  static parse(text: string, timeZone: string): SendWindow | undefined {
    if (text.trim().toLowerCase() === SendWindow.ALWAYS_TEXT) return SendWindow.always(timeZone);
    const m = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$/.exec(text);
    if (!m) return undefined;
    const [h1, m1, h2, m2] = m.slice(1).map(Number);
    if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return undefined;
    const start = h1 * 60 + m1;
    const end = h2 * 60 + m2;
    if (start === end) return undefined;
    return new SendWindow(start, end, timeZone);
  }

  /** Whether `timeZone` is one Intl knows. */
  static knowsZone(timeZone: string): boolean {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      return true;
    } catch {
      return false;
    }
  }

  get isAlways(): boolean {
    return this.startMinute === this.endMinute;
  }

  isOpen(at: Date): boolean {
    if (this.isAlways) return true;
    const t = this.localMinute(at);
    return this.startMinute < this.endMinute
      ? t >= this.startMinute && t < this.endMinute
      : t >= this.startMinute || t < this.endMinute;
  }

  /** `at` if the window is open then, else the moment it next opens. */
  earliest(at: Date): Date {
    if (this.isOpen(at)) return at;
    const t = this.localMinute(at);
    const minutes = (this.startMinute - t + 1440) % 1440;
    const start = new Date(at.getTime() + minutes * 60_000);
    start.setUTCSeconds(0, 0);
    return start;
  }

  toString(): string {
    if (this.isAlways) return SendWindow.ALWAYS_TEXT;
    const hhmm = (m: number) =>
      `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    return `${hhmm(this.startMinute)}-${hhmm(this.endMinute)} ${this.timeZone}`;
  }

  private localMinute(at: Date): number {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: this.timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(at);
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
    return hour * 60 + minute;
  }
}

/** Only an interview notice the request marks urgent (`params.urgent`) may go out in quiet hours. */
export function isUrgentNotice(kind: string, params: Record<string, unknown>): boolean {
  if (kind !== 'interview_notice') return false;
  const v = params.urgent;
  return v === true || v === 1 || (typeof v === 'string' && ['true', '1', 'yes'].includes(v.toLowerCase()));
}
