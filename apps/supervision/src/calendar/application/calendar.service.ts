import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WorkingDayCalendar } from '../domain/working-day-calendar.js';
import { CalendarRepository } from '../persistence/calendar.repository.js';

/** Replicas see another replica's edit within this long. */
const TTL_MS = 30_000;

/**
 * The working-day calendar as the ladder reads it: loaded once and kept for a short while
 * (it is read on every breach), reloaded at once after an edit on this replica.
 */
@Injectable()
export class CalendarService {
  private cached?: { calendar: WorkingDayCalendar; loadedAt: number };

  constructor(private readonly days: CalendarRepository) {}

  async calendar(em?: EntityManager): Promise<WorkingDayCalendar> {
    if (this.cached && Date.now() - this.cached.loadedAt < TTL_MS) return this.cached.calendar;
    const calendar = new WorkingDayCalendar(await this.days.all(em));
    this.cached = { calendar, loadedAt: Date.now() };
    return calendar;
  }

  invalidate(): void {
    this.cached = undefined;
  }
}
