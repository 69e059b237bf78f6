import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { CalendarService } from '../../calendar/application/calendar.service.js';
import { interviewError, type Interview, type InterviewMinutes, type Person } from '../domain/interview.js';
import { InterviewRepository } from '../persistence/interview.repository.js';
import { InterviewNotices } from './interview-notices.js';

/**
 * Every recorded step of an interview: lock, check the caller's county, let the domain decide,
 * save. Recording the minutes also requests their notice, in the same transaction.
 */
@Injectable()
export class InterviewTransition {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interviews: InterviewRepository,
    private readonly calendar: CalendarService,
    private readonly notices: InterviewNotices,
    private readonly clock: Clock,
  ) {}

  private run(
    id: string,
    by: Principal,
    change: (i: Interview, now: Date, em: EntityManager) => void | Promise<void>,
    then?: (i: Interview, now: Date, em: EntityManager) => Promise<unknown>,
  ): Promise<Interview> {
    return this.dataSource.transaction(async (em) => {
      const i = await this.interviews.findById(id, em, true);
      const scope = countyScope(by);
      if (!i || (scope !== undefined && i.state.countyCode !== scope)) throw interviewError.notFound();
      const now = this.clock.now();
      await change(i, now, em);
      await this.interviews.save(em, i);
      await then?.(i, now, em);
      return i;
    });
  }

  reschedule(id: string, cmd: { scheduledAt: string; place: string; interviewer?: Person }, by: Principal) {
    return this.run(id, by, (i) => i.reschedule(new Date(cmd.scheduledAt), cmd.place, cmd.interviewer));
  }

  hold(id: string, cmd: { heldAt: string; attendees?: string[] }, by: Principal) {
    return this.run(id, by, (i, now) => i.hold(new Date(cmd.heldAt), cmd.attendees ?? [], now));
  }

  recordMinutes(id: string, cmd: InterviewMinutes & { followUpDueOn: string }, by: Principal) {
    return this.run(
      id,
      by,
      async (i, now, em) =>
        i.recordMinutes(
          { summary: cmd.summary, commitments: cmd.commitments },
          cmd.followUpDueOn,
          by.sub,
          now,
          await this.calendar.calendar(em),
        ),
      (i, now, em) => this.notices.minutes(em, i, now),
    );
  }
}
