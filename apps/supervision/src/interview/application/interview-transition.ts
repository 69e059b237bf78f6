import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { interviewError, type Interview, type InterviewMinutes, type Person } from '../domain/interview.js';
import { InterviewRepository } from '../persistence/interview.repository.js';

/** Every recorded step of an interview: lock, check the caller's county, let the domain decide, save. */
@Injectable()
export class InterviewTransition {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interviews: InterviewRepository,
    private readonly clock: Clock,
  ) {}

  private run(id: string, by: Principal, change: (i: Interview, now: Date) => void): Promise<Interview> {
    return this.dataSource.transaction(async (em) => {
      const i = await this.interviews.findById(id, em, true);
      const scope = countyScope(by);
      if (!i || (scope !== undefined && i.state.countyCode !== scope)) throw interviewError.notFound();
      change(i, this.clock.now());
      await this.interviews.save(em, i);
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
    return this.run(id, by, (i, now) =>
      i.recordMinutes({ summary: cmd.summary, commitments: cmd.commitments }, cmd.followUpDueOn, by.sub, now),
    );
  }
}
