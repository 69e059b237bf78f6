import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@edu/service';
import { RecordBreachHandler } from '../../escalation/application/record-breach.handler.js';
import type { Breach } from '../../escalation/domain/breach.js';
import { RectificationRepository } from '../persistence/rectification.repository.js';

/**
 * Problems past their deadline and not closed escalate like any breach: in batches claimed
 * with SKIP LOCKED, each marked and joined to its county's rectification escalation in one
 * transaction (one lock and one ladder decision per county and batch). Idempotent.
 */
@Injectable()
export class SweepOverdueProblemsHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problems: RectificationRepository,
    private readonly recordBreach: RecordBreachHandler,
    private readonly clock: Clock,
  ) {}

  async execute(batchSize = 1000): Promise<{ overdue: number; notices: number }> {
    let overdue = 0;
    let notices = 0;
    for (;;) {
      const claimed = await this.dataSource.transaction(async (em) => {
        const today = this.clock.today();
        const now = this.clock.now();
        const batch = await this.problems.claimOverdue(em, today, batchSize);
        const breaches: { breach: Breach; eventId: null }[] = [];
        for (const p of batch) {
          const breach = p.markOverdue(today, now);
          if (breach) breaches.push({ breach, eventId: null });
        }
        await this.problems.markOverdue(
          em,
          batch.map((p) => p.state.id),
          now.toISOString(),
        );
        notices += await this.recordBreach.record(em, breaches);
        overdue += breaches.length;
        return batch.length;
      });
      if (claimed < batchSize) return { overdue, notices };
    }
  }
}
