/** Every deadline decision reads this, so tests and replays can set the time. */
export abstract class Clock {
  abstract now(): Date;

  /** The calendar date (YYYY-MM-DD) in the bureau's time zone. */
  today(timeZone = 'Asia/Shanghai'): string {
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(this.now());
  }
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests can move. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date): void {
    this.current = at;
  }
}
