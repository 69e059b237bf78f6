import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '@edu/service';
import { CalendarService } from '../../calendar/application/calendar.service.js';
import { CalendarListener, EditCalendarHandler } from '../../calendar/application/edit-calendar.handler.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';
import { EscalationLadder } from './escalation-ladder.js';

/**
 * Takes the next steps of every escalation whose wait has run out. Escalations are claimed
 * in batches with SKIP LOCKED, each batch decided and saved with its notices in one
 * transaction: safe on any number of replicas, and running it twice changes nothing.
 */
@Injectable()
export class LadderSweepHandler implements CalendarListener, OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly escalations: EscalationRepository,
    private readonly ladder: EscalationLadder,
    private readonly calendar: CalendarService,
    private readonly editCalendar: EditCalendarHandler,
    private readonly clock: Clock,
  ) {}

  onModuleInit() {
    this.editCalendar.subscribe(this);
  }

  /**
   * One escalation a transaction: a decision holds one row only, so it can wait for the
   * breaches joining that escalation to commit without ever being part of a lock cycle.
   */
  async execute(): Promise<{ escalations: number; notices: number }> {
    let escalations = 0;
    let notices = 0;
    for (;;) {
      const advanced = await this.dataSource.transaction(async (em) => {
        const now = this.clock.now();
        const e = await this.escalations.claimDue(em, now);
        if (!e) return false;
        notices += await this.ladder.advance(em, e, now);
        await this.escalations.save(em, e);
        return true;
      });
      if (!advanced) return { escalations, notices };
      escalations++;
    }
  }

  /** A holiday added or removed moves the due time of every open escalation's next step. */
  async calendarChanged(em: EntityManager): Promise<void> {
    const calendar = await this.calendar.calendar(em);
    for (const e of await this.escalations.lockAllOpen(em)) {
      // Only the due time moves: nothing is decided here (the sweep does that).
      e.reschedule(calendar);
      await this.escalations.save(em, e);
    }
  }
}
