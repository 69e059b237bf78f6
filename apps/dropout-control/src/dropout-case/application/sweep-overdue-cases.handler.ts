import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox, sweepInBatches } from '@edu/messaging';
import { Clock } from '@edu/service';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';

/** Raises `dropout.case.overdue` once per case and state whose deadline has passed. */
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
    const raised = await sweepInBatches(this.dataSource, this.outbox, {
      claim: (em, limit) => this.cases.claimOverdue(em, today, limit),
      decide: (c) => c.markOverdue(today),
      save: (em, c) => this.cases.save(em, c),
      meta: (c) => ({ subject: c.state.id, county: c.state.countyCode }),
    });
    return { raised };
  }
}
