import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@edu/contracts';
import { isCalendarDate, type CalendarDay, type DayKind } from '../domain/working-day-calendar.js';
import { CalendarRepository } from '../persistence/calendar.repository.js';
import { CalendarService } from './calendar.service.js';

export enum CalendarErrorCode {
  InvalidDate = 'CALENDAR_INVALID_DATE',
  NotFound = 'CALENDAR_DAY_NOT_FOUND',
}

/** Something that must follow a calendar edit in the same transaction (the ladder's due times). */
export abstract class CalendarListener {
  abstract calendarChanged(em: EntityManager): Promise<void>;
}

/** Marks a day a holiday or a make-up working day, or removes the exception. */
@Injectable()
export class EditCalendarHandler {
  private readonly listeners: CalendarListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly days: CalendarRepository,
    private readonly calendar: CalendarService,
  ) {}

  /** Called by features whose state depends on the calendar. */
  subscribe(listener: CalendarListener): void {
    this.listeners.push(listener);
  }

  async put(date: string, kind: DayKind, name: string, by: string): Promise<CalendarDay> {
    if (!isCalendarDate(date))
      throw new DomainError(CalendarErrorCode.InvalidDate, `${date} is not a date (YYYY-MM-DD)`);
    const day = { date, kind, name };
    await this.change((em) => this.days.put(em, day, by));
    return day;
  }

  async remove(date: string): Promise<void> {
    if (!isCalendarDate(date))
      throw new DomainError(CalendarErrorCode.InvalidDate, `${date} is not a date (YYYY-MM-DD)`);
    await this.change(async (em) => {
      if (!(await this.days.remove(em, date)))
        throw new DomainError(CalendarErrorCode.NotFound, `${date} has no calendar entry`, 'not_found');
    });
  }

  private async change(work: (em: EntityManager) => Promise<void>): Promise<void> {
    this.calendar.invalidate();
    try {
      await this.dataSource.transaction(async (em) => {
        await work(em);
        for (const l of this.listeners) await l.calendarChanged(em);
      });
    } finally {
      // The listeners may have cached the uncommitted calendar.
      this.calendar.invalidate();
    }
  }
}
