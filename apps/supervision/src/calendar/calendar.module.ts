import { Module } from '@nestjs/common';
import { CalendarController } from './api/calendar.controller.js';
import { CalendarService } from './application/calendar.service.js';
import { EditCalendarHandler } from './application/edit-calendar.handler.js';
import { SeedCalendar } from './application/seed-calendar.js';
import { CalendarRepository } from './persistence/calendar.repository.js';

@Module({
  controllers: [CalendarController],
  providers: [CalendarRepository, CalendarService, EditCalendarHandler, SeedCalendar],
  exports: [CalendarService, EditCalendarHandler],
})
export class CalendarModule {}
