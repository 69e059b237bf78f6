import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { InterviewRepository } from '../persistence/interview.repository.js';

/** Interviews whose minutes set a follow-up date that has come: their follow-up is due. */
@Injectable()
export class FollowUpSweepHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interviews: InterviewRepository,
    private readonly clock: Clock,
  ) {}

  async execute(batchSize = 200): Promise<{ due: number }> {
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
      if (claimed < batchSize) return { due };
    }
  }
}
