import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Outbox, sweepInBatches } from '@edu/messaging';
import { Clock } from '@edu/service';
import { ProjectRepository } from '../persistence/project.repository.js';

/** Raises `construction.milestone.overdue` once for every milestone past its planned date and not completed. */
@Injectable()
export class SweepOverdueMilestonesHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly projects: ProjectRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(): Promise<{ raised: number }> {
    const today = this.clock.today();
    const raised = await sweepInBatches(
      this.dataSource,
      this.outbox,
      {
        claim: (em, limit) => this.projects.claimOverdue(em, today, limit),
        decide: (p) => p.markOverdue(today),
        save: (em, p) => this.projects.save(em, p),
        meta: (p) => ({ subject: p.state.id, county: p.state.countyCode }),
      },
      200,
    );
    return { raised };
  }
}
