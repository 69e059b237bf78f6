import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { CalendarService } from '../../calendar/application/calendar.service.js';
import { InterviewRepository } from '../persistence/interview.repository.js';
import { InterviewNotices } from './interview-notices.js';

/**
 * What an interview's minutes set in motion, as days come: the reminder of the follow-up
 * report on its day (requested once, while the report is still ahead), then the follow-up
 * itself falls due. Batches are claimed with SKIP LOCKED, so every replica may run it.
 */
@Injectable()
export class FollowUpSweepHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interviews: InterviewRepository,
    private readonly calendar: CalendarService,
    private readonly notices: InterviewNotices,
    private readonly clock: Clock,
  ) {}

  async execute(batchSize = 200): Promise<{ reminded: number; due: number }> {
    return { reminded: await this.remind(batchSize), due: await this.markDue(batchSize) };
  }

  private async remind(batchSize: number): Promise<number> {
    let reminded = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction(async (em) => {
        const today = this.clock.today();
        const now = this.clock.now();
        const batch = await this.interviews.claimRemindersDue(em, today, batchSize);
        const calendar = await this.calendar.calendar(em);
        for (const i of batch) {
          if (!i.remindFollowUp(today, now)) continue;
          await this.interviews.save(em, i);
          await this.notices.followUpReminder(em, i, today, calendar, now);
          reminded++;
        }
        return batch.length;
      });
      if (claimed < batchSize) return reminded;
    }
  }

  private async markDue(batchSize: number): Promise<number> {
    let due = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction(async (em) => {
        const batch = await this.interviews.claimFollowUpsDue(em, this.clock.today(), batchSize);
        for (const i of batch) {
          if (i.markFollowUpDue(this.clock.today(), this.clock.now())) {
            await this.interviews.save(em, i);
            due++;
          }
        }
        return batch.length;
      });
      if (claimed < batchSize) return due;
    }
  }
}
