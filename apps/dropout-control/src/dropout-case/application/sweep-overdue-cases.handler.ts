import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';

const BATCH = 500;

/**
 * Raises `dropout.case.overdue` once per case and state whose deadline has passed. Safe on
 * many replicas at once: each batch is claimed with SKIP LOCKED and its state change and
 * events commit together.
 */
@Injectable()
export class SweepOverdueCasesHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: DropoutCaseRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ raised: number }> {
    const today = this.clock.today();
    let raised = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (em) => {
        const claimed = await this.cases.claimOverdue(em, today, BATCH);
        let changed = 0;
        for (const c of claimed) {
          const events = c.markOverdue(today);
          if (events.length === 0) continue;
          changed++;
          await this.cases.save(em, c);
          await this.outbox.addMany(
            em,
            events.map((e) => ({
              key: e.key,
              data: e.data,
              meta: { subject: c.state.id, county: c.state.countyCode },
            })),
          );
        }
        return { claimed: claimed.length, changed };
      });
      raised += batch.changed;
      if (batch.claimed < BATCH || batch.changed === 0) return { raised };
    }
  }
}
